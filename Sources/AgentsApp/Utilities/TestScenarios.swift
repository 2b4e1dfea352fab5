/// The predefined scenarios `agents test` runs: at least three per built-in agent, and three generic
/// ones for agents from a configuration file.
public enum TestScenarios {
  /// Every built-in scenario, in run order.
  public static let builtIn: [TestScenario] = math + coding + creative + triage

  /// Arithmetic the math tutor must get right, with its calculator.
  public static let math: [TestScenario] = [
    TestScenario(
      name: "math.multiplication", agentID: BuiltInAgents.mathID, prompt: "What is 1234 * 5678?",
      validators: [.containsNumber(7_006_652), .usedTool(BuiltInTool.calculator.rawValue)]),
    TestScenario(
      name: "math.order-of-operations", agentID: BuiltInAgents.mathID, prompt: "Compute (17 + 25) / 6 - 2^3.",
      validators: [.containsNumber(-1), .usedTool(BuiltInTool.calculator.rawValue)]),
    TestScenario(
      name: "math.square-root", agentID: BuiltInAgents.mathID,
      prompt: "What is the square root of 144 plus 15% of 80?",
      validators: [.containsNumber(24), .usedTool(BuiltInTool.calculator.rawValue)]),
  ]

  /// Programming questions with checkable answers.
  public static let coding: [TestScenario] = [
    TestScenario(
      name: "coding.python-function", agentID: BuiltInAgents.codingID,
      prompt: "Write a Python function that returns the reverse of a string.",
      validators: [.containsAny(["def "]), .containsAny(["return"]), .containsAny(["[::-1]", "reversed("])]),
    TestScenario(
      name: "coding.predict-output", agentID: BuiltInAgents.codingID,
      prompt: "What does this Swift code print? print([1, 2, 3].map { $0 * 2 })",
      validators: [.containsAny(["[2, 4, 6]"])]),
    TestScenario(
      name: "coding.find-the-bug", agentID: BuiltInAgents.codingID,
      prompt: "Find the bug: for i in 0...items.count { print(items[i]) }",
      validators: [.containsAny(["..<", "out of range", "out of bounds", "off-by-one", "off by one"])]),
  ]

  /// Writing tasks with shape checks.
  public static let creative: [TestScenario] = [
    TestScenario(
      name: "creative.haiku", agentID: BuiltInAgents.creativeID, prompt: "Write a haiku about the sea.",
      validators: [.minimumLines(3), .minimumLength(30)]),
    TestScenario(
      name: "creative.names", agentID: BuiltInAgents.creativeID,
      prompt: "Suggest three names for a coffee shop, one per line.",
      validators: [.minimumLines(3)]),
    TestScenario(
      name: "creative.story", agentID: BuiltInAgents.creativeID,
      prompt: "Write a two-sentence story about a robot who learns to paint.",
      validators: [.containsAny(["robot"]), .containsAny(["paint"]), .minimumLength(60)]),
  ]

  /// Routing: triage must hand each request to the right specialist.
  public static let triage: [TestScenario] = [
    TestScenario(
      name: "triage.routes-math", agentID: BuiltInAgents.triageID, prompt: "What is 12 * 12?",
      validators: [.answeredBy("Math Tutor"), .containsNumber(144)]),
    TestScenario(
      name: "triage.routes-coding", agentID: BuiltInAgents.triageID,
      prompt: "Write a JavaScript function that adds two numbers.",
      validators: [.answeredBy("Coding Assistant"), .containsAny(["function", "=>"])]),
    TestScenario(
      name: "triage.routes-writing", agentID: BuiltInAgents.triageID, prompt: "Write a short poem about autumn.",
      validators: [.answeredBy("Creative Writer"), .minimumLines(2)]),
  ]

  /// Generic checks for an agent from a configuration file.
  public static func generic(agentID: String) -> [TestScenario] {
    [
      TestScenario(
        name: "\(agentID).follows-instructions", agentID: agentID,
        prompt: "Reply with exactly one word: ready", validators: [.containsAny(["ready"])]),
      TestScenario(
        name: "\(agentID).knowledge", agentID: agentID,
        prompt: "What is the capital of France? Answer in one word.", validators: [.containsAny(["Paris"])]),
      TestScenario(
        name: "\(agentID).answers", agentID: agentID, prompt: "Describe the sea in one sentence.",
        validators: [.minimumLength(20)]),
    ]
  }

  /// The scenarios for one agent: its built-in set, or the generic set for other agents.
  public static func scenarios(for agentID: String) -> [TestScenario] {
    let own = builtIn.filter { $0.agentID == agentID }
    return own.isEmpty ? generic(agentID: agentID) : own
  }
}
