import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsApp

@Suite struct AgentFactoryTests {
  @Test func mathTutorHasTheSeedDefaultsAndTheCalculator() {
    let tutor = AgentFactory.createMathTutor()
    #expect(tutor.name == "Math Tutor")
    #expect(tutor.model?.name == "llama3.2")
    #expect(tutor.modelSettings.temperature == 0.7)
    #expect(tutor.tools.map(\.name) == ["calculator"])
    guard case .text(let instructions)? = tutor.instructions else {
      Issue.record("expected fixed instructions")
      return
    }
    #expect(instructions.contains("Use the calculator tool for every calculation"))
    // It must call the calculator on its first turn; after a result it may answer.
    #expect(tutor.modelSettings.toolChoice == .required)
    #expect(tutor.resetToolChoice)
    #expect(AgentFactory.createMathTutor(model: "qwen3:8b").model?.name == "qwen3:8b")
  }

  @Test func codingAssistantHasTheWorkspaceTools() throws {
    let outer = try TemporaryDirectory()
    let assistant = AgentFactory.createCodingAssistant(workspaceRoot: outer.path)
    #expect(assistant.tools.map(\.name) == ["list_files", "read_file", "search_text", "write_file", "apply_patch", "run_code"])
    #expect(assistant.modelSettings.temperature == 0.7)
  }

  /// Qwen2.5 models get their makers' sampling where nothing else sets it; other models are left to the server.
  @Test func qwenModelsGetTheirRecommendedSampling() throws {
    let qwen = AgentFactory.createCodingAssistant(model: "qwen2.5-coder-0.5b")
    #expect(qwen.modelSettings.temperature == 0.7)
    #expect(qwen.modelSettings.topP == 0.8)
    #expect(qwen.modelSettings.extraBody == ["top_k": .int(20), "repeat_penalty": .double(1.05)])
    let other = AgentFactory.createCodingAssistant(model: "llama3.2:1b")
    #expect(other.modelSettings.topP == nil)
    #expect(other.modelSettings.extraBody == nil)

    // The command's -o options and a definition's top_p win.
    let overrides = try AgentOverrides(options: ["top_k=40", "repeat_penalty=1"])
    var factory = AgentFactory()
    factory.overrides = overrides
    let chosen = factory.agent(for: BuiltInAgents.codingAssistant(model: "qwen2.5:7b"))
    #expect(chosen.modelSettings.topP == 0.8)
    #expect(chosen.modelSettings.extraBody?["top_k"]?.doubleValue == 40)
    #expect(chosen.modelSettings.extraBody?["repeat_penalty"]?.doubleValue == 1)
    var definition = BuiltInAgents.creativeWriter(model: "Qwen2.5-Coder-0.5B-Instruct")
    definition.sampling.topP = 0.95
    #expect(AgentFactory().agent(for: definition).modelSettings.topP == 0.95)
  }

  @Test func creativeWriterAdaptsToTheStyle() {
    let writer = AgentFactory.createCreativeWriter(style: WritingStyle(style: "noir", tone: "wry", length: .short))
    guard case .text(let instructions)? = writer.instructions else {
      Issue.record("expected fixed instructions")
      return
    }
    #expect(instructions.contains("Write in a noir style with a wry tone."))
    #expect(instructions.contains("Keep pieces short"))
    #expect(writer.tools.isEmpty)
  }

  @Test func triageHandsOffToTheThreeSpecialists() {
    let triage = AgentFactory.createTriageAgent(model: "qwen3:8b")
    #expect(triage.handoffs.map(\.agent.name) == ["Math Tutor", "Coding Assistant", "Creative Writer"])
    #expect(triage.handoffs.map(\.toolName) == ["transfer_to_math_tutor", "transfer_to_coding_assistant", "transfer_to_creative_writer"])
    #expect(triage.handoffs.allSatisfy { $0.agent.model?.name == "qwen3:8b" })
    #expect(triage.handoffs[0].agent.tools.map(\.name) == ["calculator"])
  }

