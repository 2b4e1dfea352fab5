@testable import Agents
import AgentsTesting
import Instrumentation
import ServiceContextModule
import Synchronization
import Testing
import Tracing

/// A tracer that keeps every finished span's name, attributes and errors.
final class RecordingTracer: Tracer, Sendable {
  struct Finished: Sendable {
    var name: String
    var attributes: SpanAttributes
    var failed: Bool
  }

  final class RecordingSpan: Tracing.Span, Sendable {
    let context: ServiceContext
    private let tracer: RecordingTracer
    private let state: Mutex<Finished>

    init(name: String, context: ServiceContext, tracer: RecordingTracer) {
      self.context = context
      self.tracer = tracer
      state = Mutex(Finished(name: name, attributes: [:], failed: false))
    }

    var isRecording: Bool { true }
    var operationName: String {
      get { state.withLock { $0.name } }
      set { state.withLock { $0.name = newValue } }
    }
    var attributes: SpanAttributes {
      get { state.withLock { $0.attributes } }
      set { state.withLock { $0.attributes = newValue } }
    }
    func setStatus(_ status: SpanStatus) {}
    func addLink(_ link: SpanLink) {}
    func addEvent(_ event: SpanEvent) {}
    func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
      state.withLock { $0.failed = true }
    }
    func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
      tracer.finished.withLock { $0.append(state.withLock { $0 }) }
    }
  }

  let finished = Mutex<[Finished]>([])

  var spans: [Finished] { finished.withLock { $0 } }

  func startSpan<Instant: TracerInstant>(
    _ operationName: String, context: @autoclosure () -> ServiceContext, ofKind kind: SpanKind,
    at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
  ) -> RecordingSpan {
    RecordingSpan(name: operationName, context: context(), tracer: self)
  }

  func forceFlush() {}
  func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
  where Inject.Carrier == Carrier {}
  func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
  where Extract.Carrier == Carrier {}
}

@Suite struct TracingTests {
  @Test func runsEmitSpansForEveryStep() async throws {
    let tracer = RecordingTracer()
    let (billing, _) = scriptedAgent("Billing", steps: [.text("paid")])
    let (triage, _) = scriptedAgent("Triage", steps: [
      .toolCall("get_weather", arguments: ["city": "Oslo"]), .toolCall("transfer_to_billing"),
    ], tools: [weatherTool()])
    triage.handoffs = [.to(billing)]
    triage.inputGuardrails = [InputGuardrail(name: "ok") { _, _, _ in GuardrailOutput(tripwireTriggered: false) }]
    _ = try await Runner(configuration: .init(tracer: tracer)).run(triage, input: "x")
    let names = tracer.spans.map(\.name)
    #expect(names.filter { $0 == "agents.model_call" }.count == 3)
    #expect(names.filter { $0 == "agents.agent" }.count == 2)
    #expect(names.filter { $0 == "agents.run" }.count == 1)
    #expect(names.filter { $0 == "agents.tool" }.count == 1)
    #expect(names.filter { $0 == "agents.handoff" }.count == 1)
    #expect(names.filter { $0 == "agents.guardrail" }.count == 1)
    #expect(names.last == "agents.run")
    let tool = try #require(tracer.spans.first { $0.name == "agents.tool" })
    #expect(tool.attributes.get("agents.tool.name") == .string("get_weather"))
    let handoff = try #require(tracer.spans.first { $0.name == "agents.handoff" })
    #expect(handoff.attributes.get("agents.handoff.to") == .string("Billing"))
  }

  @Test func withoutARunnerTracerTheActiveTracerGetsTheSpans() async throws {
    let tracer = RecordingTracer()
    let (agent, _) = scriptedAgent(steps: [.toolCall("get_weather", arguments: ["city": "Oslo"]), .text("sunny")],
      tools: [weatherTool()])
    _ = try await withTracer(tracer) { try await Runner().run(agent, input: "x") }
    let names = tracer.spans.map(\.name)
    #expect(names.filter { $0 == "agents.model_call" }.count == 2)
    #expect(names.filter { $0 == "agents.tool" }.count == 1)
    #expect(names.last == "agents.run")
    // With no tracer active, runs still complete (the spans are skipped, not half-made).
    let (plain, _) = scriptedAgent(steps: [.text("done")])
    #expect(try await Runner().run(plain, input: "x").text == "done")
    #expect(tracer.spans.count == names.count)
  }

  @Test func failuresAreRecordedOnTheSpans() async throws {
    let tracer = RecordingTracer()
    let (agent, _) = scriptedAgent(steps: [.toolCall("get_weather", arguments: ["city": "x"])], tools: [weatherTool()])
    await #expect(throws: AgentsError.self) {
      try await Runner(configuration: .init(tracer: tracer)).run(agent, input: "x", maxTurns: 1)
    }
    #expect(tracer.spans.first { $0.name == "agents.run" }?.failed == true)
  }
}
