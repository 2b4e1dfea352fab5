import Agents
import WireCore

/// Framework overhead per agent run: a run with one function tool call (two model calls) against the raw
/// floor (the same two requests as bare POSTs), sequentially and at higher concurrency.
///
/// Both sides run in alternating rounds, so machine load affects them alike. The overhead per model call is
/// half the difference of the per-run medians. Target: ≤ 0.3 ms per model call (sequential).
struct AgentRunBenchmark: Benchmark {
  let name = "agent-run"
  let summary = "agent run with a tool call vs the raw floor at --concurrency 1,32,256; target ≤ 0.3 ms/call"
  static let targetMilliseconds = 0.3

  func run(_ options: BenchmarkOptions) async throws -> Bool {
    let runs = try options.integer("runs", default: 1000)
    let rounds = try options.integer("rounds", default: 3)
    let levels = try options.integers("concurrency", default: [1, 32, 256])
    let server = try await BenchmarkServer.start(options)
    let agent = BenchmarkWorkload.agent()
    let runner = BenchmarkWorkload.runner(baseURL: server.openAIBaseURL)
    let floor = RawFloor(
      baseURL: server.openAIBaseURL, bodies: try await RawFloor.capture(agent: agent, streamed: false))
    try await Self.check(runner.run(agent, input: BenchmarkWorkload.question))
    print("agent run = \(floor.bodies.count) model calls; \(server.description); \(rounds) alternating rounds")

    var results: [JSONValue] = []
    var passed = true
    for concurrency in levels {
      let perRound = max(runs / rounds, concurrency * 4)
      let agentRun: @Sendable () async throws -> Void = {
        _ = try await runner.run(agent, input: BenchmarkWorkload.question)
      }
      // Warm-up: connections, caches, the allocator's pools.
      _ = try await measureRuns(total: concurrency * 2, concurrency: concurrency, floor.run)
      _ = try await measureRuns(total: concurrency * 2, concurrency: concurrency, agentRun)
      var raw = RunStatistics()
      var framework = RunStatistics()
      for _ in 0..<rounds {
        raw.add(try await measureRuns(total: perRound, concurrency: concurrency, floor.run))
        framework.add(try await measureRuns(total: perRound, concurrency: concurrency, agentRun))
      }
      let calls = Double(floor.bodies.count)
      let overhead = (framework.latencies.median - raw.latencies.median) / calls
      let costPerCall = (1 / framework.runsPerSecond - 1 / raw.runsPerSecond) * 1000 / calls
      print("concurrency \(concurrency):")
      print("  raw floor  \(raw.line)")
      print("  agent run  \(framework.line)")
      print("  overhead per model call: \(format(overhead * 1000)) µs latency (p50), \(format(costPerCall * 1000)) µs of wall time per call")
      if concurrency == 1 { passed = overhead <= Self.targetMilliseconds }
      results.append([
        "concurrency": .int(concurrency), "raw": raw.json, "framework": framework.json,
        "overhead_per_call_ms": .double(overhead.rounded(to: 4)),
        "wall_time_per_call_ms": .double(costPerCall.rounded(to: 4)),
      ])
    }
    try await floor.shutdown()
    try await server.shutdown()
    try writeJSON(["benchmark": "agent-run", "model_calls_per_run": .int(floor.bodies.count), "levels": .array(results)], options: options)
    print(passed ? "PASS: overhead ≤ \(Self.targetMilliseconds) ms per model call" : "FAIL: overhead above \(Self.targetMilliseconds) ms per model call")
    return passed
  }

  /// Makes sure the scripted run did what the benchmark claims: one tool call, two model calls, the answer.
  static func check(_ result: RunResult) throws {
    guard result.turns == 2, result.finalOutputText == BenchmarkWorkload.answer else {
      throw BenchmarkOptions.Problem(
        description: "the scripted run did not go tool call → answer: \(result.turns) turns, output '\(result.finalOutputText)'")
    }
  }
}