  @Test func configAgentsGetTheirSettingsToolsAndCyclicHandoffs() throws {
    let file = try AgentsConfigLoader.parse(
      yaml: """
        agents:
          - id: front
            name: Front Desk
            instructions: Route requests.
            handoffs: [back]
          - id: back
            name: Back Office
            instructions: Do the work.
            model: qwen3:8b
            temperature: 0.1
            max_tokens: 256
            tools: [calculator]
            handoffs: [front, math]
        """, path: "team.yaml")
    let factory = AgentFactory(settings: ServerSettings(configFile: file))
    let front = try factory.makeAgent(id: "front")
    let back = try #require(front.handoffs.first?.agent)
    #expect(back.name == "Back Office")
    #expect(back.handoffs.first?.agent === front)
    #expect(back.handoffs.map(\.agent.name) == ["Front Desk", "Math Tutor"])
    #expect(back.model?.name == "qwen3:8b")
    #expect(back.modelSettings.temperature == 0.1)
    #expect(back.modelSettings.maxTokens == 256)
    #expect(back.tools.map(\.name) == ["calculator"])
    #expect(front.model?.name == "llama3.2")
    #expect(back.handoffDescription == nil)

    let overridden = AgentFactory(settings: ServerSettings(modelOverride: "gemma:2b", configFile: file))
    #expect(try overridden.makeAgent(id: "back").model?.name == "gemma:2b")
  }

  @Test func theMathTutorUsesItsCalculatorInARun() async throws {
    let model = ScriptedModel(steps: [
      .toolCall("calculator", arguments: ["expression": "1234 * 5678"]),
      .text("1234 × 5678 = 7,006,652"),
    ])
    let tutor = AgentFactory.createMathTutor()
    tutor.model = .model(model)
    let result = try await Runner().run(tutor, input: "What is 1234 * 5678?")
    #expect(try result.finalOutput(as: String.self) == "1234 × 5678 = 7,006,652")
    #expect(model.calls[1].request.input.last == .toolOutput(ToolCallOutput(callID: "call_calculator", output: "1234 * 5678 = 7006652")))
    let outcome = ConversationService.conversationResult(of: result, input: "q", model: "m", elapsed: .seconds(1))
    #expect(ResponseValidator.containsNumber(7_006_652).check(outcome) == nil)
    #expect(ResponseValidator.usedTool("calculator").check(outcome) == nil)
  }
}

@Suite struct ResponseValidatorTests {
  func result(_ answer: String, agent: String = "Math Tutor", tools: [String] = []) -> ConversationResult {
    ConversationResult(
      agentName: agent, userInput: "", finalOutput: answer, executionTime: 0, success: true, model: "m",
      toolCalls: tools.map { .init(name: $0, arguments: "{}", output: "") })
  }

  @Test func readsNumbersAsPeopleWriteThem() {
    #expect(ResponseValidator.numbers(in: "It is 7,006,652 (about 7.0 million), not -3.5 or 1.2.3") == [7_006_652, 7.0, -3.5, 1.2, 3])
    #expect(ResponseValidator.numbers(in: "1,23 and 12,3456") == [1, 23, 12, 3456])
    #expect(ResponseValidator.containsNumber(144).check(result("12 × 12 = 144.")) == nil)
    #expect(ResponseValidator.containsNumber(-1).check(result("The result is −1")) == nil)
    #expect(ResponseValidator.containsNumber(24).check(result("It is 23.99")) == "the answer does not contain 24")
  }

  @Test func checksTextToolsAgentAndShape() {
    #expect(ResponseValidator.containsAny(["..<", "out of range"]).check(result("Index OUT OF RANGE")) == nil)
    #expect(ResponseValidator.usedTool("calculator").check(result("4")) == "the calculator tool was not used")
    #expect(ResponseValidator.usedTool("calculator").check(result("4", tools: ["calculator"])) == nil)
    #expect(ResponseValidator.answeredBy("Creative Writer").check(result("x")) == "answered by Math Tutor, not Creative Writer")
    #expect(ResponseValidator.minimumLines(3).check(result("a\n\nb\nc")) == nil)
    #expect(ResponseValidator.minimumLines(3).check(result("a\n\nb")) != nil)
    #expect(ResponseValidator.minimumLength(5).check(result("  abc  ")) != nil)
  }

  @Test func everyBuiltInAgentHasThreeScenarios() {
    for id in BuiltInAgents.ids {
      #expect(TestScenarios.scenarios(for: id).count >= 3, "\(id)")
    }
    #expect(TestScenarios.scenarios(for: "custom").map(\.name) == ["custom.follows-instructions", "custom.knowledge", "custom.answers"])
    #expect(Set(TestScenarios.builtIn.map(\.name)).count == TestScenarios.builtIn.count)
  }
}
