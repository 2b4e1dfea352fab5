import AgentsCommandLine
import ArgumentParser

/// `agents bench`: latency and throughput of N runs at concurrency C.
struct BenchCLICommand: AgentsSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure latency, time to first token, tokens per second and peak memory.",
    discussion: "With --json, prints one object with runs, concurrency, runs_per_second, p50_ms, p95_ms, p99_ms, "
      + "ttft_p50_ms, tokens_per_second, peak_rss_mb, cpu_ms_per_run, context_switches_per_run and errors; with "
      + "--list-runs also latencies_ms and ttft_ms, each successful run's times in the order the runs ended.")

  @Option(help: ArgumentHelp("The agent to run (default: creative, one model call per run).", valueName: "id"))
  var agent = BuiltInAgents.creativeID

  @Option(
    help: ArgumentHelp("How many runs (\(Setting.benchRuns.requirement)).", valueName: Setting.benchRuns.valueName))
  var runs = Setting.benchRuns.defaultValue.flatMap { Int($0.description) } ?? 10

  @Option(
    help: ArgumentHelp(
      "How many runs at a time (\(Setting.benchConcurrency.requirement)).",
      valueName: Setting.benchConcurrency.valueName))
  var concurrency = Setting.benchConcurrency.defaultValue.flatMap { Int($0.description) } ?? 1

  @Option(help: ArgumentHelp("The prompt each run sends.", valueName: "text"))
  var prompt = BenchCommand.Arguments.defaultPrompt

  @Flag(help: "With --json: list every successful run's latency and time to first token (latencies_ms, ttft_ms).")
  var listRuns = false

  @Flag(
    help: ArgumentHelp(
      "With --json: start each run when a line arrives on standard input and print its times as one JSON line as "
        + "it ends (run, ms, ttft_ms), so a benchmark can interleave another client's calls with these one by one; "
        + "runs one at a time and stops at the end of the input."))
  var paced = false

  @OptionGroup var output: JSONObjectOutput

  @OptionGroup var global: GlobalOptionGroup

  func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
    guard !listRuns || output.json else {
      throw AppError(.usage, "--list-runs lists the runs in the JSON report", fix: "add --json")
    }
    guard !paced || output.json else {
      throw AppError(.usage, "--paced prints each run's times as JSON lines", fix: "add --json")
    }
    let command = BenchCommand(services: context.services)
    let arguments = BenchCommand.Arguments(
      agentID: agent, runs: runs, concurrency: concurrency, prompt: prompt, listsRuns: listRuns,
      paced: paced)
    let json = output.json
    return await context.interrupts.cancellingOnInterrupt { await command.run(arguments, json: json) }
  }
}
