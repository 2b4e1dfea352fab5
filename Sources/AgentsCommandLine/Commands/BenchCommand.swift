import Foundation

/// `agents bench`: runs one prompt N times at concurrency C and reports latency and throughput.
package struct BenchCommand: Sendable {
  /// What to run.
  @MemberwiseInit
  package struct Arguments: Sendable, Hashable {
    /// The agent (default: the creative writer, one model call per run and no tools).
    package var agentID: String = BuiltInAgents.creativeID
    /// How many runs (``Setting/benchRuns``: each keeps its latency, so the count is bounded).
    package var runs: Int = 10
    /// How many runs at a time (``Setting/benchConcurrency``: each is a task with a request in flight).
    package var concurrency: Int = 1
    /// The question each run asks.
    package var prompt: String = Arguments.defaultPrompt
    /// Whether the JSON report lists every successful run's latency and time to first token.
    package var listsRuns: Bool = false
    /// Whether each run waits for a line of input and reports its times as it ends (``BenchCommand/run(_:json:)``):
    /// a benchmark can then interleave another client's calls with these, one by one.
    package var paced: Bool = false

    /// The default prompt: short, and the same every time.
    package static let defaultPrompt = "Describe the sea in one sentence."
  }

  /// The times of one successful run.
  package struct RunTimes: Sendable, Hashable {
    /// From the start of the run to its end, in milliseconds.
    package var milliseconds: Double
    /// From the start of the run to its first token, in milliseconds (`nil`: no token was streamed).
    package var firstTokenMilliseconds: Double?
  }

  /// What a benchmark measured.
  package struct Report: Sendable, Hashable {
    package var agent: String
    package var model: String
    package var runs: Int
    package var concurrency: Int
    package var errors: Int
    package var wallSeconds: Double
    /// The successful runs in the order they ended.
    package var successes: [RunTimes]
    /// Whether ``json`` lists ``successes``.
    package var listsRuns = false
    /// Output tokens over all successful runs.
    package var outputTokens: Int
    /// Generation seconds (latency after the first token) summed over successful runs.
    package var generationSeconds: Double
    /// Peak resident set size of this process, in bytes.
    package var peakResidentBytes: Int?
    /// CPU time and context switches of this process while the runs ran (`nil` where the system does not say).
    package var usage: BenchmarkStatistics.ProcessUsage?
    /// The first error, if any run failed.
    package var firstError: AppError?

    /// Latencies of the successful runs, in milliseconds.
    package var latenciesMilliseconds: [Double] { successes.map(\.milliseconds) }
    /// Times to first token of the successful runs that streamed one, in milliseconds.
    package var firstTokenMilliseconds: [Double] { successes.compactMap(\.firstTokenMilliseconds) }
    /// CPU milliseconds of this process per run (failed runs count: they used the CPU too).
    package var cpuMillisecondsPerRun: Double? { runs > 0 ? usage.map { $0.cpuSeconds * 1000 / Double(runs) } : nil }
    /// Context switches of this process's threads per run.
    package var contextSwitchesPerRun: Double? {
      runs > 0 ? usage.map { Double($0.contextSwitches) / Double(runs) } : nil
    }

    /// Successful runs per wall-clock second.
    package var runsPerSecond: Double { wallSeconds > 0 ? Double(runs - errors) / wallSeconds : 0 }
    /// Output tokens per second of generation (after the first token).
    package var tokensPerSecond: Double? {
      generationSeconds > 0 && outputTokens > 0 ? Double(outputTokens) / generationSeconds : nil
    }

    /// The report as one JSON object (`runs`, `concurrency`, `runs_per_second`, `p50_ms`, `p95_ms`,
    /// `p99_ms`, `peak_rss_mb`, `errors`, and more). Times in milliseconds keep microseconds: against a fast
    /// server a whole run takes well under a millisecond.
    package var json: JSONValue {
      let number = millisecondsJSON
      var object: JSONObject = [
        "agent": .string(agent), "model": .string(model),
        "runs": .int(runs), "concurrency": .int(concurrency), "errors": .int(errors),
        "wall_seconds": number(wallSeconds), "runs_per_second": .double((runsPerSecond * 1000).rounded() / 1000),
        "p50_ms": number(BenchmarkStatistics.percentile(50, of: latenciesMilliseconds)),
        "p95_ms": number(BenchmarkStatistics.percentile(95, of: latenciesMilliseconds)),
        "p99_ms": number(BenchmarkStatistics.percentile(99, of: latenciesMilliseconds)),
        "mean_ms": number(BenchmarkStatistics.mean(latenciesMilliseconds)),
        "ttft_p50_ms": number(BenchmarkStatistics.percentile(50, of: firstTokenMilliseconds)),
        "ttft_p95_ms": number(BenchmarkStatistics.percentile(95, of: firstTokenMilliseconds)),
        "output_tokens": .int(outputTokens), "tokens_per_second": number(tokensPerSecond),
        "peak_rss_mb": number(peakResidentBytes.map { Double($0) / 1_048_576 }),
        "cpu_ms_per_run": number(cpuMillisecondsPerRun), "context_switches_per_run": number(contextSwitchesPerRun),
      ]
      if listsRuns {
        object["latencies_ms"] = .array(successes.map { number($0.milliseconds) })
        object["ttft_ms"] = .array(successes.map { number($0.firstTokenMilliseconds) })
      }
      return .object(object)
    }

    /// The report as text lines.
    package var lines: [String] {
      func ms(_ value: Double?) -> String { value.map { String(format: "%.0f ms", $0) } ?? "-" }
      return [
        "agent          \(agent) (\(model))",
        "runs           \(runs) at concurrency \(concurrency), \(errors) errors, \(String(format: "%.2f", wallSeconds)) s",
        "throughput     \(errors == runs ? "-" : String(format: "%.2f", runsPerSecond) + " runs/s")",
        "latency        p50 \(ms(BenchmarkStatistics.percentile(50, of: latenciesMilliseconds))), "
          + "p95 \(ms(BenchmarkStatistics.percentile(95, of: latenciesMilliseconds))), "
          + "p99 \(ms(BenchmarkStatistics.percentile(99, of: latenciesMilliseconds)))",
        "first token    p50 \(ms(BenchmarkStatistics.percentile(50, of: firstTokenMilliseconds))), "
          + "p95 \(ms(BenchmarkStatistics.percentile(95, of: firstTokenMilliseconds)))",
        "tokens/s       \(tokensPerSecond.map { String(format: "%.1f", $0) } ?? "-") (\(outputTokens) output tokens)",
        "CPU            \(cpuMillisecondsPerRun.map { String(format: "%.2f ms", $0) } ?? "-") per run, "
          + "\(contextSwitchesPerRun.map { String(format: "%.1f", $0) } ?? "-") context switches per run",
        "peak RSS       \(peakResidentBytes.map { String(format: "%.1f MB", Double($0) / 1_048_576) } ?? "-")",
      ]
    }
  }

  /// The shared services.
  package var services: AppServices

  /// Creates the command.
  package init(services: AppServices) { self.services = services }

  /// Runs the benchmark.
  ///
  /// - Parameters:
  ///   - pacing: With ``Arguments/paced``, where the lines that start the runs come from: one run per line, one at
  ///     a time, and the runs stop at the end of the input.
  ///   - progress: Called after each run with the number of finished runs and that run's times or error.
  package func measure(
    _ arguments: Arguments, pacing: (any LineInput)? = nil,
    progress: @escaping @Sendable (Int, Result<RunTimes, AppError>) -> Void = { _, _ in }
  ) async throws(AppError) -> Report {
    if arguments.paced, arguments.concurrency != 1 {
      throw AppError(.usage, "paced runs run one at a time", fix: "leave out --concurrency, or --paced")
    }
    try Setting.benchRuns.check(arguments.runs)
    try Setting.benchConcurrency.check(arguments.concurrency)
    guard !arguments.prompt.trimmingWhitespace().isEmpty else {
      throw AppError(.usage, "the prompt is empty", fix: "pass --prompt TEXT or leave it out for the default")
    }
    let factory = services.factory()
    let definition = try factory.catalog.definition(id: arguments.agentID)
    let agent = try factory.makeAgent(id: definition.id)
    var unrecorded = services.conversation
    unrecorded.runStore = nil  // benchmark runs are not usage
    let conversation = unrecorded
    let prompt = arguments.prompt
    let clock = ContinuousClock()
    let usageBefore = BenchmarkStatistics.ProcessUsage.current()
    let start = clock.now
    var outcomes: [ConversationOutcome] = []
    // One run at a time works where the answers arrive, as chat does; concurrent runs share the pool's threads.
    let services = arguments.concurrency == 1 ? self.services : nil
    let run: @Sendable () async -> ConversationOutcome = {
      let question = { await conversation.ask(agent, input: prompt, maxTurns: Runner.defaultMaxTurns, streamed: true) }
      guard let services else { return await question() }
      return await services.alone(question)
    }
    if arguments.paced, let pacing {
      while outcomes.count < arguments.runs, case .line = await pacing.readLineUnlessCancelled(prompt: ""),
        !Task.isCancelled
      {
        let outcome = await run()
        outcomes.append(outcome)
        progress(outcomes.count, Self.times(of: outcome))
      }
    } else {
      await withTaskGroup(of: ConversationOutcome.self) { group in
        var started = min(arguments.concurrency, arguments.runs)
        for _ in 0..<started { group.addTask(operation: run) }
        var unreachable = false
        for await outcome in group {
          outcomes.append(outcome)
          progress(outcomes.count, Self.times(of: outcome))
          // A server that cannot be reached before any run succeeded will not answer the rest: stop starting runs.
          if outcome.error?.code == .serverUnavailable, !outcomes.contains(where: { $0.error == nil }) {
            unreachable = true
          }
          if started < arguments.runs, !Task.isCancelled, !unreachable {
            started += 1
            group.addTask(operation: run)
          }
        }
      }
    }
    if Task.isCancelled { throw AppError(.interrupted, "interrupted") }
    let wall = (clock.now - start).seconds
    let usage = BenchmarkStatistics.ProcessUsage.current().flatMap { after in usageBefore.map { after - $0 } }
    let successes = outcomes.filter { $0.error == nil }
    return Report(
      agent: definition.id, model: factory.modelForAgent(definition), runs: outcomes.count,
      concurrency: arguments.concurrency, errors: outcomes.count - successes.count, wallSeconds: wall,
      successes: successes.compactMap { try? Self.times(of: $0).get() },
      listsRuns: arguments.listsRuns,
      outputTokens: successes.reduce(0) { $0 + $1.result.usage.outputTokens },
      generationSeconds: successes.reduce(0) { total, outcome in
        total + max(0, outcome.result.executionTime - (outcome.timeToFirstToken?.seconds ?? 0))
      },
      peakResidentBytes: BenchmarkStatistics.peakResidentBytes(), usage: usage,
      firstError: outcomes.first { $0.error != nil }?.error)
  }

  /// The times of a run, or its error.
  private static func times(of outcome: ConversationOutcome) -> Result<RunTimes, AppError> {
    if let error = outcome.error { return .failure(error) }
    return .success(
      RunTimes(
        milliseconds: outcome.result.executionTime * 1000,
        firstTokenMilliseconds: outcome.timeToFirstToken.map { $0.seconds * 1000 }))
  }

  /// The JSON line a paced run prints as it ends: `{"run": n, "ms": …, "ttft_ms": …}` or `{"run": n, "error": …}`.
  private static func runLine(_ number: Int, _ times: Result<RunTimes, AppError>) -> JSONValue {
    switch times {
    case .success(let times):
      return .object([
        "run": .int(number), "ms": millisecondsJSON(times.milliseconds),
        "ttft_ms": millisecondsJSON(times.firstTokenMilliseconds),
      ])
    case .failure(let error):
      return .object(["run": .int(number), "error": .string(error.description)])
    }
  }

  /// Runs, prints the report (or one JSON object) and returns the exit status: 0 unless every run failed.
  ///
  /// Paced (``Arguments/paced``, with `asJSON`), each run starts when a line arrives on standard input, and prints
  /// one JSON line as it ends: `{"run": n, "ms": …, "ttft_ms": …}`, or `{"run": n, "error": "…"}`. The report
  /// comes last, as without pacing.
  package func run(_ arguments: Arguments, json asJSON: Bool) async -> Int32 {
    let console = services.console
    let showsProgress = console.interactive && !asJSON
    let total = arguments.runs
    let paced = arguments.paced && asJSON
    do {
      let report = try await measure(arguments, pacing: paced ? StreamLineInput() : nil) { done, times in
        if paced { console.print(Self.runLine(done, times).jsonString) }
        if showsProgress { console.redrawLine(console.style.dim("\(done)/\(total) runs"), onErr: true) }
      }
      if showsProgress { console.redrawLine("", onErr: true) }
      if asJSON {
        console.print(report.json.jsonString)
      } else {
        for line in report.lines { console.print(line) }
      }
      if let error = report.firstError {
        if report.errors == report.runs {
          console.error(error)
          return error.exitStatus
        }
        console.warn("\(report.errors) of \(report.runs) runs failed; the first: \(error)")
      }
      return 0
    } catch {
      if showsProgress { console.redrawLine("", onErr: true) }
      console.error(error)
      return error.exitStatus
    }
  }
}

/// A number of milliseconds in JSON, to the microsecond (`null` for none).
private func millisecondsJSON(_ value: Double?) -> JSONValue {
  value.map { .double(($0 * 1000).rounded() / 1000) } ?? .null
}
