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

  @Test func theTagScanFindsWhatASearchForTheMarkersFinds() {
    let texts = [
      "", "<", "<think", "</think", "a <thin", "x </thinking> y", "< think>", "<<think>", "<b>3 < 4</b>", "</", "<Think>",
      "é<think>ü", "text </ think>",
    ]
    for text in texts {
      #expect(
        ReasoningExtraction.holdsThinkTag(text) == (text.contains("<think") || text.contains("</think")), "\(text)")
    }
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

@Suite struct TextToolCallRunTests {
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
