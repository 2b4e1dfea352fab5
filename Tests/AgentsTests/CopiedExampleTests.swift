@testable import Agents
import AgentsTesting
import Testing

/// Required calls copied from an example of the agent's instructions instead of the user's request, on scripted
/// models (``ConstrainedSteps/copiesAnExample(_:instructions:request:)``).
@Suite struct CopiedExampleTests {
  let runner = Runner(configuration: .init(toolCalling: .constrained))

  /// Instructions with two example calls, written like the built-in math tutor's.
  static let instructions = """
    You are a math tutor. Use the calculator tool for every calculation; never work numbers out in your head. \
    Give it one expression, for example {"expression": "17% of 2340"} or {"expression": "(12.5 * 4) / 3"}. \
    When it returns the result, explain the answer in a few short steps and end with the final answer.
    """

  /// A tutor on a scripted model whose calculator records each expression and answers `<expression> = ?`.
  func tutor(_ steps: [ScriptedModel.Step], expressions: Recorder) -> (Agent, ScriptedModel) {
    let model = ScriptedModel(name: "scripted-tutor", steps: steps)
    let schema = JSONSchema(["type": "object", "properties": ["expression": ["type": "string"]]])
    let calculator = FunctionTool(name: "calculator", description: "Evaluates one expression", parameters: schema) {
      arguments, _ in
      let expression = arguments["expression"]?.stringValue ?? ""
      expressions.record(expression)
      return "\(expression) = ?"
    }
    let agent = Agent(
      name: "Math Tutor", instructions: .text(Self.instructions), model: .model(model), tools: [calculator])
    agent.modelSettings.toolChoice = .required
    return (agent, model)
  }

