@testable import Agents
import AgentsTesting
import Testing

/// With a code-running tool configured (``Runner/Configuration/codeRunningTool``), a question about what a
/// self-contained piece of code does makes the constrained strategy call that tool first and answer with its
/// result in view; everything else is as before.
@Suite struct CodeRunningStepTests {
  let runner = Runner(
    configuration: .init(
      toolCalling: .constrained, codeRunningTool: .init(name: "run_code", languages: ["swift", "python"])))

  /// A stand-in for `run_code` that records the code and prints what the script says.
  func runCodeTool(_ ran: Recorder, approval: ToolApproval = .never) -> FunctionTool {
    FunctionTool(
      name: "run_code", description: "Run code", parameters: JSONSchema(.object(["type": "object"])),
      needsApproval: approval
    ) { arguments, _ in
      ran.record(arguments["code"]?.stringValue ?? "")
      return "exit status: 0\nstdout:\n[2, 4, 6]"
    }
  }

  static let call =
    #"{"question": "What does it print?", "name": "run_code", "arguments": {"language": "swift", "#
    + #""code": "print([1, 2, 3].map { $0 * 2 })"}}"#

  @Test func aQuestionAboutWhatCodeDoesRunsItFirstThenAnswersWithTheResult() async throws {
    let ran = Recorder()
    let (agent, model) = scriptedAgent(
      "Coding Assistant", steps: [.text(Self.call), .text("It prints [2, 4, 6].")],
      tools: [weatherTool(), runCodeTool(ran)])
    let result = try await runner.run(agent, input: "What does this Swift code print? print([1, 2, 3].map { $0 * 2 })")
    #expect(result.text == "It prints [2, 4, 6].")
    #expect(ran.all == ["print([1, 2, 3].map { $0 * 2 })"])
    // The first call must be run_code, decoded against its schema; only that tool is in the request.
    let first = model.calls[0].request
    #expect(first.tools.map(\.name) == ["run_code"])
    guard case .jsonSchema(_, let schema, _) = first.outputFormat else {
      Issue.record("the call of run_code is not constrained")
      return
    }
    #expect(schema.value["properties"]?["name"]?["enum"] == ["run_code"])
    // The answer: the call and its result in view, run_code the only tool, no tool required.
    let second = model.calls[1].request
    #expect(second.tools.map(\.name) == ["run_code"])
    #expect(second.settings.toolChoice == nil)
    #expect(second.outputFormat == .text)
    #expect(
      second.input.contains {
        if case .toolOutput(let output) = $0 { output.output.contains("[2, 4, 6]") } else { false }
      })
  }

  @Test func aRunThatToldNothingIsAnsweredAsIfNothingHadRun() async throws {
    let fragment = FunctionTool(
      name: "run_code", description: "Run code", parameters: JSONSchema(.object(["type": "object"]))
    ) { _, _ in
      Runner.Configuration.CodeRunningTool.noResult + "the code uses 'items', which it does not define.\nexit status: 1"
    }
    let (agent, model) = scriptedAgent(
      "Coding Assistant", steps: [.text(Self.call), .text("The range goes one past the end: use ..<.")],
      tools: [weatherTool(), fragment])
    let result = try await runner.run(agent, input: "Find the bug: for i in 0...items.count { print(items[i]) }")
    #expect(result.text == "The range goes one past the end: use ..<.")
    let answer = model.calls[1].request
    #expect(answer.tools.isEmpty)
    #expect(!answer.input.contains { if case .toolCall = $0 { true } else { false } })
    #expect(!answer.input.contains { if case .toolOutput = $0 { true } else { false } })
    #expect(!answer.input.contains(.user(ConstrainedSteps.answerWithResults)))
    // The call stays in the run's record.
    #expect(result.newItems.contains { $0.kind == .toolCall })
  }

  /// A `run_code` stand-in that returns `outputs` in turn and records the code of each call.
  func scriptedRunCode(_ outputs: [String], _ ran: Recorder, approval: ToolApproval = .never) -> FunctionTool {
    FunctionTool(
      name: "run_code", description: "Run code", parameters: JSONSchema(.object(["type": "object"])),
      needsApproval: approval
    ) { arguments, _ in
      let index = ran.all.count
      ran.record(arguments["code"]?.stringValue ?? "")
      return outputs[min(index, outputs.count - 1)]
    }
  }

  /// A call of run_code as the scripted model writes it, on the question's loop marked with `tag` (the loop's `0`
  /// is kept: a call that leaves out a number of the message is asked again).
  static func call(_ tag: String) -> String {
    #"{"question": "What is wrong?", "name": "run_code", "arguments": {"language": "swift", "code": "#
      + #""for i in 0...items.count { print(items[i]) } // \#(tag)"}}"#
  }

  static let needsDefinitions =
    Runner.Configuration.CodeRunningTool.needsDefinitions
    + "the code uses 'items', which it does not define. Call run_code again with the same code and items defined."

  @Test func aFragmentIsCalledAgainForDefinitionsUpToTheCapThenAnsweredAsIfNothingRan() async throws {
    let ran = Recorder()
    let (agent, model) = scriptedAgent(
      "Coding Assistant",
      steps: [
        .text(Self.call("a")), .text(Self.call("b")), .text(Self.call("c")),
        .text("It goes one too far."),
      ],
      tools: [weatherTool(), scriptedRunCode([Self.needsDefinitions], ran)])
    let result = try await runner.run(agent, input: "Find the bug: for i in 0...items.count { print(items[i]) }")
    #expect(result.text == "It goes one too far.")
    // The first call and the two retries (the cap), each required and constrained to run_code; then no tools.
    #expect(ran.all.count == 3)
    #expect(model.calls.count == 4)
    for index in 0..<3 {
      let request = model.calls[index].request
      #expect(request.tools.map(\.name) == ["run_code"])
      #expect(request.outputFormat != .text, "call \(index)")
    }
    // The retry sees what the tool asked for.
    #expect(
      model.calls[1].request.input.contains {
        if case .toolOutput(let output) = $0 { output.output.hasPrefix("Not run: ") } else { false }
      })
    #expect(!model.calls[1].request.input.contains(.user(ConstrainedSteps.answerWithResults)))
    let answer = model.calls[3].request
    #expect(answer.tools.isEmpty)
    #expect(!answer.input.contains { if case .toolOutput = $0 { true } else { false } })
    let fewer = Runner(
      configuration: .init(
        toolCalling: .constrained, codeRunningTool: .init(name: "run_code", languages: ["swift"], retries: 0)))
    let once = Recorder()
    let (capped, cappedModel) = scriptedAgent(
      "Coding Assistant", steps: [.text(Self.call), .text("Answer.")],
      tools: [scriptedRunCode([Self.needsDefinitions], once)])
    _ = try await fewer.run(capped, input: "Find the bug: for i in 0...items.count { print(items[i]) }")
    #expect(once.all.count == 1)
    #expect(cappedModel.calls[1].request.tools.isEmpty)
    // A call that repeats an earlier one is not run again (the run's repeated-call rule); the answer follows.
    let same = Recorder()
    let (repeating, _) = scriptedAgent(
      "Coding Assistant", steps: [.text(Self.call("a")), .text(Self.call("a")), .text("Answer.")],
      tools: [scriptedRunCode([Self.needsDefinitions], same)])
    let repeated = try await runner.run(repeating, input: "Find the bug: for i in 0...items.count { print(items[i]) }")
    #expect(repeated.text == "Answer.")
    #expect(same.all.count == 1)
  }

  @Test func aRetryThatRunsIsAnsweredWithItsResultAndEachRunIsApproved() async throws {
    let ran = Recorder()
    let crash = "crashed: signal 4\nstdout:\n1\n2\n3\nstderr:\nFatal error: Index out of range"
    let (agent, model) = scriptedAgent(
      "Coding Assistant",
      steps: [.text(Self.call("a")), .text(Self.call("b")), .text("Index out of range: use ..<.")],
      tools: [scriptedRunCode([Self.needsDefinitions, crash], ran, approval: .always)])
    var outcome = try await runner.run(agent, input: "Find the bug: for i in 0...items.count { print(items[i]) }")
    var approvals = 0
    while var state = outcome.state, let item = state.interruptions.first {
      #expect(item.toolName == "run_code")
      _ = state.approve(item)
      approvals += 1
      outcome = try await runner.run(state)
    }
    #expect(approvals == 2)
    #expect(ran.all.count == 2)
    #expect(outcome.text == "Index out of range: use ..<.")
    let answer = model.calls[2].request
    #expect(answer.tools.map(\.name) == ["run_code"])
    #expect(answer.settings.toolChoice == nil)
    #expect(
      answer.input.contains {
        if case .toolOutput(let output) = $0 { output.output.contains("Index out of range") } else { false }
      })
  }

  @Test func aModelThatDoesNotWriteTheCallIsAnsweredWithoutTheRun() async throws {
    let ran = Recorder()
    let (agent, model) = scriptedAgent(
      "Coding Assistant", steps: [.text("Not a call."), .text("Still not a call."), .text("It goes one too far.")],
      tools: [weatherTool(), runCodeTool(ran)])
    let result = try await runner.run(agent, input: "Find the bug: for i in 0...items.count { print(items[i]) }")
    #expect(result.text == "It goes one too far.")
    #expect(ran.all.isEmpty)
    #expect(model.calls.count == 3)
    #expect(model.calls[2].request.tools.isEmpty)
    #expect(model.calls[2].request.outputFormat == .text)
  }

  /// After a refusal the question is answered by reading the code: no tool is offered, so the person is not asked
  /// again (the 0.5B model called run_code again after each "no" while it was still offered).
  @Test func theRunWaitsForApprovalAndARefusalIsAnsweredWithoutTheTool() async throws {
    let ran = Recorder()
    let (agent, model) = scriptedAgent(
      "Coding Assistant", steps: [.text(Self.call), .text("Without running it: [2, 4, 6].")],
      tools: [runCodeTool(ran, approval: .always)])
    let paused = try await runner.run(agent, input: "Find the bug: for i in 0...items.count { print(items[i]) }")
    var state = try #require(paused.state)
    #expect(paused.interruptions.map(\.toolName) == ["run_code"])
    #expect(model.calls.count == 1)
    state.reject(state.interruptions[0], message: "The user did not let the code run.")
    let result = try await runner.run(state)
    #expect(result.text == "Without running it: [2, 4, 6].")
    #expect(result.interruptions.isEmpty, "the person is asked once")
    #expect(ran.all.isEmpty)
    #expect(model.calls.count == 2)
    let answer = model.calls[1].request
    #expect(answer.tools.isEmpty)
    #expect(answer.settings.toolChoice == nil)
    #expect(answer.outputFormat == .text)
  }

  @Test func otherQuestionsLanguagesAndConfigurationsAreLeftAsBefore() async throws {
    let cases: [(runner: Runner, message: String, tools: [String])] = [
      // Code, but no question about what it does: no tools at all (SelfContainedCode).
      (runner, "Explain this: for i in 0...items.count { print(items[i]) }", []),
      // A language the tool does not run.
      (runner, "What does this Rust code print? fn main() { println!(\"{}\", 1 + 1); }", []),
      // A file named: every tool.
      (runner, "What does this print in run.py? print(len('ab'))", ["get_weather", "run_code"]),
      // No code-running tool configured.
      (Runner(configuration: .init(toolCalling: .constrained)), "What does this print? print(len('ab'))", []),
      // The native strategy.
      (
        Runner(
          configuration: .init(toolCalling: .native, codeRunningTool: .init(name: "run_code", languages: ["python"]))),
        "What does this print? print(len('ab'))", ["get_weather", "run_code"]
      ),
    ]
    for entry in cases {
      let (agent, model) = scriptedAgent(
        "Coding Assistant", steps: [.text("2")], tools: [weatherTool(), runCodeTool(Recorder())])
      _ = try await entry.runner.run(agent, input: entry.message)
      #expect(model.calls[0].request.tools.map(\.name) == entry.tools, "\(entry.message)")
      #expect(model.calls[0].request.outputFormat == .text, "\(entry.message)")
    }
    // An agent without the tool keeps the rule of no tools for such a question.
    let (plain, plainModel) = scriptedAgent("Coding Assistant", steps: [.text("2")], tools: [weatherTool()])
    _ = try await runner.run(plain, input: "What does this print? print(len('ab'))")
    #expect(plainModel.calls[0].request.tools.isEmpty)
  }

  @Test func whatCountsAsAskingWhatCodeDoes() {
    for message in [
      "What does this Swift code print? print([1, 2, 3].map { $0 * 2 })",
      "Find the bug: for i in 0...items.count { print(items[i]) }",
      "Why does this crash? let a = [1]; print(a[3])",
      "What's wrong with this function? def f(n): return n % 2 == 1",
    ] {
      #expect(SelfContainedCode.asksWhatItDoes(message), "\(message)")
    }
    for message in ["Explain this: def f(n): return n % 2", "Make this faster: for x in xs: ys = ys + [x]"] {
      #expect(!SelfContainedCode.asksWhatItDoes(message), "\(message)")
    }
    #expect(SelfContainedCode.language(of: "Find the bug: for i in 0...items.count { print(items[i]) }") == "swift")
    #expect(SelfContainedCode.language(of: "What does this Python code print? print(len('ab'))") == "python")
    #expect(SelfContainedCode.language(of: "What does this print?\n```js\nconsole.log(1)\n```") == "javascript")
  }
}
