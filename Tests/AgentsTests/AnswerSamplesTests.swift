@testable import Agents
import AgentsTesting
import Testing

/// Self-consistency: a small model's final answer drawn several times, the most agreed one kept.
@Suite struct AnswerSamplesTests {
  private static let wrong = "It multiplies each element, so it prints `[4, 8, 12]`."
  private static let right = "Each element is doubled: it prints `[2, 4, 6]`."
  private static let rightAgain = "The map doubles the numbers and the output is `[2, 4, 6]`."

  private func sampledAgent(_ steps: [ScriptedModel.Step], samples: Int = 3) -> (Agent, ScriptedModel) {
    let (agent, model) = scriptedAgent(steps: steps)
    agent.answerSamples = samples
    return (agent, model)
  }

  @Test func theAnswerSharingMostWithTheOthersIsChosen() {
    #expect(AnswerAgreement.mostAgreed([Self.wrong, Self.right, Self.rightAgain]) == 1)
    #expect(AnswerAgreement.mostAgreed([Self.right, Self.wrong, Self.rightAgain]) == 0)
    // Code blocks weigh most: one of the two answers with the same fix (however indented) is chosen.
    let fixes = [
      "Use `indices`:\n```swift\nfor i in items.indices { print(items[i]) }\n```",
      "The range goes one past the end:\n```swift\nfor i in 0..<items.count { print(items[i]) }\n```",
      "Off by one; write\n```swift\nfor i in 0..<items.count {\n    print(items[i])\n}\n```",
    ]
    #expect([1, 2].contains(AnswerAgreement.mostAgreed(fixes)))
    #expect(AnswerAgreement.mostAgreed(["a", "b"]) == 0)  // no agreement at all: the first
    #expect(AnswerAgreement.mostAgreed([]) == nil)
    #expect(AnswerAgreement.similarity(Self.right, Self.right) == 1)
  }

  @Test func aFinalAnswerIsDrawnAgainAndTheMostAgreedKept() async throws {
    let (agent, model) = sampledAgent([.text(Self.wrong), .text(Self.right), .text(Self.rightAgain)])
    let result = try await Runner(configuration: .init(toolCalling: .constrained)).run(agent, input: "What prints?")
    // The further samples run at once, so either may have drawn either right answer; they agree most.
    #expect([Self.right, Self.rightAgain].contains(result.finalOutputText))
    #expect(model.calls.count == 3)
    #expect(model.calls.dropFirst().allSatisfy { $0.request.settings.temperature == RunLoop.answerSampleTemperature })
    #expect(result.usage.requests == 3)  // every sample's usage counts
    #expect(result.history.last == .assistant(result.finalOutputText))
  }

  @Test func aFixedSeedMovesOnForEachSample() async throws {
    let (agent, model) = sampledAgent([.text(Self.right), .text(Self.right), .text(Self.right)])
    agent.modelSettings.seed = 42
    agent.modelSettings.temperature = 0.3
    _ = try await Runner(configuration: .init(toolCalling: .constrained)).run(agent, input: "What prints?")
    #expect(model.calls.map(\.request.settings.seed) == [42, 43, 44])
    #expect(model.calls.map(\.request.settings.temperature) == [0.3, 0.3, 0.3])
  }

  @Test func samplesThatAreNoAnswersDoNotTakePart() async throws {
    let call = #"{"name": "print", "arguments": {"value": "[4, 8, 12]"}}"#
    let (agent, _) = sampledAgent([.text(Self.wrong), .text(call), .text("")])
    let result = try await Runner(configuration: .init(toolCalling: .constrained)).run(agent, input: "What prints?")
    #expect(result.finalOutputText == Self.wrong)
  }

  @Test func aFailedSampleLeavesTheOthers() async throws {
    let failure = AgentsError(.modelBehavior, "boom")
    let (agent, _) = sampledAgent([.text(Self.wrong), .failure(failure), .text(Self.right)])
    let result = try await Runner(configuration: .init(toolCalling: .constrained)).run(agent, input: "What prints?")
    #expect([Self.wrong, Self.right].contains(result.finalOutputText))
  }

  @Test func toolCallsNativeRunsAndSingleSamplesAreNotSampled() async throws {
    let (withTool, toolModel) = scriptedAgent(
      steps: [
        .response(ModelResponse(toolCalls: [ToolCall(id: "c", name: "get_weather", arguments: #"{"city":"Oslo"}"#)])),
        .text(Self.right), .text(Self.right), .text(Self.rightAgain),
      ], tools: [weatherTool()])
    withTool.answerSamples = 3
    _ = try await Runner(configuration: .init(toolCalling: .constrained)).run(withTool, input: "Weather?")
    #expect(toolModel.calls.count == 4)  // the call once, the answer three times

    let (native, nativeModel) = sampledAgent([.text(Self.wrong)])
    let answer = try await Runner(configuration: .init(toolCalling: .native)).run(native, input: "What prints?")
    #expect(answer.finalOutputText == Self.wrong)
    #expect(nativeModel.calls.count == 1)

    let (single, singleModel) = sampledAgent([.text(Self.wrong)], samples: 1)
    _ = try await Runner(configuration: .init(toolCalling: .constrained)).run(single, input: "What prints?")
    #expect(singleModel.calls.count == 1)
  }

  /// A streamed run says it compares answers, and shows only the chosen one.
  @Test func aStreamedRunShowsOnlyTheChosenAnswer() async throws {
    let (agent, model) = sampledAgent([
      .stream([.text("It multiplies "), .text("each element, so it prints `[4, 8, 12]`.")]), .text(Self.right),
      .text(Self.rightAgain),
    ])
    var events: [String] = []
    for try await event in Runner(configuration: .init(toolCalling: .constrained)).runStreamed(
      agent, input: "What prints?")
    {
      events.append(describe(event))
    }
    let chosen = events.last.map { String($0.dropFirst("finished:".count)) } ?? ""
    #expect([Self.right, Self.rightAgain].contains(chosen))
    #expect(events == ["agent:Assistant", "sampling:3", "text:\(chosen)", "message:\(chosen)", "finished:\(chosen)"])
    #expect(model.calls.allSatisfy { $0.streamed })  // silently: a repeating sample is stopped early
  }
}