  static func call(_ expression: String, question: String? = nil) -> ScriptedModel.Step {
    let restated = question.map { #""question": "\#($0)", "# } ?? ""
    return .text(#"{\#(restated)"name": "calculator", "arguments": {"expression": "\#(expression)"}}"#)
  }

  /// Session 11's transcript: "What is 12% of 850?" through triage, answered with the tutor's second example without
  /// its parentheses, then `second` when asked again. Returns the run, the tutor's model and the expressions calculated.
  func transcript(then second: ScriptedModel.Step) async throws -> (RunResult, ScriptedModel, [String]) {
    let expressions = Recorder()
    let (tutor, tutorModel) = tutor(
      [Self.call("12.5 * 4 / 3", question: "What is 12% of 850?"), second, .text("12% of 850 is 102.")],
      expressions: expressions)
    let (triage, _) = scriptedAgent("Triage", steps: [.text(#"{"topic": "Math Tutor"}"#)])
    triage.handoffs = [.to(tutor)]
    let result = try await runner.run(triage, input: "What is 12% of 850?")
    #expect(result.lastAgent.name == "Math Tutor")
    #expect(result.text == "12% of 850 is 102.")
    return (result, tutorModel, expressions.all)
  }

  /// The copied call does not run; it is asked again without the examples, and that call runs.
  @Test func theTranscriptsCopiedCallIsAskedAgainWithoutTheExamples() async throws {
    let (_, tutorModel, expressions) = try await transcript(then: Self.call("12% of 850"))
    #expect(expressions == ["12% of 850"], "the copied call never runs")
    let retry = tutorModel.calls[1].request
    guard case .jsonSchema(let name, let schema, _) = retry.outputFormat else {
      Issue.record("the second try is not constrained")
      return
    }
    #expect(name == "tool_call_plain")
    #expect(schema.value["properties"]?.objectValue?.keys == ["name", "arguments"])
    let prompt = try #require(retry.systemPrompt)
    #expect(!prompt.contains("12.5") && !prompt.contains("2340"), "\(prompt)")
    #expect(prompt.hasPrefix("You are a math tutor. Use the calculator tool for every calculation;"))
    #expect(prompt.hasSuffix("end with the final answer."))
    #expect(retry.input == tutorModel.calls[0].request.input)
    #expect(tutorModel.calls[2].request.systemPrompt == tutorModel.calls[0].request.systemPrompt)
  }

  /// Copied again without the examples in view: neither call runs, and the message is answered without tools.
  @Test func aCallCopiedTwiceIsDroppedAndTheMessageAnsweredWithoutTools() async throws {
    let (result, model, expressions) = try await transcript(then: Self.call("(12.5*4)/3"))
    #expect(expressions.isEmpty)
    #expect(!result.newItems.contains { $0.kind == .toolCall })
    #expect(model.calls.count == 3)
    #expect(model.calls[2].request.outputFormat == .text && model.calls[2].request.tools.isEmpty)
  }

  /// "hi" answered with an example whose parentheses were dropped is a copy too, not only one written word for word.
  @Test func aCopyWithoutTheExamplesParenthesesIsDroppedForAMessageWithoutNumbers() async throws {
    let expressions = Recorder()
    let (tutor, model) = tutor(
      [Self.call("12.5 * 4 / 3", question: "hi"), .text("Hello! Ask me a math question.")], expressions: expressions)
    let result = try await runner.run(tutor, input: "hi")
    #expect(result.text == "Hello! Ask me a math question.")
    #expect(expressions.all.isEmpty)
    #expect(model.calls.count == 2)
    #expect(model.calls[1].request.tools.isEmpty)
  }

  /// A call of the user's own that shares a number with an example runs as it is, with no second try.
  @Test func aCallThatSharesANumberWithAnExampleIsTheUsersOwn() async throws {
    let expressions = Recorder()
    let request = "I have 17 apples and give away 5. How many are left?"
    let (tutor, model) = tutor(
      [Self.call("17 - 5", question: request), .text("You have 12 apples left.")], expressions: expressions)
    let result = try await runner.run(tutor, input: request)
    #expect(result.text == "You have 12 apples left.")
    #expect(expressions.all == ["17 - 5"])
    #expect(model.calls.count == 2)
  }

  /// A call that leaves out a number of the request is asked again; when the second call is a copied example, the
  /// first one stands: it has the user's numbers.
  @Test func aCopiedSecondTryLeavesTheFirstCallStanding() async throws {
    let expressions = Recorder()
    let (tutor, model) = tutor(
      [Self.call("6 * 7", question: "What is 6 * 7 + 1?"), Self.call("17% of 2340"), .text("It is 43.")],
      expressions: expressions)
    let result = try await runner.run(tutor, input: "What is 6 * 7 + 1?")
    #expect(result.text == "It is 43.")
    #expect(expressions.all == ["6 * 7"])
    #expect(model.calls.count == 3)
    #expect(model.calls[1].request.systemPrompt == Self.instructions, "only a copy is asked without the examples")
  }

  @Test func theRule() {
    func copies(_ expression: String, _ request: String) -> Bool {
      ConstrainedSteps.copiesAnExample(
        #"{"arguments": {"expression": "\#(expression)"}}"#, instructions: Self.instructions, request: request)
    }
    // The transcript, with and without the brackets and spaces of the example, and the other example.
    #expect(copies("12.5 * 4 / 3", "What is 12% of 850?"))
    #expect(copies("(12.5 * 4) / 3", "What is 12% of 850?"))
    #expect(copies("12.5*4/3", "hi"))
    #expect(copies("17% of 2340", "What is 12% of 850?"))
    #expect(copies("17 % of 2340", "hi"))
    // The same numbers in the same order, written differently.
    #expect(copies("12.5 × 4 ÷ 3", "How much is 5/8 of 96?"))
    // A number of the request makes the call the user's.
    #expect(!copies("17% of 2340", "What is 17% of 2340?"))
    #expect(!copies("17 * 3", "17 apples at 3 each: how many?"))
    #expect(!copies("17 - 5", "I have 17 apples and give away 5."))
    #expect(!copies("12.5 * 4 / 3", "What is 12.5 times 4?"))
    // Numbers that are not one whole example's, or only one shared number.
    #expect(!copies("17 * 3", "What is seventeen times three?"))
    #expect(!copies("4 / 3", "What is four thirds?"))
    #expect(!copies("12.5 * 4", "hi"))
    #expect(!copies("2 + 3", "What is two plus three?"))
    // Nothing to compare with, or no numbers at all.
    #expect(
      !ConstrainedSteps.copiesAnExample(
        #"{"arguments": {"expression": "17% of 2340"}}"#, instructions: nil, request: "hi"))
    #expect(!copies("x", "hi"))
    // Number arguments count too, against a `{…}` example.
    #expect(
      ConstrainedSteps.copiesAnExample(
        #"{"arguments": {"a": 7.5, "b": 2}}"#, instructions: #"Call it like {"a": 7.5, "b": 2}."#, request: "10 and 4?")
    )
    // A single number shared with an example is no copy unless the whole argument is the example.
    let forecast = #"Call get_weather, for example {"city": "Lima 2024"}."#
    #expect(
      !ConstrainedSteps.copiesAnExample(
        #"{"arguments": {"city": "Paris 2024"}}"#, instructions: forecast, request: "Paris?"))
    #expect(
      ConstrainedSteps.copiesAnExample(#"{"arguments": {"city": "Lima 2024"}}"#, instructions: forecast, request: "hi"))
  }

  @Test func theInstructionsWithoutTheirExamples() {
    #expect(
      ConstrainedSteps.withoutExamples(Self.instructions)
        == "You are a math tutor. Use the calculator tool for every calculation; never work numbers out in your head. "
        + "When it returns the result, explain the answer in a few short steps and end with the final answer.")
    // Sentences end at `.`, `!` or `?` and white space, outside quotes and braces; lines stay lines.
    let text = "Be brief. Use `x = 2.5` here! Say \"Dr. No 7\" then. Why?\nRules: {\"a\": \"b. 1\"} ok.\nEnd"
    #expect(ConstrainedSteps.withoutExamples(text) == "Be brief. Why?\n\nEnd")
    #expect(ConstrainedSteps.examples(in: text) == ["x = 2.5", "Dr. No 7", "b. 1", #"{"a": "b. 1"}"#])
  }
}
