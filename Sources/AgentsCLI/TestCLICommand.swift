import AgentsCommandLine
import ArgumentParser

/// `agents test`: the predefined scenarios, scored.
struct TestCLICommand: AgentsSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "test",
    abstract: "Run predefined scenarios against the agents and score the answers.",
    discussion: "Prints test name, success, response time, response quality and error for each scenario, then "
      + "totals. Exits 1 when a scenario fails.")

  @Option(help: ArgumentHelp("Only this agent's scenarios.", valueName: "id"))
  var agent: String?

  @Flag(help: "Print one JSON object with results and totals.")
  var json = false

  @OptionGroup var global: GlobalOptionGroup

  func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
    let command = TestCommand(services: context.services)
    let (agent, json) = (self.agent, self.json)
    return await context.interrupts.cancellingOnInterrupt { await command.run(agentID: agent, json: json) }
  }
}
