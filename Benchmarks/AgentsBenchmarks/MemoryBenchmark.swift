import Agents
import WireCore

/// Peak resident memory with N conversations in flight at once, each an agent run with a tool call and an
/// in-memory session that stays alive until all have finished. Run one level per fresh process (as
/// `scripts/benchmark` does) so earlier levels do not raise the high-water mark. Target: ≤ 40 MB at 256.
struct MemoryBenchmark: Benchmark {
  let name = "memory"
  let summary = "peak RSS (VmHWM) with --conversations N concurrent runs with sessions; target ≤ 40 MB at 256"
  static let targetMegabytes = 40.0

  func run(_ options: BenchmarkOptions) async throws -> Bool {
    let conversations = try options.integer("conversations", default: 256)
    let server = try await BenchmarkServer.start(options)
    let runner = BenchmarkWorkload.runner(baseURL: server.openAIBaseURL)
    let agent = BenchmarkWorkload.agent()
    let before = peakResidentMegabytes() ?? 0
    let sessions = try await withThrowingTaskGroup(of: InMemorySession.self) { group in
      for index in 0..<conversations {
        group.addTask {
          let session = InMemorySession(sessionID: "conversation-\(index)")
          try AgentRunBenchmark.check(
            try await runner.run(agent, input: BenchmarkWorkload.question, session: session))
          return session
        }
      }
      var sessions: [InMemorySession] = []
      for try await session in group { sessions.append(session) }
      return sessions
    }
    var items = 0
    for session in sessions { items += await session.items().count }
    guard let peak = peakResidentMegabytes() else {
      print("peak RSS needs /proc/self/status (Linux)")
      return false
    }
    try await server.shutdown()
    print("\(conversations) concurrent conversations (\(items) session items): peak RSS \(format(peak)) MB (\(format(before)) MB before the runs; \(server.description))")
    try writeJSON(
      [
        "benchmark": "memory", "conversations": .int(conversations), "session_items": .int(items),
        "peak_rss_mb": .double(peak.rounded(to: 1)), "rss_before_runs_mb": .double(before.rounded(to: 1)),
      ], options: options)
    return conversations < 256 || peak <= Self.targetMegabytes
  }
}
