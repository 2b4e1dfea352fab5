import AgentsStore
import Foundation
import Testing

@Suite("Run records")
struct RunStoreTests {
  static let start = Date(timeIntervalSince1970: 1_700_000_000)

  static func run(
    _ id: String, agent: String = "helper", model: String = "llama3.2", at offset: TimeInterval = 0,
    milliseconds: Int = 100, succeeded: Bool = true, errorKind: String? = nil, cached: Bool = false,
    tools: [String] = []
  ) -> RunRecord {
    RunRecord(
      runID: id, agent: agent, model: model, server: "http://127.0.0.1:11434", startedAt: start + offset,
      duration: .milliseconds(milliseconds), succeeded: succeeded, errorKind: errorKind, servedFromCache: cached)
      .with(tools: tools)
  }

  @Test("a record reads back with every field, tool calls in order", arguments: StoreBackend.available)
  func roundTrip(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let runs = stores.runs
      let record = RunRecord(
        runID: "r1", agent: "researcher", model: "qwen3:8b", server: "http://gpu-box:11434", sessionID: "chat",
        startedAt: Self.start, duration: .milliseconds(1234.5), timeToFirstToken: .milliseconds(250), inputTokens: 812,
        outputTokens: 96, turns: 3, toolCalls: ["search", "fetch", "search"], succeeded: false, errorKind: "max_turns",
        servedFromCache: true)
      #expect(try await runs.record(record))
      #expect(try await runs.runs() == [record])
    }
  }

  @Test("recording the same run id twice keeps the first record", arguments: StoreBackend.available)
  func duplicateIgnored(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let runs = stores.runs
      #expect(try await runs.record(Self.run("same", agent: "first")))
      #expect(try await runs.record(Self.run("same", agent: "second")) == false)
      #expect(try await runs.runs().map(\.agent) == ["first"])
    }
  }

  @Test("a failed run without an error kind is recorded as unknown", arguments: StoreBackend.available)
  func unknownErrorKind(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let runs = stores.runs
      try await runs.record(Self.run("f", succeeded: false))
      #expect(try await runs.runs().first?.errorKind == "unknown")
    }
  }

  @Test("filters select by agent, model, session and time; results are newest first", arguments: StoreBackend.available)
  func filters(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let runs = stores.runs
      try await runs.record(contentsOf: [
        Self.run("a1", agent: "a", at: 0), Self.run("a2", agent: "a", model: "other", at: 60),
        Self.run("b1", agent: "b", at: 120),
      ])
      #expect(try await runs.runs().map(\.runID) == ["b1", "a2", "a1"])
      #expect(try await runs.runs(matching: RunFilter(agent: "a")).map(\.runID) == ["a2", "a1"])
      #expect(try await runs.runs(matching: RunFilter(model: "other")).map(\.runID) == ["a2"])
      #expect(try await runs.runs(matching: RunFilter(since: Self.start + 60)).map(\.runID) == ["b1", "a2"])
      #expect(try await runs.runs(matching: RunFilter(until: Self.start + 60)).map(\.runID) == ["a1"])
      #expect(try await runs.runs(limit: 1).map(\.runID) == ["b1"])
      #expect(try await runs.count(matching: RunFilter(agent: "b")) == 1)
    }
  }

  @Test("old records can be deleted, and all of them", arguments: StoreBackend.available)
  func deletion(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let runs = stores.runs
      try await runs.record(contentsOf: [Self.run("old", at: 0, tools: ["t"]), Self.run("new", at: 100)])
      try await runs.record(ModelSwitch(at: Self.start, agent: "helper", fromModel: "a", toModel: "b", reason: "user"))
      #expect(try await runs.deleteRecords(before: Self.start + 50) == 1)
      #expect(try await runs.runs().map(\.runID) == ["new"])
      #expect(try await runs.usageReport().totals.modelSwitches == 0)
      #expect(try await runs.usageReport().totals.toolCalls == 0)
      #expect(try await runs.deleteAllRecords() == 1)
      #expect(try await runs.count() == 0)
    }
  }

  @Test("records with missing names or negative counts are refused", arguments: StoreBackend.available)
  func validation(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let runs = stores.runs
      var nameless = Self.run("x")
      nameless.agent = ""
      var negative = Self.run("y")
      negative.inputTokens = -1
      for bad in [nameless, negative] {
        await #expect {
          try await runs.record(contentsOf: [Self.run("fine"), bad])
        } throws: { error in
          (error as? StoreError)?.code == .invalidArgument
        }
      }
      #expect(try await runs.count() == 0)
    }
  }
}

extension RunRecord {
  func with(tools: [String]) -> RunRecord {
    var copy = self
    copy.toolCalls = tools
    return copy
  }
}
