import AgentsCommandLine
import ArgumentParser

/// `agents test`: the predefined scenarios, scored.
struct TestCLICommand: AgentsSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "test",
    abstract: "Run predefined scenarios against the agents and score the answers.",
    discussion: "Prints test name, success, response time, response quality and error for each scenario, then "
      + "totals; with --repeat N, each scenario's pass rate over N runs and each agent's. Writes the report as JSON "
      + "to --results FILE, by default test-results/<model>.json in the data directory, after every run, so Ctrl-C "
      + "keeps the runs made so far. Exits 1 when a run fails, 130 when interrupted.\n\n"
      + "A scenario file (--scenarios FILE) is YAML: 'scenarios:', then a list of entries with agent, prompt, an "
      + "optional name, and checks: contains_number, used_tool, answered_by, contains_any, contains_all, "
      + "min_length, min_lines.")

  @Option(help: ArgumentHelp("Only this agent's scenarios.", valueName: "id"))
  var agent: String?

  @Option(
    name: .customLong("repeat"), help: ArgumentHelp("Run each scenario this many times (1–1000).", valueName: "n"))
  var repeats = 1

  @Option(help: ArgumentHelp("Run the scenarios of this YAML file instead of the built-in ones.", valueName: "file"))
  var scenarios: String?

  @Option(
    help: ArgumentHelp(
      "Write the JSON report here (default: test-results/<model>.json in the data directory).", valueName: "file"))
  var results: String?

  @Flag(help: "Print one JSON object with per-scenario and per-agent pass rates, every run, and totals.")
  var json = false

  @Flag(help: "Print the selected scenarios in the --scenarios file format (as JSON) instead of running them.")
  var listScenarios = false

  @Option(
    name: .customLong("approve"),
    help: ArgumentHelp(
      "Run this tool's calls without asking (e.g. run_code); repeatable. Other calls that need approval are "
        + "refused, and the model is told so. Printed with the results.", valueName: "tool"))
  var approvedTools: [String] = []

  @OptionGroup var global: GlobalOptionGroup

  func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
    let command = TestCommand(services: context.services)
    let options = TestCommand.Options(
      agentID: agent, repeats: repeats, json: json, scenarioFile: scenarios, resultsPath: results,
      listsScenarios: listScenarios, approvedTools: approvedTools)
    return await context.interrupts.cancellingOnInterrupt { await command.run(options) }
  }
}
