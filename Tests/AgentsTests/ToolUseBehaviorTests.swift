@testable import Agents
import AgentsTesting
import Testing

@Suite struct ToolUseBehaviorTests {
  private func agent(_ behavior: ToolUseBehavior, steps: [ScriptedModel.Step]) -> (Agent, ScriptedModel) {
    let (agent, model) = scriptedAgent(steps: steps, tools: [weatherTool(), weatherTool(name: "get_time")])
    agent.toolUseBehavior = behavior
    return (agent, model)
  }

  @Test func runningTheModelAgainIsTheDefault() async throws {
    let (agent, model) = scriptedAgent(steps: [.toolCall("get_weather", arguments: ["city": "Oslo"]), .text("ok")],
      tools: [weatherTool()])
    #expect(try await Runner().run(agent, input: "x").text == "ok")
    #expect(model.calls.count == 2)
  }

  @Test func stopOnFirstToolMakesItsOutputFinal() async throws {
    let calls = [
      ToolCall(id: "1", name: "get_weather", arguments: #"{"city":"Oslo"}"#),
      ToolCall(id: "2", name: "get_time", arguments: #"{"city":"Rome"}"#),
    ]
    let (agent, model) = agent(.stopOnFirstTool, steps: [.toolCalls(calls)])
    let result = try await Runner().run(agent, input: "x")
    #expect(result.text == "Sunny, 21°C in Oslo")
    #expect(model.calls.count == 1)
    try model.verifyAllStepsUsed()
  }

  @Test func stopAtToolsStopsOnlyAtNamedTools() async throws {
    let (agent, model) = agent(
      .stopAtTools(["get_time"]),
      steps: [
        .toolCall("get_weather", arguments: ["city": "Oslo"]), .toolCall("get_time", arguments: ["city": "Rome"]),
      ])
    let result = try await Runner().run(agent, input: "x")
    #expect(result.text == "Sunny, 21°C in Rome")
    #expect(model.calls.count == 2)
  }

  @Test func customBehaviourDecides() async throws {
    let (agent, model) = agent(
      .custom { _, results in
        results.contains { $0.output.contains("Rome") } ? .final("custom: " + results[0].output) : .runAgain
      },
      steps: [.toolCall("get_weather", arguments: ["city": "Oslo"]), .toolCall("get_weather", arguments: ["city": "Rome"])])
    let result = try await Runner().run(agent, input: "x")
    #expect(result.text == "custom: Sunny, 21°C in Rome")
    #expect(model.calls.count == 2)
  }

  @Test func stoppingAtAToolDecodesItsOutputForTypedAgents() async throws {
    let tool = FunctionTool(name: "forecast", description: "Forecast") { (arguments: CityArguments, _: ToolContext) in
      Forecast(city: arguments.city, celsius: 9)
    }
    let (agent, _) = scriptedAgent(steps: [.toolCall("forecast", arguments: ["city": "Bergen"])], tools: [tool],
      outputType: Forecast.self)
    agent.toolUseBehavior = .stopOnFirstTool
    let result = try await Runner().run(agent, input: "x")
    #expect(try result.finalOutput(as: Forecast.self) == Forecast(city: "Bergen", celsius: 9))
  }

  @Test func toolChoiceIsResetAfterAToolRan() async throws {
    let (agent, model) = scriptedAgent(
      steps: [.toolCall("get_weather", arguments: ["city": "Oslo"]), .text("ok")], tools: [weatherTool()])
    agent.modelSettings.toolChoice = .required
    _ = try await Runner().run(agent, input: "x")
    #expect(model.calls.map(\.request.settings.toolChoice) == [.required, nil])
  }

  @Test func toolChoiceIsKeptWhenResetIsOff() async throws {
    let (agent, model) = scriptedAgent(
      steps: [.toolCall("get_weather", arguments: ["city": "Oslo"]), .text("ok")], tools: [weatherTool()])
    agent.modelSettings.toolChoice = .function("get_weather")
    agent.resetToolChoice = false
    _ = try await Runner().run(agent, input: "x")
    #expect(model.calls.map(\.request.settings.toolChoice) == [.function("get_weather"), .function("get_weather")])
  }
}

@Suite struct MaxTurnsTests {
  @Test func exceedingMaxTurnsThrowsWithThePartialRun() async throws {
    let steps = (1...5).map { ScriptedModel.Step.toolCall("get_weather", arguments: ["city": .string("c\($0)")], id: "call_\($0)", text: "again") }
    let (agent, model) = scriptedAgent(steps: steps, tools: [weatherTool()])
    await #expect {
      try await Runner().run(agent, input: "loop", maxTurns: 3)
    } throws: { error in
      let error = try #require(error as? AgentsError)
      let partial = try #require(error.partialRun)
      return error.code == .maxTurnsExceeded && partial.turns == 3 && partial.rawResponses.count == 3
        && partial.usage.requests == 3 && partial.lastAgent === agent && partial.newItems.count == 9
        && partial.input == [.user("loop")] && error.message.contains("3 model calls")
    }
    #expect(model.calls.count == 3)
  }

  @Test func maxTurnsCountsModelCallsAcrossHandoffs() async throws {
    let (second, secondModel) = scriptedAgent("Second", steps: [
      .toolCall("get_weather", arguments: ["city": "x"]), .text("never"),
    ], tools: [weatherTool()])
    let (first, _) = scriptedAgent("First", steps: [.toolCall("transfer_to_second")])
    first.handoffs = [.to(second)]
    await #expect {
      try await Runner().run(first, input: "x", maxTurns: 2)
    } throws: { error in
      let error = try #require(error as? AgentsError)
      return error.code == .maxTurnsExceeded && error.partialRun?.lastAgent === second
    }
    #expect(secondModel.calls.count == 1)
  }

  @Test func noLimitWithNil() async throws {
    var steps = (1...12).map { ScriptedModel.Step.toolCall("get_weather", arguments: ["city": .string("c\($0)")]) }
    steps.append(.text("finally"))
    let (agent, _) = scriptedAgent(steps: steps, tools: [weatherTool()])
    let result = try await Runner().run(agent, input: "x", maxTurns: nil)
    #expect(result.turns == 13)
    #expect(result.text == "finally")
  }
}
