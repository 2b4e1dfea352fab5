@testable import Agents
import AgentsTesting
import Testing

/// Replies that read as answers but are not (a JSON call to a tool that does not exist inside prose, a tool's
/// description, the run's own instructions) are taken back and asked again without tools, on scripted models.
@Suite struct AnswerScreeningTests {
  let constrained = Runner(configuration: .init(toolCalling: .constrained))
  let question = "Find the bug: for i in 0...items.count { print(items[i]) }"

  /// A coding-assistant-like agent with a tool whose description a small model might repeat.
  func assistant(steps: [ScriptedModel.Step]) -> (Agent, ScriptedModel) {
    let patch = FunctionTool(
      name: "apply_patch",
      description: "Change an existing text file with a unified diff: context lines starting with a space, "
        + "removed lines with '-', added lines with '+'."
    ) { (arguments: CityArguments, _: ToolContext) in arguments.city }
    return scriptedAgent("Coding Assistant", steps: steps, tools: [weatherTool(), patch])
  }

  @Test func aCallObjectToAnUnknownNameInsideProseIsFound() {
    let prose = "The fix:\n```json\n" + #"{"name": "find_items", "arguments": {"items": []}}"# + "\n```\nDone."
    #expect(AnswerScreening.embeddedCall(in: prose, callable: ["get_weather"]) == "find_items")
    let wrapped = #"Use {"type": "function", "function": {"name": "reverse", "arguments": "{\"s\": \"ab\"}"}} here."#
    #expect(AnswerScreening.embeddedCall(in: wrapped, callable: []) == "reverse")
    // An offered tool, data with a name, and a name without arguments are no such call.
    #expect(AnswerScreening.embeddedCall(in: prose, callable: ["find_items"]) == nil)
    #expect(AnswerScreening.embeddedCall(in: #"Store it as {"name": "Ada", "age": 36}."#, callable: []) == nil)
    #expect(
      AnswerScreening.embeddedCall(in: #"A record: {"name": "x", "arguments": {}, "age": 3}"#, callable: []) == nil)
    #expect(AnswerScreening.embeddedCall(in: #"Call {"name": "print"} now"#, callable: []) == nil)
    #expect(AnswerScreening.embeddedCall(in: #"{"name": "two words", "arguments": {}}"#, callable: []) == nil)
  }

  @Test func copyingMeansSevenWordsInARowThatTheUserDidNotWrite() {
    let source = "Change a file with a unified diff: context lines starting with a space, removed lines with '-'."
    let answer = "It prints the patch: context lines starting with a Space, removed lines with minus signs."
    #expect(AnswerScreening.copies(source, in: answer, notIn: []))
    #expect(
      !AnswerScreening.copies(
        source, in: answer, notIn: ["what are context lines starting with a space, removed lines with?"]))
    #expect(!AnswerScreening.copies(source, in: "Context lines start with a space in a unified diff.", notIn: []))
  }

  @Test func proseAroundACallToAnUnknownToolIsAskedAgainWithoutTools() async throws {
    let bogus = "Here is the fix:\n```json\n" + #"{"name": "find_items", "arguments": {"items": []}}"# + "\n```"
    let (agent, model) = assistant(steps: [
      .text(bogus), .text("The loop reads one past the end: use 0..<items.count."),
    ])
    var events: [RunEvent] = []
    for try await event in constrained.runStreamed(agent, input: question) { events.append(event) }
    guard case .finished(let result)? = events.last else { Issue.record("no result"); return }
    #expect(result.text == "The loop reads one past the end: use 0..<items.count.")
    #expect(model.calls[1].request.tools.isEmpty)
    #expect(model.calls[1].request.input == model.calls[0].request.input)  // the reply is taken back
    #expect(
      events.contains {
        if case .replyDiscarded(let reason) = $0 {
          reason == "called 'find_items', which this agent does not have"
        } else {
          false
        }
      })

