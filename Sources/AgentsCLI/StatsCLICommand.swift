import AgentsCommandLine
import ArgumentParser

/// `agents stats`: usage statistics from the recorded runs.
struct StatsCLICommand: AgentsSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "stats", abstract: "Show usage statistics of recorded runs: per agent, models, tools, errors.")

  @Flag(help: "Print one JSON object.")
  var json = false

  @OptionGroup var global: GlobalOptionGroup

  func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
    await StatsCommand(services: context.services).run(json: json)
  }
}
