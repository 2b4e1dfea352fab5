@testable import Agents
import AgentsTesting
import Synchronization
import Testing

/// `Runner.run(_:input:onEvent:)`: a streamed run whose events go to a closure on the calling task.
@Suite struct EventHandlerRunTests {
  /// The events a run hands to `onEvent`, described.
  final class Events: Sendable {
    private let events = Mutex<[String]>([])
    var all: [String] { events.withLock { $0 } }
    func append(_ event: RunEvent) { events.withLock { $0.append(describe(event)) } }
  }

  @Test func theEventsAreThoseOfTheStreamedRunInTheSameOrder() async throws {
    func steps() -> [ScriptedModel.Step] {
      [
        .stream(
          [.reasoning("need weather")],
          response: ModelResponse(
            reasoning: "need weather",
            toolCalls: [ToolCall(id: "c", name: "get_weather", arguments: #"{"city":"Oslo"}"#)])),
        .stream([.text("It is "), .text("sunny.")]),
      ]
    }
    let (streamedAgent, _) = scriptedAgent(steps: steps(), tools: [weatherTool()])
    var streamed: [String] = []
    for try await event in Runner().runStreamed(streamedAgent, input: "x") { streamed.append(describe(event)) }

    let (agent, model) = scriptedAgent(steps: steps(), tools: [weatherTool()])
    let events = Events()
    let result = try await Runner().run(agent, input: [.user("x")], onEvent: events.append)
    #expect(events.all == streamed)
    #expect(events.all.last == "finished:It is sunny.")
    #expect(result.text == "It is sunny.")
    #expect(model.calls.count == 2 && model.calls.allSatisfy { $0.streamed })
    #expect(result.modelCalls.allSatisfy { $0.streamed })
  }

  @Test func errorsAreThrownAfterTheEventsBeforeThem() async throws {
    let (agent, _) = scriptedAgent(steps: [.toolCall("get_weather", arguments: ["city": "x"])], tools: [weatherTool()])
    let events = Events()
    await #expect {
      try await Runner().run(agent, input: [.user("x")], maxTurns: 1, onEvent: events.append)
    } throws: { error in
      (error as? AgentsError)?.code == .maxTurnsExceeded
    }
    #expect(events.all.contains("output:get_weather=Sunny, 21°C in x"))
    #expect(!events.all.contains { $0.hasPrefix("finished:") })
  }

  @Test func cancellingTheCallingTaskStopsTheModelStream() async throws {
    let (agent, model) = scriptedAgent(steps: [.stream([.text("Hel"), .waitForCancellation])])
    let events = Events()
    let run = Task { try await Runner().run(agent, input: [.user("x")], onEvent: events.append) }
    await waitUntil { events.all.contains("text:Hel") }
    run.cancel()
    _ = await run.result
    await waitUntil { model.cancelledCalls == 1 }
    #expect(model.cancelledCalls == 1)
    #expect(!events.all.contains { $0.hasPrefix("finished:") })
  }
}