    // Asked again, a reply that still shows such a call ends the run (one corrective turn), and a model that is
    // not on the constrained strategy keeps its answer as it is.
    let (stubborn, _) = assistant(steps: [.text(bogus), .text(bogus)])
    await #expect(throws: AgentsError.self) { try await constrained.run(stubborn, input: question) }
    let (large, largeModel) = assistant(steps: [.text(bogus)])
    #expect(try await Runner().run(large, input: question).text == bogus)
    #expect(largeModel.calls.count == 1)
  }

  @Test func aReplyThatRepeatsAToolsDescriptionIsAskedAgainWithoutTools() async throws {
    let leaked =
      "The code prints the result of applying the patch: context lines starting with a space, removed "
      + "lines with '-' and added lines with '+'."
    let (agent, model) = assistant(steps: [.text(leaked), .text("It prints 12.")])
    var events: [RunEvent] = []
    for try await event in constrained.runStreamed(agent, input: "What does print(sum([1, 2, 3]) * 2) print?") {
      events.append(event)
    }
    guard case .finished(let result)? = events.last else { Issue.record("no result"); return }
    #expect(result.text == "It prints 12.")
    #expect(model.calls[1].request.tools.isEmpty)
    let reasons = events.compactMap { event -> String? in
      if case .replyDiscarded(let reason) = event { reason } else { nil }
    }
    #expect(reasons == ["repeated the description of the tool 'apply_patch' instead of answering"])
  }

  @Test func anAnswerThatRepeatsTheRunsGuidanceIsAskedAgainThenRefused() async throws {
    let echo =
      "You already called get_weather with these arguments, and the result was: Sunny, 21°C in Oslo\n"
      + "Do not call it again. Use this result to answer the user."
    let (agent, model) = scriptedAgent(
      steps: [
        .toolCall("get_weather", arguments: ["city": "Oslo"], id: "a"),
        .toolCall("get_weather", arguments: ["city": "Oslo"], id: "b"), .text(echo), .text("Sunny, 21°C."),
      ], tools: [weatherTool()])
    let result = try await Runner().run(agent, input: "Weather in Oslo?")
    #expect(result.text == "Sunny, 21°C.")
    #expect(model.calls[3].request.tools.isEmpty)
    #expect(!result.history.contains { $0.messageText == echo })

    // The same on the constrained strategy, where the new request also leaves the calls out.
    let (small, smallModel) = scriptedAgent(
      steps: [
        .toolCall("get_weather", arguments: ["city": "Oslo"], id: "a"),
        .toolCall("get_weather", arguments: ["city": "Oslo"], id: "b"), .text(echo), .text("Sunny, 21°C."),
      ], tools: [weatherTool()])
    #expect(try await constrained.run(small, input: "Weather in Oslo?").text == "Sunny, 21°C.")
    #expect(smallModel.calls.last?.request.input == [.user("Weather in Oslo?")])

    // A model that repeats it again gets no answer passed off as its own.
    let (stubborn, _) = scriptedAgent(
      steps: [
        .toolCall("get_weather", arguments: ["city": "Oslo"], id: "a"),
        .toolCall("get_weather", arguments: ["city": "Oslo"], id: "b"), .text(echo), .text(echo),
      ], tools: [weatherTool()])
    await expectAgentsError(.modelBehavior, mentioning: "repeated a message this program wrote to the model") {
      _ = try await Runner().run(stubborn, input: "Weather in Oslo?")
    }
    // The user's own words are theirs to have repeated.
    let (quoting, _) = scriptedAgent(steps: [.text(echo)], tools: [weatherTool()])
    #expect(try await Runner().run(quoting, input: "Repeat exactly: " + echo).text == echo)
  }

  /// Any text the run wrote to the model is no answer either: an unknown tool's message, an argument error, a
  /// refused approval (seen: a run ended with the unknown-tool message as its answer, and the test passed).
  @Test func aReplyThatRepeatsAnyMessageTheRunWroteIsAskedAgainWithoutTools() async throws {
    let unknownEcho =
      "Tool `add_numbers` not found. Available tools: get_weather. Call one of those, or answer directly."
    let (agent, model) = scriptedAgent(
      steps: [.toolCall("add_numbers", arguments: ["a": 2, "b": 3], id: "a"), .text(unknownEcho), .text("5.")],
      tools: [weatherTool()])
    var events: [RunEvent] = []
    for try await event in Runner().runStreamed(agent, input: "What is 2 + 3?") { events.append(event) }
    guard case .finished(let result)? = events.last else { Issue.record("no result"); return }
    #expect(result.text == "5.")
    #expect(model.calls[2].request.tools.isEmpty)
    #expect(
      events.contains {
        if case .replyDiscarded(let reason) = $0 { reason.contains("this program wrote") } else { false }
      })

    let argumentEcho = "An error occurred while parsing the arguments for tool get_weather, so I cannot say."
    let (badArguments, badModel) = scriptedAgent(
      steps: [.toolCall("get_weather", arguments: ["town": "Oslo"], id: "a"), .text(argumentEcho), .text("No idea.")],
      tools: [weatherTool()])
    #expect(try await Runner().run(badArguments, input: "Weather in Oslo?").text == "No idea.")
    #expect(badModel.calls.count == 3)

    let refusalEcho = "The user did not approve this call of 'write_file', so it did not run."
    let (writer, writerModel) = scriptedAgent(
      steps: [writeStep("notes.txt", id: "w1"), .text(refusalEcho), .text("I did not write notes.txt.")],
      tools: [writeTool(Recorder())])
    var state = try #require(try await Runner().run(writer, input: "Write notes").state)
    state.reject(state.interruptions[0])
    #expect(try await Runner().run(state).text == "I did not write notes.txt.")
    #expect(writerModel.calls.count == 3)
  }

  /// The echo of the run's correction after a call to something that does not exist still gets its retry without
  /// tools (seen after a handoff: the coding assistant repeated "'add_numbers' is not something you can call").
  @Test func theEchoOfACorrectionIsAskedAgainWithoutTools() async throws {
    let (agent, model) = scriptedAgent(
      steps: [
        .text(#"{"name": "add_numbers", "arguments": {"a": 1, "b": 2}}"#),
        .text("The function 'add_numbers' is not something you can call (you can call: get_weather)."), .text("3."),
      ], tools: [weatherTool()])
    #expect(try await Runner().run(agent, input: "What is 1 + 2?").text == "3.")
    #expect(model.calls[2].request.tools.isEmpty)
    #expect(!model.calls[2].request.input.contains { $0.messageText?.contains("not something you can call") == true })
  }

  /// A tool's own words (its output, its error text) are the model's to quote in an answer.
  @Test func aToolsOwnErrorTextQuotedInTheAnswerIsKept() async throws {
    struct Closed: Error, CustomStringConvertible {
      var description: String { "the weather service for Oslo is closed until nine tonight" }
    }
    let closed = FunctionTool(name: "get_weather", description: "Weather") {
      (_: CityArguments, _: ToolContext) -> String in throw Closed()
    }
    let answer = "Sorry: the weather service for Oslo is closed until nine tonight."
    let (agent, model) = scriptedAgent(
      steps: [.toolCall("get_weather", arguments: ["city": "Oslo"], id: "a"), .text(answer)], tools: [closed])
    #expect(try await Runner().run(agent, input: "Weather in Oslo?").text == answer)
    #expect(model.calls.count == 2)
  }

  @Test func asciiWordCharactersAreTheLettersAndDigits() {
    for code in UInt8(0)...UInt8(127) {
      let character = Character(UnicodeScalar(code))
      #expect(AnswerScreening.isWordCharacter(character) == (character.isLetter || character.isNumber), "\(code)")
    }
    #expect(
      AnswerScreening.isWordCharacter("é") && AnswerScreening.isWordCharacter("٣")
        && !AnswerScreening.isWordCharacter("—"))
  }

  @Test func asciiTextIsSplitIntoTheSameWordsAsByCharacters() {
    let texts = [
      "Hello, World! 42 times\r\nnext-line\ttab_under_score", "  leading and trailing  ", "", "...",
      "MiXeD CaSe 3.14 x2", "café naïve — ünïcode ٣ words", "a\r\nb",
    ]
    for text in texts {
      let expected = text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
      #expect(AnswerScreening.words(in: text).map(String.init) == expected, "\(text)")
    }
  }

  @Test func theWordLookupFindsExactlyTheCopiesTheRunsFind() {
    // The reference: every run of seven words of the source, intersected with the reply's.
    func reference(_ source: String, _ reply: String) -> Bool {
      func runs(_ text: String) -> Set<[String]> {
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
        guard words.count >= 7 else { return [] }
        return Set((0...(words.count - 7)).map { Array(words[$0..<($0 + 7)]) })
      }
      return !runs(source).intersection(runs(reply)).isEmpty
    }
    let source = "Change a file with a unified diff: context lines starting with a space, removed lines with '-'."
    let replies = [
      "It prints the patch: context lines starting with a Space, removed lines with minus signs.",
      "lines with a space, removed lines with a unified diff context starting",  // the words, not in order
      "Change a file with a unified diff",  // six words in a row
      "Change a file with a unified diff: yes", "a a a a a a a a", "with a space, removed lines with '-'. Done",
    ]
    for reply in replies {
      #expect(AnswerScreening.copies(source, in: reply, notIn: []) == reference(source, reply), "\(reply)")
    }
  }
}
