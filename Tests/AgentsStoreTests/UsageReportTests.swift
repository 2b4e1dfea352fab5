import AgentsStore
import Foundation
import Testing

@Suite("Usage analytics")
struct UsageReportTests {
  typealias Run = RunStoreTests

  @Test("p50 and p95 latency per agent use successful, uncached runs (nearest rank)", arguments: StoreBackend.available)
  func percentiles(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let runs = stores.runs
      // 1…100 ms in shuffled order, plus a slow failure and a fast cached answer that must not count.
      var records = (1...100).map { Run.run("a\($0)", agent: "a", milliseconds: ($0 * 37) % 100 + 1) }
      records.append(Run.run("slow-failure", agent: "a", milliseconds: 90_000, succeeded: false, errorKind: "timeout"))
      records.append(Run.run("cached", agent: "a", milliseconds: 0, cached: true))
      records += [10, 20, 30].map { Run.run("b\($0)", agent: "b", milliseconds: $0) }
      try await runs.record(contentsOf: records)

      let report = try await runs.usageReport()
      let a = try #require(report.agents.first { $0.agent == "a" })
      #expect(a.runs == 102)
      #expect(a.successes == 101)
      #expect(a.failures == 1)
      #expect(a.cachedRuns == 1)
      #expect(a.medianLatency == .milliseconds(50))
      #expect(a.p95Latency == .milliseconds(95))
      #expect(abs(a.successRate - 101.0 / 102.0) < 1e-9)
      let b = try #require(report.agents.first { $0.agent == "b" })
      #expect(b.medianLatency == .milliseconds(20))
      #expect(b.p95Latency == .milliseconds(30))
      #expect(b.medianTimeToFirstToken == nil)
    }
  }

  @Test("rankings: most used agents, models and tools; errors by kind", arguments: StoreBackend.available)
  func rankings(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let runs = stores.runs
      try await runs.record(contentsOf: [
        Run.run("1", agent: "writer", model: "llama3.2", tools: ["search", "search", "fetch"]),
        Run.run("2", agent: "writer", model: "qwen3", tools: ["search"]),
        Run.run("3", agent: "writer", model: "qwen3", succeeded: false, errorKind: "server_unreachable"),
        Run.run("4", agent: "coder", model: "qwen3", succeeded: false, errorKind: "max_turns"),
        Run.run("5", agent: "coder", model: "qwen3", succeeded: false, errorKind: "server_unreachable"),
        Run.run("6", agent: "critic", model: "llama3.2"),
      ])
      let report = try await runs.usageReport(limit: 2)
      #expect(report.mostUsedAgents.map(\.name) == ["writer", "coder"])
      #expect(report.mostUsedAgents.map(\.count) == [3, 2])
      #expect(report.agents.map(\.agent) == ["writer", "coder", "critic"])
      #expect(report.mostUsedModels.map { "\($0.name)=\($0.count)" } == ["qwen3=4", "llama3.2=2"])
      #expect(report.mostUsedTools.map { "\($0.name)=\($0.count)" } == ["search=3", "fetch=1"])
      #expect(report.errorsByKind.map { "\($0.name)=\($0.count)" } == ["server_unreachable=2", "max_turns=1"])
      #expect(report.totals.runs == 6)
      #expect(report.totals.failures == 3)
      #expect(report.totals.toolCalls == 4)
    }
  }

  @Test("model switches and totals respect the filter window", arguments: StoreBackend.available)
  func switchesAndTotals(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let runs = stores.runs
      var early = Run.run("early", at: 0)
      early.inputTokens = 100
      early.outputTokens = 10
      early.turns = 2
      var late = Run.run("late", at: 3600, cached: true)
      late.inputTokens = 5
      late.outputTokens = 1
      late.turns = 1
      try await runs.record(contentsOf: [early, late])
      try await runs.record(ModelSwitch(at: Run.start + 10, agent: "helper", fromModel: "a", toModel: "b", reason: "user"))
      try await runs.record(
        ModelSwitch(at: Run.start + 4000, agent: "helper", fromModel: "b", toModel: "c", reason: "fallback"))

      let all = try await runs.usageReport()
      #expect(all.totals.runs == 2)
      #expect(all.totals.cachedRuns == 1)
      #expect(all.totals.inputTokens == 105)
      #expect(all.totals.outputTokens == 11)
      #expect(all.totals.turns == 3)
      #expect(all.totals.modelSwitches == 2)
      #expect(all.totals.firstRun == Run.start)
      #expect(all.totals.lastRun == Run.start + 3600)
      #expect(all.recentModelSwitches.map(\.toModel) == ["c", "b"])

      let window = try await runs.usageReport(matching: RunFilter(since: Run.start + 1800))
      #expect(window.totals.runs == 1)
      #expect(window.totals.inputTokens == 5)
      #expect(window.recentModelSwitches.map(\.reason) == ["fallback"])
    }
  }

  @Test("an empty store gives an empty report", arguments: StoreBackend.available)
  func emptyReport(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let report = try await stores.runs.usageReport()
      #expect(report.agents.isEmpty)
      #expect(report.totals == UsageReport.Totals())
      #expect(report.errorsByKind.isEmpty)
    }
  }
}
