import AgentsCommandLine
import ArgumentParser

/// `agents stats`: usage statistics from the recorded runs.
struct StatsCLICommand: AgentsSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "stats", abstract: "Show usage statistics of recorded runs: per agent, models, tools, errors.")

  @OptionGroup var output: JSONObjectOutput

  @OptionGroup var global: GlobalOptionGroup

  func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
    await StatsCommand(services: context.services).run(json: output.json)
  }
}
