@testable import Agents
import AgentsTesting
import Testing

/// The run loop's help for small models, on scripted models: repairs, repeats, early stops, calls in disguise.
@Suite struct SmallModelRunTests {
  /// Runs `agent` streamed and returns the result with every event.
  func streamed(_ agent: Agent, _ input: String, runner: Runner = Runner()) async throws -> (RunResult, [RunEvent]) {
    var events: [RunEvent] = []
    for try await event in runner.runStreamed(agent, input: input) { events.append(event) }
    guard case .finished(let result)? = events.last else { throw AgentsError(.modelBehavior, "no result") }
    return (result, events)
  }

  @Test func extraPropertiesAreDroppedAndReported() async throws {
    let (agent, model) = scriptedAgent(
      steps: [
        .toolCall("get_weather", arguments: ["city": "Oslo", "units": "metric", "verbose": true]),
        .text("Sunny in Oslo."),
      ], tools: [weatherTool()])
    let (result, events) = try await streamed(agent, "Weather in Oslo?")
    #expect(result.text == "Sunny in Oslo.")
    #expect(model.calls[1].request.toolOutputs == ["Sunny, 21°C in Oslo"])
    let repairs = events.compactMap { event -> [String]? in
      if case .toolArgumentsRepaired(_, let changes) = event { changes } else { nil }
    }
    #expect(repairs == [["dropped unknown properties 'units', 'verbose'"]])
    // The transcript keeps the call as it ran.
    #expect(
      model.calls[1].request.input.contains(
        .toolCall(
          ToolCall(
            id: "call_get_weather", name: "get_weather",
            arguments: #"{"city":"Oslo"}"#))))
  }

  @Test func aRepeatedCallIsAnsweredWithItsEarlierResultAndGuidance() async throws {
    let counter = Recorder()
    let tool = weatherTool(recordingCallsIn: counter)
    let (agent, model) = scriptedAgent(
      steps: [
        .toolCall("get_weather", arguments: ["city": "Oslo"], id: "a"),
        .toolCall("get_weather", arguments: ["city": "Oslo"], id: "b"),
        .text("It is sunny in Oslo."),
      ], tools: [tool])
    let result = try await Runner().run(agent, input: "Weather?")
    #expect(result.text == "It is sunny in Oslo.")
    #expect(counter.all == ["Oslo"])  // the tool ran once
    let guidance = try #require(model.calls[2].request.toolOutputs.last)
    #expect(guidance.contains("already called get_weather with these arguments"))
    #expect(guidance.contains("Sunny in Oslo"))
    #expect(guidance.contains("Do not call it again"))
  }

  @Test func aRunThatKeepsRepeatingStopsEarlyWithAClearError() async throws {
    let (agent, model) = scriptedAgent(
      steps: Array(repeating: .toolCall("get_weather", arguments: ["city": "Oslo"]), count: 10), tools: [weatherTool()])
    let error = await #expect(throws: AgentsError.self) { try await Runner().run(agent, input: "Weather?") }
    #expect(error?.code == .noProgress)
    #expect(error?.message.contains("kept repeating the same call (get_weather)") == true)
    #expect(error?.partialRun?.turns == 3)  // the call, one repeat answered with guidance, one more repeat
    #expect(model.remainingSteps == 7)
  }

  @Test func aRepeatedFailingCallIsToldItFailsTheSameWay() async throws {
    let (agent, model) = scriptedAgent(
      steps: [
        .toolCall("get_weather", arguments: ["town": "Oslo"]), .toolCall("get_weather", arguments: ["town": "Oslo"]),
        .text("Sorry."),
      ], tools: [weatherTool()])
    _ = try await Runner().run(agent, input: "Weather?")
    #expect(model.calls[2].request.toolOutputs.last?.contains("already failed") == true)
  }

  @Test func aHandoffWrittenAsTheTargetsNameIsPerformed() async throws {
    let (tutor, _) = scriptedAgent("Math Tutor", steps: [.text("144")])
    let (triage, _) = scriptedAgent("Triage", steps: [.text(#"{"name": "math Tutor"}"#)])
    triage.handoffs = [.to(tutor)]
    let result = try await Runner().run(triage, input: "What is 12 * 12?")
    #expect(result.lastAgent === tutor)
    #expect(result.text == "144")
  }

  @Test func aFinalAnswerThatIsACallInDisguiseIsCorrectedThenRefused() async throws {
    let (triage, model) = scriptedAgent(
      "Triage", steps: [.text(#"{"name": "Chemistry Tutor"}"#), .text("Hello! Ask me anything.")],
      tools: [weatherTool()])
    let result = try await Runner().run(triage, input: "hi")
    #expect(result.text == "Hello! Ask me anything.")
    let correction = try #require(model.calls[1].request.input.last)
    #expect(correction.messageText?.hasPrefix("'Chemistry Tutor' is not something you can call") == true)
    #expect(!result.history.contains { $0.messageText?.contains("not something you can call") == true })

    let (stubborn, _) = scriptedAgent(
      "Triage", steps: [.text(#"{"name": "x"}"#), .text(#"{"name": "x"}"#)], tools: [weatherTool()])
    let error = await #expect(throws: AgentsError.self) { try await Runner().run(stubborn, input: "hi") }
    #expect(error?.code == .modelBehavior)
    #expect(error?.message.contains("answered with a call to 'x' instead of an answer") == true)

    // An agent that can call nothing may answer in JSON.
    let (plain, _) = scriptedAgent("Writer", steps: [.text(#"{"name": "Autumn"}"#)])
    #expect(try await Runner().run(plain, input: "A name for a cat, as JSON").text == #"{"name": "Autumn"}"#)
  }
}

/// The constrained strategy's steps, on scripted models.
@Suite struct ConstrainedStrategyTests {
  let runner = Runner(configuration: .init(toolCalling: .constrained))

  /// A triage agent with two specialists, each answering once.
  func triage(routeReply: String) -> (Agent, ScriptedModel, ScriptedModel) {
    let (tutor, tutorModel) = scriptedAgent("Math Tutor", steps: [.text("12 * 12 is 144.")])
    let (writer, _) = scriptedAgent("Creative Writer", steps: [])
    let (triage, triageModel) = scriptedAgent("Triage", steps: [.text(routeReply), .text("Hello!")])
    triage.handoffs = [.to(tutor), .to(writer)]
    return (triage, triageModel, tutorModel)
  }

  @Test func routingIsAConstrainedClassificationOfTheRequest() async throws {
    let (triage, triageModel, tutorModel) = triage(routeReply: #"{"topic": "Math Tutor"}"#)
    let result = try await runner.run(triage, input: "What is 12 * 12?")
    #expect(result.lastAgent.name == "Math Tutor")
    #expect(result.text == "12 * 12 is 144.")
    let routing = triageModel.calls[0].request
    #expect(routing.systemPrompt == nil)
    #expect(routing.tools.isEmpty)
    #expect(routing.input == [.user("What is this request about: \"What is 12 * 12?\"?\nReply with JSON.")])
    #expect(routing.settings.temperature == 0)
    guard case .jsonSchema(_, let schema, _) = routing.outputFormat else {
      Issue.record("the routing step asks for no JSON schema")
      return
    }
    #expect(
      schema.value["properties"]?["topic"]?["enum"] == ["Math Tutor", "Creative Writer", "greeting or small talk"])
    #expect(result.newItems.map(\.kind) == [.handoffCall, .handoffOutput, .message])
    #expect(tutorModel.calls.count == 1)
    #expect(result.turns == 2)
  }

  @Test func aSpecialistThatCallsWhatItDoesNotHaveAfterAHandoffIsAskedAgainWithoutTools() async throws {
    // Seen on Qwen2.5-Coder-0.5B: routed to the coding assistant, it called `add_numbers`; the correction naming
    // its tools was then repeated back as the answer. Standing alone it gets the retry without tools; so it does
    // after a handoff (the triage agent's transfer call is not its own).
    let (coder, coderModel) = scriptedAgent(
      "Coding Assistant",
      steps: [.text(#"{"name": "add_numbers", "arguments": {"a": 2, "b": 3}}"#), .text("def add(a, b): return a + b")],
      tools: [weatherTool()])
    let (triage, _) = scriptedAgent("Triage", steps: [.text(#"{"topic": "Coding Assistant"}"#)])
    triage.handoffs = [.to(coder)]
    let result = try await runner.run(triage, input: "Write a Python function that adds two numbers.")
    #expect(result.lastAgent.name == "Coding Assistant")
    #expect(result.text == "def add(a, b): return a + b")
    #expect(coderModel.calls.count == 2)
    #expect(coderModel.calls[1].request.tools.isEmpty)
    #expect(
      !coderModel.calls[1].request.input.contains { $0.messageText?.contains("not something you can call") == true })
    #expect(result.newItems.map(\.kind) == [.handoffCall, .handoffOutput, .message])
  }

  @Test func keepingTheRequestRunsTheAgentNormally() async throws {
    let (triage, triageModel, _) = triage(routeReply: #"{"topic": "greeting or small talk"}"#)
    let result = try await runner.run(triage, input: "hi")
    #expect(result.text == "Hello!")
    #expect(result.lastAgent === triage)
    #expect(
      triageModel.calls[1].request.tools.map(\.name) == ["transfer_to_math_tutor", "transfer_to_creative_writer"])
    #expect(triageModel.calls[1].request.outputFormat == .text)
  }

  @Test func aServerWithoutJSONSchemasFallsBackToNativeCalls() async throws {
    let (tutor, _) = scriptedAgent("Math Tutor", steps: [.text("144")])
    let (triage, triageModel) = scriptedAgent(
      "Triage",
      steps: [
        .failure(AgentsError(.responseFormatUnsupported, "no json_schema here")),
        .toolCall("transfer_to_math_tutor"),
      ])
    triage.handoffs = [.to(tutor)]
    let result = try await runner.run(triage, input: "12 * 12?")
    #expect(result.text == "144")
    #expect(triageModel.calls[1].request.outputFormat == .text)
  }

  @Test func aRequiredCallIsConstrainedThenTheModelIsToldToAnswer() async throws {
    let (agent, model) = scriptedAgent(
      steps: [
        .text(#"{"question": "Weather in Lima?", "name": "get_weather", "arguments": {"city": "Lima"}}"#),
        .text("It is sunny in Lima."),
      ], tools: [weatherTool()])
    agent.modelSettings.toolChoice = .required
    let (result, events) = try await SmallModelRunTests().streamed(agent, "Weather in Lima?", runner: runner)
    #expect(result.text == "It is sunny in Lima.")
    let first = model.calls[0]
    #expect(!first.streamed)  // the JSON call is not shown as text
    #expect(first.request.settings.toolChoice == nil)
    #expect(first.request.settings.temperature == 0)
    guard case .jsonSchema(_, let schema, _) = first.request.outputFormat else {
      Issue.record("the required call is not constrained")
      return
    }
    // The request restated first, then the call.
    #expect(schema.value["properties"]?.objectValue?.keys == ["question", "name", "arguments"])
    #expect(schema.value["properties"]?["question"]?["maxLength"] == .int(ConstrainedSteps.restatementLength))
    #expect(schema.value["required"] == ["question", "name", "arguments"])
    #expect(schema.value["properties"]?["name"]?["enum"] == ["get_weather"])
    #expect(schema.value["properties"]?["arguments"] == CityArguments.jsonSchema.value)
    let calls = result.newItems.compactMap { if case .toolCall(let call) = $0.item { call } else { nil } }
    #expect(calls.map(\.name) == ["get_weather"])
    #expect(calls.allSatisfy { $0.arguments.contains("Lima") && !$0.arguments.contains("question") })
    // After the result: tool_choice is reset, and a one-off nudge follows the tool output.
    let second = model.calls[1].request
    #expect(second.outputFormat == .text)
    #expect(second.input.last == .user(ConstrainedSteps.answerWithResults))
    #expect(!result.history.contains(.user(ConstrainedSteps.answerWithResults)))
    #expect(!events.contains { if case .textDelta(let text) = $0 { text.contains("get_weather") } else { false } })
  }

  @Test func aRequiredCallThatLeavesOutNumbersOfTheRequestIsAskedAgainWithoutTheRestatement() async throws {
    let (agent, model) = scriptedAgent(
      steps: [
        .text(#"{"question": "(17 + 25) / 6 - 2^3", "name": "get_weather", "arguments": {"city": "17 + 25"}}"#),
        .text(#"{"name": "get_weather", "arguments": {"city": "(17 + 25) / 6 - 2^3"}}"#),
        .text("Done."),
      ], tools: [weatherTool()])
    agent.modelSettings.toolChoice = .required
    let result = try await runner.run(agent, input: "Compute (17 + 25) / 6 - 2^3.")
    #expect(result.text == "Done.")
    guard case .jsonSchema(_, let schema, _) = model.calls[1].request.outputFormat else {
      Issue.record("the second try is not constrained")
      return
    }
    #expect(schema.value["properties"]?.objectValue?.keys == ["name", "arguments"])
    #expect(model.calls[1].request.input == model.calls[0].request.input)
    let calls = result.newItems.compactMap { if case .toolCall(let call) = $0.item { call } else { nil } }
    #expect(calls.map(\.arguments) == [#"{"city":"(17 + 25) / 6 - 2^3"}"#])
    #expect(result.rawResponses.count == 3)

    // Every number there: the first call stands.
    let whole = #"{"question": "x", "arguments": {"expression": "15% of 80"}}"#
    #expect(ConstrainedSteps.numbersLeftOut(of: "What is 15% of 80?", by: whole).isEmpty)
    let part = #"{"arguments": {"expression": "17 + 25"}}"#
    #expect(ConstrainedSteps.numbersLeftOut(of: "Compute (17 + 25) / 6 - 2^3.", by: part) == [6, 2, 3])
    #expect(ConstrainedSteps.numbersLeftOut(of: "What is 7.5 * 2?", by: #"{"arguments": {"x": 7.5, "y": 2}}"#).isEmpty)
  }

  @Test func aRequiredCallCopiedFromTheInstructionsForAMessageWithoutNumbersIsDroppedAndAnsweredPlainly() async throws {
    let model = ScriptedModel(
      name: "scripted-tutor",
      steps: [
        .text(#"{"question": "hi", "name": "get_weather", "arguments": {"city": "Lima 2024"}}"#),
        .text("Hello! Ask me about the weather anywhere."),
      ])
    let agent = Agent(
      name: "Forecaster", instructions: #"Call get_weather, for example {"city": "Lima 2024"}."#,
      model: .model(model), tools: [weatherTool()])
    agent.modelSettings.toolChoice = .required
    let (result, events) = try await SmallModelRunTests().streamed(agent, "hi", runner: runner)
    #expect(result.text == "Hello! Ask me about the weather anywhere.")
    #expect(!result.newItems.contains { $0.kind == .toolCall }, "the made-up call is not run")
    #expect(model.calls.count == 2)
    let plain = model.calls[1]
    #expect(plain.request.outputFormat == .text && plain.request.tools.isEmpty)
    #expect(plain.streamed, "the answer streams like any answer")
    #expect(events.contains { if case .textDelta(let text) = $0 { text.contains("Hello!") } else { false } })

    // The rule: every numbered argument copied from the instructions, and no number in the message.
    let example = #"{"arguments": {"expression": "17% of 2340"}}"#
    let instructions = #"Give it one expression, for example {"expression": "17% of 2340"}."#
    #expect(ConstrainedSteps.copiesAnExample(example, instructions: instructions, request: "hi"))
    #expect(!ConstrainedSteps.copiesAnExample(example, instructions: instructions, request: "What is 17% of 2340?"))
    let own = #"{"arguments": {"expression": "2 + 3"}}"#
    #expect(!ConstrainedSteps.copiesAnExample(own, instructions: instructions, request: "What is two plus three?"))
    #expect(!ConstrainedSteps.copiesAnExample(example, instructions: nil, request: "hi"))
  }

  @Test func aRequiredCallThatIsNotWholeIsAskedAgainThenEndsTheRunWithAClearError() async throws {
    // Cut inside its arguments (a small model running away in a string until the token limit): asked again.
    let cut = #"{"question": "Weather in Lima?", "name": "get_weather", "arguments": {"city": "Lima Lima Lima"#
    let (agent, model) = scriptedAgent(
      steps: [.text(cut), .text(#"{"name": "get_weather", "arguments": {"city": "Lima"}}"#), .text("Sunny.")],
      tools: [weatherTool()])
    agent.modelSettings.toolChoice = .required
    let result = try await runner.run(agent, input: "Weather in Lima?")
    #expect(result.text == "Sunny.")
    #expect(model.calls.count == 3)
    let calls = result.newItems.compactMap { if case .toolCall(let call) = $0.item { call } else { nil } }
    #expect(calls.map(\.arguments) == [#"{"city":"Lima"}"#])

    // Still not a call the second time: the run ends with an error, never with the JSON as its answer.
    let (stuck, stuckModel) = scriptedAgent(
      steps: [.text(cut), .text(#"{"name": "get_weather", "arguments": "#), .text("never asked")],
      tools: [weatherTool()])
    stuck.modelSettings.toolChoice = .required
    let error = await #expect(throws: AgentsError.self) { try await runner.run(stuck, input: "Weather in Lima?") }
    #expect(error?.code == .modelBehavior)
    #expect(error?.message.contains("had to call get_weather") == true)
    #expect(error?.message.contains("{") == false)
    #expect(stuckModel.calls.count == 2)

    // A whole call that leaves out numbers stands when its retry is not whole.
    let (partial, partialModel) = scriptedAgent(
      steps: [
        .text(#"{"question": "x", "name": "get_weather", "arguments": {"city": "17 + 25"}}"#), .text("{"),
        .text("Done."),
      ], tools: [weatherTool()])
    partial.modelSettings.toolChoice = .required
    #expect(try await runner.run(partial, input: "Compute (17 + 25) / 6 - 2^3.").text == "Done.")
    #expect(partialModel.calls.count == 3)
  }

  @Test func aCallToSomethingThatDoesNotExistIsAskedAgainWithoutTools() async throws {
    let (agent, model) = scriptedAgent(
      "Coding Assistant",
      steps: [
        .text("```json\n" + #"{"name": "print", "arguments": {"value": [1, 2, 3]}}"# + "\n```"),
        .text("It prints [2, 4, 6]."),
      ],
      tools: [weatherTool()])
    let result = try await runner.run(agent, input: "What does print([1, 2, 3].map { $0 * 2 }) print?")
    #expect(result.text == "It prints [2, 4, 6].")
    let retry = model.calls[1].request
    #expect(retry.tools.isEmpty)
    #expect(retry.settings.toolChoice == nil)
    #expect(retry.input == [.user("What does print([1, 2, 3].map { $0 * 2 }) print?")])  // the reply is taken back
    #expect(result.newItems.map(\.kind) == [.message])
    #expect(result.turns == 2)

    // After a tool ran, its result stays in view: the model is told what it can call instead.
    let (user, userModel) = scriptedAgent(
      steps: [.toolCall("get_weather", arguments: ["city": "Lima"]), .text(#"{"name": "print"}"#), .text("Sunny.")],
      tools: [weatherTool()])
    #expect(try await runner.run(user, input: "Weather in Lima?").text == "Sunny.")
    #expect(userModel.calls[2].request.tools.map(\.name) == ["get_weather"])
    #expect(
      userModel.calls[2].request.input.last?.messageText?.hasPrefix("'print' is not something you can call") == true)
  }

  @Test func automaticPicksConstrainedForSmallModelsOnly() {
    #expect(ToolCallingStrategy.automatic.resolved(for: ScriptedModel(name: "qwen2.5:0.5b", steps: [])) == .constrained)
    #expect(ToolCallingStrategy.automatic.resolved(for: ScriptedModel(name: "qwen2.5:14b", steps: [])) == .native)
    #expect(ToolCallingStrategy.automatic.resolved(for: ScriptedModel(name: "llama3.2", steps: [])) == .native)
    #expect(ToolCallingStrategy.native.resolved(for: ScriptedModel(name: "qwen2.5:0.5b", steps: [])) == .native)
  }
}
