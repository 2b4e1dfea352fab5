import AgentsCommandLine
import ArgumentParser

/// `agents list`: the agents with their models, tools and handoffs.
struct ListCLICommand: AgentsSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the agents: id, name, model, tools, handoffs.")

  @OptionGroup var output: JSONArrayOutput

  @OptionGroup var global: GlobalOptionGroup

  /// Listing reads configuration only; not opening the database keeps the cold start short.
  var storeUse: AppBootstrap.StoreUse { .none }

  func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
    ListCommand(services: context.services).run(json: output.json)
  }
}
