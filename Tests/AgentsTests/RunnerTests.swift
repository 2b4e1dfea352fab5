@testable import Agents
import AgentsTesting
import Testing

@Suite struct RunnerTests {
  @Test func textReplyIsTheFinalOutput() async throws {
    let (agent, model) = scriptedAgent(steps: [.text("Hello!", usage: Usage(requests: 1, inputTokens: 10, outputTokens: 3))])
    let result = try await Runner().run(agent, input: "Hi")
    #expect(result.text == "Hello!")
    #expect(result.finalOutputText == "Hello!")
    #expect(result.turns == 1)
    #expect(result.lastAgent === agent)
    #expect(result.rawResponses.count == 1)
    #expect(result.usage == Usage(requests: 1, inputTokens: 10, outputTokens: 3))
    #expect(result.history == [.user("Hi"), .assistant("Hello!")])
    let request = try #require(model.calls.first?.request)
    #expect(request.systemPrompt == "Be helpful.")
    #expect(request.input == [.user("Hi")])
    #expect(model.calls.first?.streamed == false)
    try model.verifyAllStepsUsed()
  }

  @Test func usageIsSummedAndMissingUsageCountsAsOneRequest() async throws {
    let (agent, _) = scriptedAgent(
      steps: [
        .toolCall("get_weather", arguments: ["city": "Paris"], usage: Usage(requests: 1, inputTokens: 5, outputTokens: 2)),
        .text("Done"),
      ], tools: [weatherTool()])
    let result = try await Runner().run(agent, input: "Weather?")
    #expect(result.usage.requests == 2)
    #expect(result.usage.inputTokens == 5)
    #expect(result.usage.totalTokens == 7)
    #expect(result.modelCalls.map(\.usage.requests) == [1, 1])
    #expect(result.modelCalls.allSatisfy { $0.agentName == "Assistant" && $0.modelName == "scripted-Assistant" })
  }

  @Test func dynamicInstructionsAreEvaluatedOnEveryModelCallWithTheContext() async throws {
    struct Profile: Sendable { var name: String }
    let model = ScriptedModel(steps: [.toolCall("get_weather", arguments: ["city": "Oslo"]), .text("ok")])
    let agent = Agent(
      name: "Dynamic",
      instructions: .dynamic { context, agent in
        "Call \(try context.context(as: Profile.self).name) by name. Turn \(context.turn). I am \(agent.name)."
      }, model: .model(model), tools: [weatherTool()])
    _ = try await Runner().run(agent, input: "Hi", context: Profile(name: "Ada"))
    #expect(model.calls.map(\.request.systemPrompt) == [
      "Call Ada by name. Turn 0. I am Dynamic.", "Call Ada by name. Turn 1. I am Dynamic.",
    ])
  }

  @Test func toolsReceiveTheRunContextAndAgent() async throws {
    struct Account: Sendable { var id: Int }
    let seen = Recorder()
    let tool = FunctionTool(name: "whoami", description: "Who is asking") { (_: CityArguments, context: ToolContext) in
      seen.record("\(try context.run.context(as: Account.self).id) \(context.agent.name) \(context.call.id) \(context.run.turn)")
      return "ok"
    }
    let (agent, _) = scriptedAgent(steps: [.toolCall("whoami", arguments: ["city": "x"], id: "c1"), .text("done")], tools: [tool])
    _ = try await Runner().run(agent, input: "Hi", context: Account(id: 42))
    #expect(seen.all == ["42 Assistant c1 1"])
  }

  @Test func askingForTheWrongContextTypeIsAClearError() throws {
    let context = RunContext(context: 5)
    #expect(throws: AgentsError.self) { try context.context(as: String.self) }
    do {
      _ = try context.context(as: String.self)
    } catch {
      #expect(error.code == .userError)
      #expect(error.message.contains("Pass a String"))
    }
  }

  @Test func modelNamesResolveThroughTheProvider() async throws {
    struct Provider: ModelProvider {
      let models: [String: ScriptedModel]
      func model(named name: String?) throws -> any Model {
        guard let model = models[name ?? "default"] else { throw AgentsError(.userError, "unknown model \(name ?? "")") }
        return model
      }
    }
    let small = ScriptedModel(name: "small", steps: [.text("from small")])
    let fallback = ScriptedModel(name: "default", steps: [.text("from default")])
    let runner = Runner(configuration: .init(modelProvider: Provider(models: ["small": small, "default": fallback])))
    #expect(try await runner.run(Agent(name: "A", model: "small"), input: "x").text == "from small")
    #expect(try await runner.run(Agent(name: "B"), input: "x").text == "from default")
  }

  @Test func runnerModelOverridesTheAgentsModel() async throws {
    let override = ScriptedModel(name: "override", steps: [.text("overridden")])
    let (agent, own) = scriptedAgent(steps: [.text("own")])
    let result = try await Runner(configuration: .init(model: .model(override))).run(agent, input: "x")
    #expect(result.text == "overridden")
    #expect(own.calls.isEmpty)
  }

  @Test func withoutAProviderNamesResolveToChatCompletionsModelsFromTheEnvironment() throws {
    let model = try #require(try OpenAICompatibleProvider.environmentDefault.get().model(named: "llama3.2") as? ChatCompletionsModel)
    #expect(model.name == "llama3.2")
  }

  @Test func modelErrorsPassThroughUnchanged() async throws {
    struct ServerDown: Error, Equatable {}
    let (agent, _) = scriptedAgent(steps: [.failure(ServerDown())])
    await #expect(throws: ServerDown.self) { try await Runner().run(agent, input: "x") }
  }

  @Test func runSettingsOverlayAgentSettings() async throws {
    let model = ScriptedModel(steps: [.text("ok")])
    let agent = Agent(name: "A", model: .model(model), modelSettings: try ModelSettings(temperature: 0.2, maxTokens: 100))
    let runner = Runner(configuration: .init(modelSettings: try ModelSettings(temperature: 0.7, seed: 3)))
    _ = try await runner.run(agent, input: "x")
    let settings = try #require(model.calls.first?.request.settings)
    #expect(settings.temperature == 0.7)
    #expect(settings.maxTokens == 100)
    #expect(settings.seed == 3)
  }

  @Test func invalidSettingsChangedAfterConstructionStopTheRun() async throws {
    let (agent, model) = scriptedAgent(steps: [.text("never")])
    agent.modelSettings.topP = 1.5
    await #expect {
      try await Runner().run(agent, input: "x")
    } throws: { error in
      (error as? AgentsError)?.code == .userError && "\(error)".contains("topP")
    }
    #expect(model.calls.isEmpty)
  }

  @Test func duplicateToolNamesAreAUserError() async throws {
    let (agent, _) = scriptedAgent(steps: [.text("never")], tools: [weatherTool(), weatherTool()])
    await #expect {
      try await Runner().run(agent, input: "x")
    } throws: { error in
      (error as? AgentsError)?.code == .userError && "\(error)".contains("two tools")
    }
  }

  @Test func historyContinuesWithAnotherAgent() async throws {
    let (first, _) = scriptedAgent("First", steps: [.text("I am first")])
    let (second, secondModel) = scriptedAgent("Second", steps: [.text("I am second")])
    let runner = Runner()
    let one = try await runner.run(first, input: "Hello")
    let two = try await runner.run(second, input: one.history + [.user("And you?")])
    #expect(two.text == "I am second")
    #expect(secondModel.calls[0].request.input == [.user("Hello"), .assistant("I am first"), .user("And you?")])
  }
}
