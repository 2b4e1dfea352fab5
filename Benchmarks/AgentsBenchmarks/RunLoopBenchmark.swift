import Agents
import WireCore

/// The run loop alone: the benchmark's agent run (tool call, then answer) against an in-memory model that
/// answers at once, without HTTP or JSON on the wire. What is left of a run's time is the SDK's own work:
/// preparing calls, decoding and running the tool, recording items.
struct RunLoopBenchmark: Benchmark {
  let name = "run-loop"
  let summary = "the run loop alone: agent runs against an in-memory model (no HTTP), µs per run"

  func run(_ options: BenchmarkOptions) async throws -> Bool {
    let runs = try options.integer("runs", default: 20000)
    let agent = BenchmarkWorkload.agent()
    agent.model = .model(InstantModel())
    let runner = Runner()
    try AgentRunBenchmark.check(try await runner.run(agent, input: BenchmarkWorkload.question))
    let run: @Sendable () async throws -> Void = { _ = try await runner.run(agent, input: BenchmarkWorkload.question) }
    _ = try await measureRuns(total: runs / 10, concurrency: 1, run)  // warm-up
    let statistics = try await measureRuns(total: runs, concurrency: 1, run)
    let perRun = statistics.latencies.median * 1000
    print("run loop alone: \(format(perRun)) µs per run (p50), \(format(statistics.runsPerSecond, digits: 0)) runs/s")
    try writeJSON(
      ["benchmark": "run-loop", "runs": .int(runs), "p50_us_per_run": .double(perRun.rounded(to: 2))], options: options)
    return true
  }
}

/// A model that answers like the fake server's script, at once and in memory.
struct InstantModel: Model {
  let name = BenchmarkWorkload.modelName

  func response(to request: ModelRequest) async throws -> ModelResponse {
    if case .toolOutput = request.input.last {
      return ModelResponse(text: BenchmarkWorkload.answer, finishReason: "stop")
    }
    return ModelResponse(
      toolCalls: [ToolCall(id: "call_1", name: BenchmarkWorkload.toolName, arguments: #"{"city":"Paris"}"#)],
      finishReason: "tool_calls")
  }

  func streamResponse(to request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: ModelStreamEvent.self)
    let task = Task {
      do {
        continuation.yield(.completed(try await response(to: request)))
        continuation.finish()
      } catch {
        continuation.finish(throwing: error)
      }
    }
    continuation.onTermination = { _ in task.cancel() }
    return stream
  }
}
