@testable import Agents
import AgentsTesting
import Testing

@Suite struct AgentTests {
  @Test func configurationFieldsAreReadableAndWritable() {
    let agent = Agent(name: "A", instructions: "Be brief.", handoffDescription: "Does A things.")
    agent.name = "B"
    agent.tools.append(weatherTool())
    #expect(agent.name == "B")
    #expect(agent.tools.map(\.name) == ["get_weather"])
    #expect(agent.handoffDescription == "Does A things.")
    #expect(agent.resetToolChoice)
    #expect(agent.outputType == nil)
    #expect("\(agent)" == "Agent(B)")
  }

  @Test func cloneCopiesAndChangesTheConfigurationShallowly() {
    let shared = weatherTool()
    let original = Agent(name: "Original", tools: [shared], outputType: Forecast.self)
    let copy = original.clone { $0.name = "Copy" }
    #expect(copy !== original)
    #expect(copy.name == "Copy")
    #expect(original.name == "Original")
    #expect(copy.tools.map(\.name) == ["get_weather"])
    #expect(copy.outputType?.name == "Forecast")
    copy.tools = []
    #expect(original.tools.count == 1)
  }

  @Test func agentAsToolRunsANestedRun() async throws {
    let (translator, translatorModel) = scriptedAgent("Translator", steps: [.text("Bonjour")])
    translator.handoffDescription = "Translates to French."
    let tool = translator.asTool()
    #expect(tool.definition.name == "translator")
    #expect(tool.definition.description == "Translates to French.")
    let (orchestrator, orchestratorModel) = scriptedAgent("Orchestrator", steps: [
      .toolCall("translator", arguments: ["input": "Hello"]), .text("It is 'Bonjour'."),
    ], tools: [tool])
    let result = try await Runner().run(orchestrator, input: "Translate hello")
    #expect(result.text == "It is 'Bonjour'.")
    #expect(translatorModel.calls[0].request.input == [.user("Hello")])
    #expect(orchestratorModel.calls[1].request.toolOutputs == ["Bonjour"])
    #expect(result.lastAgent === orchestrator)
  }

  @Test func agentAsToolUsesACustomExtractor() async throws {
    let (inner, _) = scriptedAgent("Inner", steps: [.text("raw")])
    let tool = inner.asTool(name: "ask_inner", description: "Ask") { result in "extracted: \(result.text)" }
    let (outer, outerModel) = scriptedAgent("Outer", steps: [.toolCall("ask_inner", arguments: ["input": "q"]), .text("ok")],
      tools: [tool])
    _ = try await Runner().run(outer, input: "x")
    #expect(outerModel.calls[1].request.toolOutputs == ["extracted: raw"])
  }
}

@Suite struct ModelSettingsTests {
  @Test func validSettingsAreAccepted() throws {
    let settings = try ModelSettings(
      temperature: 2, topP: 0, maxTokens: 1, toolChoice: .required, parallelToolCalls: true, seed: 7, stop: ["\n"],
      reasoningEffort: .low)
    #expect(settings.temperature == 2)
    #expect(settings.reasoningEffort?.rawValue == "low")
  }

  @Test func temperatureOutOfRangeSaysTheAllowedRange() {
    #expect {
      try ModelSettings(temperature: 3)
    } throws: { error in
      let error = try #require(error as? AgentsError)
      return error.code == .userError && error.message.contains("temperature is 3.0")
        && error.message.contains("between 0.0 and 2.0")
    }
  }

  @Test(arguments: [
    { try ModelSettings(topP: 1.1) }, { try ModelSettings(topP: -0.1) }, { try ModelSettings(maxTokens: 0) },
    { try ModelSettings(frequencyPenalty: 2.5) }, { try ModelSettings(presencePenalty: -3) },
    { try ModelSettings(temperature: .nan) }, { try ModelSettings(toolChoice: .function("")) },
  ] as [@Sendable () throws -> ModelSettings])
  func invalidValuesAreRejected(make: @Sendable () throws -> ModelSettings) {
    #expect(throws: AgentsError.self) { try make() }
  }

  @Test func resolvedLaysTheOverrideOverTheBase() throws {
    var base = try ModelSettings(temperature: 0.1, topP: 0.5, extraBody: ["a": 1, "b": 2])
    base.stop = ["x"]
    let merged = base.resolved(with: try ModelSettings(temperature: 0.9, extraBody: ["b": 3]))
    #expect(merged.temperature == 0.9)
    #expect(merged.topP == 0.5)
    #expect(merged.stop == ["x"])
    #expect(merged.extraBody == ["a": 1, "b": 3])
    #expect(base.resolved(with: nil) == base)
  }
}

@Suite struct ScriptedModelTests {
  @Test func runningOutOfStepsIsAClearError() async throws {
    let model = ScriptedModel(name: "short", steps: [])
    await #expect {
      try await model.response(to: ModelRequest(systemPrompt: nil, input: [], agentName: "A"))
    } throws: { error in
      "\(error)".contains("no step for call #1")
    }
  }

  @Test func unusedStepsAreReported() async throws {
    let model = ScriptedModel(steps: [.text("a"), .text("b")])
    _ = try await model.response(to: ModelRequest(systemPrompt: nil, input: []))
    #expect(model.remainingSteps == 1)
    #expect(throws: ScriptedModelError.self) { try model.verifyAllStepsUsed() }
  }

  @Test func dynamicStepsSeeTheRequest() async throws {
    let model = ScriptedModel(steps: [.dynamic { request in ModelResponse(text: "echo: \(request.input.count)") }])
    let response = try await model.response(to: ModelRequest(systemPrompt: nil, input: [.user("a"), .user("b")]))
    #expect(response.text == "echo: 2")
  }

  @Test func streamStepsAssembleIntoAResponseWhenNotStreamed() async throws {
    let model = ScriptedModel(steps: [.stream([.reasoning("r"), .text("a"), .text("b")])])
    let response = try await model.response(to: ModelRequest(systemPrompt: nil, input: []))
    #expect(response.text == "ab")
    #expect(response.reasoning == "r")
  }
}
