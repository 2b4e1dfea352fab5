import AgentsStore
import AgentsTesting
import Foundation
import Testing

@Suite("Recording runs")
struct RunRecorderTests {
  static func usage(_ input: Int, _ output: Int) -> Usage { Usage(requests: 1, inputTokens: input, outputTokens: output) }

  @Test("a finished run is recorded with its agent, model, turns, tools and tokens")
  func recordsSuccess() async throws {
    let store = try TemporaryStore()
    let runs = RunStore(database: store.database)
    let exporter = PrometheusExporter()
    let recorder = RunRecorder(runs: runs, metrics: exporter.recorder)
    let model = ScriptedModel(name: "qwen3:8b", steps: [
      .toolCall("get_weather", arguments: ["city": "Oslo"], usage: Self.usage(100, 10)),
      .text("Cold in Oslo.", usage: Self.usage(150, 5)),
    ])
    let agent = Agent(name: "forecaster", model: .model(model), tools: [weatherTool])

    let result = try await recorder.recording(
      agent: "forecaster", model: "qwen3:8b", server: "http://user:secret@gpu:11434/v1", sessionID: "s1", runID: "run-1"
    ) {
      try await Runner().run(agent, input: "Weather in Oslo?")
    }
    #expect(result.finalOutputText == "Cold in Oslo.")

    let record = try #require(try await runs.runs().first)
    #expect(record.runID == "run-1")
    #expect(record.agent == "forecaster")
    #expect(record.model == "qwen3:8b")
    #expect(record.server == "http://<redacted>@gpu:11434/v1")
    #expect(record.sessionID == "s1")
    #expect(record.turns == 2)
    #expect(record.toolCalls == ["get_weather"])
    #expect(record.inputTokens == 250)
    #expect(record.outputTokens == 15)
    #expect(record.succeeded)
    #expect(record.errorKind == nil)
    #expect(record.servedFromCache == false)
    let drift = record.duration - result.duration  // stored as fractional milliseconds
    #expect(drift < .microseconds(1) && drift > .microseconds(-1))
    #expect(exporter.render().contains(#"agents_runs_total{agent="forecaster",model="qwen3:8b"} 1"#))
  }

  @Test("a failed run is recorded with its error kind and what it did, and the error is rethrown unchanged")
  func recordsFailure() async throws {
    let store = try TemporaryStore()
    let runs = RunStore(database: store.database)
    let recorder = RunRecorder(runs: runs)
    let unreachable = ModelServerError.serverUnreachable(url: "http://127.0.0.1:9/v1")
    let model = ScriptedModel(name: "llama3.2", steps: [.failure(unreachable)])
    let agent = Agent(name: "helper", model: .model(model))

    await #expect(throws: ModelServerError.self) {
      _ = try await recorder.recording(agent: "helper", model: "llama3.2", server: "http://127.0.0.1:9/v1") {
        try await Runner().run(agent, input: "hi")
      }
    }
    let record = try #require(try await runs.runs().first)
    #expect(record.succeeded == false)
    #expect(record.errorKind == "server_unreachable")
    #expect(record.model == "llama3.2")

    let looping = ScriptedModel(name: "m", steps: Array(repeating: .toolCall("get_weather"), count: 3))
    let stuck = Agent(name: "looper", model: .model(looping), tools: [weatherTool])
    await #expect(throws: AgentsError.self) {
      _ = try await recorder.recording(agent: "looper", model: "m", server: "local") {
        try await Runner().run(stuck, input: "go", maxTurns: 2)
      }
    }
    let loop = try #require(try await runs.runs(matching: RunFilter(agent: "looper")).first)
    #expect(loop.errorKind == "max_turns_exceeded")
    #expect(loop.turns == 2)
    #expect(loop.toolCalls == ["get_weather", "get_weather"])
    let report = try await runs.usageReport()
    #expect(report.errorsByKind.map(\.name).sorted() == ["max_turns_exceeded", "server_unreachable"])
  }

  @Test("new run ids are random version 4 UUIDs, upper-case as UUID().uuidString writes them")
  func newRunIDs() throws {
    let ids = (0..<200).map { _ in RunRecord.newID() }
    #expect(Set(ids).count == ids.count)
    for id in ids {
      let uuid = try #require(UUID(uuidString: id))
      #expect(uuid.uuidString == id)
      #expect(uuid.uuid.6 >> 4 == 4)  // version 4: random
      #expect(uuid.uuid.8 >> 6 == 0b10)  // the RFC 4122 variant
    }
  }

  @Test("error kinds are short stable names")
  func errorKinds() {
    #expect(RunRecord.errorKind(of: ModelServerError.timedOut(.firstByte, limit: .seconds(1), url: "u")) == "timed_out")
    #expect(RunRecord.errorKind(of: AgentsError(.modelBehavior, "bad")) == "model_behavior")
    #expect(
      RunRecord.errorKind(of: AgentsError(.toolsUnsupported, "no", underlying: ModelServerError.serverUnreachable(url: "u")))
        == "server_unreachable")
    #expect(RunRecord.errorKind(of: CancellationError()) == "cancelled")
    #expect(RunRecord.errorKind(of: StoreError(.busy, "locked")) == "store_busy")
    #expect(RunRecord.errorKind(of: TestFailure("anything else")) == "other")
  }

  @Test("a model switch is saved and shows in the report")
  func modelSwitch() async throws {
    let store = try TemporaryStore()
    let runs = RunStore(database: store.database)
    try await RunRecorder(runs: runs).recordModelSwitch(
      ModelSwitch(agent: "helper", fromModel: "llama3.2", toModel: "qwen3", reason: "user"))
    #expect(try await runs.usageReport().recentModelSwitches.map(\.toModel) == ["qwen3"])
  }
}
