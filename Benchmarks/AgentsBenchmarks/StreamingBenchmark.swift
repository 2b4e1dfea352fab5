import Agents
import WireCore

/// Time to first token of `Runner.runStreamed` against the raw stream: the first part of the same
/// streamed request's response body on a kept-alive connection. Also the whole streamed run (tool call,
/// then the streamed answer) against its two raw requests.
struct StreamingBenchmark: Benchmark {
  let name = "streaming"
  let summary = "time to first token of runStreamed vs the raw stream, and whole streamed runs"

  func run(_ options: BenchmarkOptions) async throws -> Bool {
    let runs = try options.integer("runs", default: 1000)
    let server = try await BenchmarkServer.start(options)
    let runner = BenchmarkWorkload.runner(baseURL: server.openAIBaseURL)
    let chatAgent = BenchmarkWorkload.agent(tools: false)
    let toolAgent = BenchmarkWorkload.agent()
    let chatFloor = RawFloor(
      baseURL: server.openAIBaseURL, bodies: try await RawFloor.capture(agent: chatAgent, streamed: true))
    let toolFloor = RawFloor(
      baseURL: server.openAIBaseURL, bodies: try await RawFloor.capture(agent: toolAgent, streamed: true))

    var rawFirst = LatencySamples()
    var agentFirst = LatencySamples()
    var rawWhole = LatencySamples()
    var agentWhole = LatencySamples()
    let clock = ContinuousClock()
    for index in 0..<(runs + runs / 10) {
      let measured = index >= runs / 10  // the first tenth warms up
      let raw = try await chatFloor.timeToFirstBodyPart()
      let first = try await Self.timeToFirstDelta(runner: runner, agent: chatAgent, clock: clock)
      let rawRun = try await clock.measure { try await toolFloor.run() }
      let agentRun = try await clock.measure {
        for try await _ in runner.runStreamed(toolAgent, input: BenchmarkWorkload.question) {}
      }
      guard measured else { continue }
      rawFirst.record(raw)
      agentFirst.record(first)
      rawWhole.record(rawRun)
      agentWhole.record(agentRun)
    }
    try await chatFloor.shutdown()
    try await toolFloor.shutdown()
    try await server.shutdown()

    let ttftOverhead = agentFirst.median - rawFirst.median
    let runOverhead = (agentWhole.median - rawWhole.median) / Double(toolFloor.bodies.count)
    print("time to first token: raw stream p50 \(format(rawFirst.median * 1000)) µs, runStreamed p50 \(format(agentFirst.median * 1000)) µs, overhead \(format(ttftOverhead * 1000)) µs")
    print("streamed run with a tool call: raw p50 \(format(rawWhole.median, digits: 3)) ms, runStreamed p50 \(format(agentWhole.median, digits: 3)) ms, overhead \(format(runOverhead * 1000)) µs per model call")
    try writeJSON(
      [
        "benchmark": "streaming", "runs": .int(runs),
        "ttft_raw_p50_ms": .double(rawFirst.median.rounded(to: 4)),
        "ttft_framework_p50_ms": .double(agentFirst.median.rounded(to: 4)),
        "ttft_overhead_ms": .double(ttftOverhead.rounded(to: 4)),
        "streamed_run_raw_p50_ms": .double(rawWhole.median.rounded(to: 4)),
        "streamed_run_framework_p50_ms": .double(agentWhole.median.rounded(to: 4)),
        "streamed_overhead_per_call_ms": .double(runOverhead.rounded(to: 4)),
      ], options: options)
    return true
  }

  /// The time from starting a streamed run until its first text delta; drains the rest of the run.
  static func timeToFirstDelta(runner: Runner, agent: Agent, clock: ContinuousClock) async throws -> Duration {
    let start = clock.now
    var first: Duration?
    for try await event in runner.runStreamed(agent, input: BenchmarkWorkload.question) {
      if first == nil, case .textDelta = event { first = clock.now - start }
    }
    guard let first else { throw BenchmarkOptions.Problem(description: "the streamed run produced no text") }
    return first
  }
}
