import AgentsCommandLine
import ArgumentParser

/// `agents cache`: the local response cache.
struct CacheCLICommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cache",
    abstract: "Show or clear the local response cache (answers replayed when the server is unreachable).",
    discussion: "The cache is off unless enabled with --cache, AGENTS_CACHE=1 or 'response_cache: true' in the config.",
    subcommands: [Show.self, Clear.self],
    defaultSubcommand: Show.self)

  /// `agents cache [show] [--json]`.
  struct Show: AgentsSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "show", abstract: "Show whether the cache is on, its entries and size.")

    @OptionGroup var output: JSONObjectOutput

    @OptionGroup var global: GlobalOptionGroup

    func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
      await CacheCommand(services: context.services).show(json: output.json)
    }
  }

  /// `agents cache clear`.
  struct Clear: AgentsSubcommand {
    static let configuration = CommandConfiguration(commandName: "clear", abstract: "Delete every cached answer.")

    @OptionGroup var global: GlobalOptionGroup

    func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
      await CacheCommand(services: context.services).clear()
    }
  }
}
