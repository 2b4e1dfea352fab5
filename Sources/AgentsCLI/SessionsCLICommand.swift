import AgentsCommandLine
import ArgumentParser

/// `agents sessions`: the saved chat sessions.
struct SessionsCLICommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sessions",
    abstract: "List, show, export or delete saved chat sessions.",
    discussion: """
      Every chat is saved as a session (its id is in the chat's banner); 'agents chat --session ID' resumes one.
      Examples:
        agents sessions
        agents sessions show work
        agents sessions export work > work.md
        agents sessions export --format json work > work.json
        agents sessions rm work old-chat
      """,
    subcommands: [List.self, Show.self, Export.self, Remove.self],
    defaultSubcommand: List.self)

  /// `agents sessions [list] [--json]`.
  struct List: AgentsSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List the saved sessions, most recently updated first.", aliases: ["ls"])

    @OptionGroup var output: JSONArrayOutput

    @OptionGroup var global: GlobalOptionGroup

    func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
      await SessionsCommand(services: context.services).list(json: output.json)
    }
  }

  /// `agents sessions show ID`.
  struct Show: AgentsSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "show", abstract: "Show a session's conversation, with the agent and model of each answer.")

    @Argument(help: ArgumentHelp("The session id.", valueName: "id"))
    var sessionID: String

    @OptionGroup var global: GlobalOptionGroup

    func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
      await SessionsCommand(services: context.services).show(sessionID)
    }
  }

  /// `agents sessions export [--format markdown|json] ID`.
  struct Export: AgentsSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "export", abstract: "Write a session to standard output as Markdown (default) or JSON.")

    @Option(help: ArgumentHelp("markdown or json.", valueName: "format"))
    var format: String = SessionsCommand.ExportFormat.markdown.rawValue

    @Argument(help: ArgumentHelp("The session id.", valueName: "id"))
    var sessionID: String

    @OptionGroup var global: GlobalOptionGroup

    func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
      guard let format = SessionsCommand.ExportFormat(rawValue: format.lowercased()) else {
        throw AppError(.usage, "invalid value '\(format)' for --format", fix: "use markdown or json")
      }
      return await SessionsCommand(services: context.services).export(sessionID, format: format)
    }
  }

  /// `agents sessions rm ID...`.
  struct Remove: AgentsSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "rm", abstract: "Delete saved sessions (every id must exist; nothing is deleted otherwise).",
      aliases: ["delete"])

    @Argument(help: ArgumentHelp("The session ids.", valueName: "id"))
    var sessionIDs: [String]

    @OptionGroup var global: GlobalOptionGroup

    func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
      await SessionsCommand(services: context.services).remove(sessionIDs)
    }
  }
}
