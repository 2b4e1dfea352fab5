@testable import Agents
import AgentsTesting
import Testing

/// Replies that must not end a run as its answer: a call in a fence of any language, an empty reply, a call
/// whose JSON does not parse inside prose.
extension AnswerScreeningTests {
  @Test func aCallInAFenceOfAnyLanguageIsACall() {
    for language in ["javascript", "python", "tool_call", "json", ""] {
      let reply = "```\(language)\n" + #"{"name": "add_numbers", "arguments": {"a": 1, "b": 2}}"# + "\n```"
      #expect(TextToolCallRecovery.looksLikeACall(reply) == "add_numbers", "\(language)")
    }
    let broken = "```javascript\n" + #"{"name": "print", "arguments": [1, 2, 3].map { $0 * 2 }}"# + "\n```"
    #expect(TextToolCallRecovery.looksLikeACall(broken) == "print")
    // Code in a fence is still an answer.
    #expect(TextToolCallRecovery.looksLikeACall("```javascript\nconst add = (a, b) => a + b;\n```") == nil)
  }

  @Test func aFencedCallToAToolTheAgentLacksIsAskedAgainThenEndsTheRun() async throws {
    let fenced = "```javascript\n" + #"{"name": "add_numbers", "arguments": {"a": 1, "b": 2}}"# + "\n```"
    let (agent, model) = assistant(steps: [.text(fenced), .text("function add(a, b) { return a + b; }")])
    let result = try await constrained.run(agent, input: "Write a JavaScript function that adds two numbers.")
    #expect(result.text == "function add(a, b) { return a + b; }")
    #expect(model.calls[1].request.tools.isEmpty)

    let (stubborn, _) = assistant(steps: [.text(fenced), .text(fenced)])
    await #expect(throws: AgentsError.self) { try await constrained.run(stubborn, input: "Add two numbers in JS.") }
  }

  @Test func anEmptyReplyIsAskedAgainThenEndsTheRun() async throws {
    var events: [RunEvent] = []
    let (agent, model) = assistant(steps: [.text(""), .text("It prints 6.")])
    for try await event in constrained.runStreamed(agent, input: "What does print(2 * 3) print?") {
      events.append(event)
    }
    guard case .finished(let result)? = events.last else { Issue.record("no result"); return }
    #expect(result.text == "It prints 6.")
    #expect(model.calls[1].request.tools.isEmpty)
    #expect(events.contains { if case .replyDiscarded("was empty") = $0 { true } else { false } })

    // Twice empty (also whitespace), on either strategy: an error that says so, not an empty answer.
    for runner in [constrained, Runner()] {
      let (silent, _) = assistant(steps: [.text(""), .text(" \n ")])
      do {
        _ = try await runner.run(silent, input: "What does print(2 * 3) print?")
        Issue.record("an empty answer ended the run")
      } catch let error as AgentsError {
        #expect(error.code == .modelBehavior)
        #expect(error.message.contains("gave an empty reply, also when asked again"), "\(error.message)")
      }
    }
  }

  /// After its tool ran, an agent's empty reply is asked again with the tools (and their results) still in view.
  @Test func anEmptyReplyAfterAToolCallKeepsTheToolsInView() async throws {
    let (agent, model) = scriptedAgent(
      steps: [.toolCall("get_weather", arguments: ["city": "Oslo"], id: "a"), .text(""), .text("Sunny.")],
      tools: [weatherTool()])
    let result = try await constrained.run(agent, input: "Weather in Oslo?")
    #expect(result.text == "Sunny.")
    #expect(!model.calls[2].request.tools.isEmpty)
  }

  @Test func aCallWithBrokenJSONInsideProseIsNoAnswer() async throws {
    let broken =
      #"The code calls {"name": "print", "arguments": [{"type": "array", "value": [1, 2, 3]}], "value": [2, 4, 6]"#
      + " and prints the result."
    #expect(AnswerScreening.brokenEmbeddedCall(in: broken) == "print")
    let arrayArguments = #"It runs {"name": "print", "arguments": [{"type": "array"}]} first."#
    #expect(AnswerScreening.brokenEmbeddedCall(in: arrayArguments) == "print")
    #expect(AnswerScreening.brokenEmbeddedCall(in: #"Send {"name": "x", "arguments": {"a": 1}} to it."#) == nil)
    #expect(AnswerScreening.brokenEmbeddedCall(in: #"A person: {"name": "Ada", "age": 36"#) == nil)

    // To a tool the agent has, or one it lacks: asked again without tools, and never the answer.
    let offered = broken.replacing("print", with: "get_weather")
    for reply in [broken, offered] {
      let (agent, model) = assistant(steps: [.text(reply), .text("It prints [2, 4, 6].")])
      let result = try await constrained.run(agent, input: "What does print([1, 2, 3].map { $0 * 2 }) print?")
      #expect(result.text == "It prints [2, 4, 6].")
      #expect(model.calls[1].request.tools.isEmpty)
      let (stubborn, _) = assistant(steps: [.text(reply), .text(reply)])
      await #expect(throws: AgentsError.self) { try await constrained.run(stubborn, input: "What prints?") }
    }
  }
}
