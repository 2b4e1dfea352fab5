import Agents
@testable import AgentsStore
import AgentsTesting
import Foundation
import Testing
import TestSupport

/// Cut answers in run records: the flag and finish reason are stored, counted by the usage report, carried over
/// from a schema-3 database, and set from a ``RunResult``.
@Suite("Cut answers in run records")
struct TruncatedRunTests {
  typealias Run = RunStoreTests

  @Test(
    "the flag and finish reason read back and are counted per agent and in total", arguments: StoreBackend.available)
  func countedInTheReport(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let runs = stores.runs
      var cut = Run.run("cut", agent: "writer")
      cut.truncated = true
      cut.finishReason = "length"
      var looped = Run.run("looped", agent: "writer")
      looped.truncated = true
      looped.finishReason = "repetition"
      var whole = Run.run("whole", agent: "writer")
      whole.finishReason = "stop"
      try await runs.record(contentsOf: [cut, looped, whole, Run.run("other", agent: "coder")])
      let stored = try await runs.runs()
      #expect(stored.first { $0.runID == "cut" }?.truncated == true)
      #expect(stored.first { $0.runID == "cut" }?.finishReason == "length")
      #expect(stored.first { $0.runID == "looped" }?.finishReason == "repetition")
      #expect(stored.first { $0.runID == "whole" }?.truncated == false)
      #expect(stored.first { $0.runID == "other" }?.finishReason == nil)
      let report = try await runs.usageReport()
      #expect(report.totals.truncatedRuns == 2)
      #expect(report.agents.first { $0.agent == "writer" }?.truncatedRuns == 2)
      #expect(report.agents.first { $0.agent == "coder" }?.truncatedRuns == 0)
    }
  }

  @Test("runs recorded before the columns existed read as complete answers")
  func migratedFromSchemaThree() async throws {
    let temporary = try TemporaryDirectory()
    let path = temporary.file("v3.sqlite")
    try await makeDatabase(
      at: path, schemaVersion: 3,
      """
      INSERT INTO runs (run_id, agent, model, server, started_at, duration_ms, input_tokens, output_tokens,
                        turns, success, from_cache)
      VALUES ('old', 'writer', 'llama3.2', 'http://127.0.0.1:11434', 1, 10, 1, 1, 1, 1, 0)
      """)
    let runs = RunStore(database: try AgentsDatabase.open(at: path))
    let old = try #require(try await runs.runs().first)
    #expect(old.truncated == false)
    #expect(old.finishReason == nil)
    #expect(try await runs.usageReport().totals.truncatedRuns == 0)
  }

  @Test("a run record from a cut RunResult is flagged")
  func fromRunResult() async throws {
    let model = ScriptedModel(steps: [.response(ModelResponse(text: "Once", finishReason: "length"))])
    let result = try await Runner().run(Agent(name: "Writer", model: .model(model)), input: "Story")
    let record = RunRecord(result: result, server: "http://127.0.0.1:11434", startedAt: Date())
    #expect(record.truncated)
    #expect(record.finishReason == "length")
  }
}
