@testable import Agents
import AgentsTesting
import Testing

@Suite struct ReasoningTests {
  @Test func thinkBlocksNeverReachTheFinalOutput() async throws {
    let (agent, _) = scriptedAgent(steps: [.text("<think>\nThe user greets me.\n</think>\n\nHello there!")])
    let result = try await Runner().run(agent, input: "Hi")
    #expect(result.text == "Hello there!")
    #expect(result.reasoning == ["The user greets me."])
    #expect(result.newItems.map(\.kind) == [.reasoning, .message])
  }

  @Test func separateReasoningFieldsAreExposed() async throws {
    let (agent, _) = scriptedAgent(steps: [.text("Answer", reasoning: "Thinking hard")])
    let result = try await Runner().run(agent, input: "Hi")
    #expect(result.text == "Answer")
    #expect(result.reasoning == ["Thinking hard"])
  }

  @Test func anOrphanClosingTagMakesEverythingBeforeItReasoning() {
    let split = ReasoningExtraction.split("Let me think about it.</think>The answer is 4.")
    #expect(split.text == "The answer is 4.")
    #expect(split.reasoning == "Let me think about it.")
  }

  @Test func anUnclosedThinkBlockIsAllReasoning() {
    let split = ReasoningExtraction.split("<think>I was cut off while thin")
    #expect(split.text == "")
    #expect(split.reasoning == "I was cut off while thin")
  }

  @Test func plainTextIsUntouched() {
    let split = ReasoningExtraction.split("Use a <b> tag, 3 < 4.")
    #expect(split.text == "Use a <b> tag, 3 < 4.")
    #expect(split.reasoning == nil)
  }

  @Test func streamedTagsSplitAtEveryPositionAreSeparated() {
    let text = "<think>plan</think>Hello <world> and <thinking>more</thinking>bye"
    for cut in 1..<text.count {
      var splitter = ThinkTagSplitter()
      let first = splitter.feed(String(text.prefix(cut)))
      let second = splitter.feed(String(text.dropFirst(cut)))
      let rest = splitter.finish()
      #expect(first.text + second.text + rest.text == "Hello <world> and bye", "cut at \(cut)")
      #expect(first.reasoning + second.reasoning + rest.reasoning == "planmore", "cut at \(cut)")
    }
  }

  @Test func streamedRunsSendThinkingAsReasoningDeltas() async throws {
    let (agent, _) = scriptedAgent(steps: [.stream([.text("<thi"), .text("nk>hmm</th"), .text("ink>Hi"), .text("!")])])
    var text = ""
    var reasoning = ""
    var final = ""
    for try await event in Runner().runStreamed(agent, input: "x") {
      switch event {
      case .textDelta(let delta): text += delta
      case .reasoningDelta(let delta): reasoning += delta
      case .finished(let result): final = result.text
      default: break
      }
    }
    #expect(text == "Hi!")
    #expect(reasoning == "hmm")
    #expect(final == "Hi!")
  }
}

@Suite struct TextToolCallRecoveryTests {
  static let known: Set<String> = ["get_weather", "transfer_to_billing"]

  @Test(arguments: [
    #"{"name": "get_weather", "arguments": {"city": "Paris"}}"#,
    #"{"name": "get_weather", "parameters": {"city": "Paris"}}"#,
    #"{"type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}"#,
    #"{"tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]}"#,
    "```json\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n```",
    "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>",
  ])
  func recognisedShapes(text: String) throws {
    let calls = try #require(TextToolCallRecovery.recover(from: text, knownNames: Self.known))
    #expect(calls.count == 1)
    #expect(calls[0].name == "get_weather")
    #expect(try JSONValue.parse(calls[0].arguments) == ["city": "Paris"])
  }

  @Test(arguments: [
    #"I will call {"name": "get_weather", "arguments": {"city": "Paris"}}"#,
    #"{"name": "get_forecast", "arguments": {"city": "Paris"}}"#,
    #"{"name": "get_weather", "arguments": {"city": "Paris"}, "note": "extra"}"#,
    #"{"name": "get_weather"}"#,
    #"{"name": "get_weather", "arguments": "not json"}"#,
    #"{"city": "Paris", "celsius": 3}"#,
    "The weather is nice.",
  ])
  func otherTextIsNotAToolCall(text: String) {
    #expect(TextToolCallRecovery.recover(from: text, knownNames: Self.known) == nil)
  }

  @Test func severalCallsInAnArrayOrInTags() throws {
    let array = #"[{"name":"get_weather","arguments":{"city":"A"}},{"name":"get_weather","arguments":{"city":"B"}}]"#
    #expect(TextToolCallRecovery.recover(from: array, knownNames: Self.known)?.count == 2)
    let tags = "<tool_call>{\"name\":\"get_weather\",\"arguments\":{}}</tool_call>\n<tool_call>{\"name\":\"transfer_to_billing\",\"arguments\":{}}</tool_call>"
    #expect(TextToolCallRecovery.recover(from: tags, knownNames: Self.known)?.map(\.name) == ["get_weather", "transfer_to_billing"])
  }

  @Test func aToolCallWrittenAsTextIsExecuted() async throws {
    let (agent, model) = scriptedAgent(
      steps: [.text(#"{"name": "get_weather", "arguments": {"city": "Lima"}}"#), .text("Lima is sunny.")],
      tools: [weatherTool()])
    let result = try await Runner().run(agent, input: "x")
    #expect(result.text == "Lima is sunny.")
    #expect(result.toolCallNames == ["get_weather"])
    #expect(model.calls[1].request.toolOutputs == ["Sunny, 21°C in Lima"])
    #expect(!result.newItems.contains { $0.kind == .message && $0.item.messageText?.contains("get_weather") == true })
  }

  @Test func recoveryCanBeSwitchedOff() async throws {
    let reply = #"{"name": "get_weather", "arguments": {"city": "Lima"}}"#
    let (agent, _) = scriptedAgent(steps: [.text(reply)], tools: [weatherTool()])
    let result = try await Runner(configuration: .init(recoversTextToolCalls: false)).run(agent, input: "x")
    #expect(result.text == reply)
  }
}
