@testable import Agents
import AgentsTesting
import Testing

@Suite struct ToolGuardrailTests {
  /// A weather tool with guardrails that records the cities it was called for.
  private func guardedTool(
    _ calls: Recorder, input: [ToolInputGuardrail] = [], output: [ToolOutputGuardrail] = [],
    approval: ToolApproval = .never
  ) -> FunctionTool {
    FunctionTool(
      name: "get_weather", description: "Weather", needsApproval: approval, inputGuardrails: input,
      outputGuardrails: output
    ) { (arguments: CityArguments, _: ToolContext) in
      calls.record(arguments.city)
      return "Sunny in \(arguments.city); API key sk-12345"
    }
  }

  private let noMoscow = ToolInputGuardrail(name: "no_moscow") { input in
    input.call.arguments.contains("Moscow") ? .rejectContent("Weather for Moscow is not available.", info: "blocked") : .allow()
  }

  @Test func anInputGuardrailSkipsTheCallWithAMessageToTheModel() async throws {
    let calls = Recorder()
    let (agent, model) = scriptedAgent(
      steps: [.toolCall("get_weather", arguments: ["city": "Moscow"]), .text("No data.")],
      tools: [guardedTool(calls, input: [noMoscow])])
    let result = try await Runner().run(agent, input: "x")
    #expect(result.text == "No data.")
    #expect(calls.all.isEmpty)
    #expect(model.calls[1].request.toolOutputs == ["Weather for Moscow is not available."])
    let verdict = try #require(result.toolGuardrailResults.first)
    #expect(verdict.guardrailName == "no_moscow")
    #expect(verdict.stage == .input)
    #expect(verdict.output.behavior == .rejectContent("Weather for Moscow is not available."))
    #expect(verdict.output.outputInfo as? String == "blocked")
    #expect(verdict.agentName == "Assistant")
  }

  @Test func anAllowingInputGuardrailLetsTheCallRun() async throws {
    let calls = Recorder()
    let (agent, _) = scriptedAgent(
      steps: [.toolCall("get_weather", arguments: ["city": "Oslo"]), .text("ok")], tools: [guardedTool(calls, input: [noMoscow])])
    let result = try await Runner().run(agent, input: "x")
    #expect(calls.all == ["Oslo"])
    #expect(result.toolGuardrailResults.map(\.output.behavior) == [.allow])
  }

  @Test func anInputTripwireStopsTheRunBeforeTheCall() async throws {
    let calls = Recorder()
    let stop = ToolInputGuardrail(name: "stop_all") { _ in .tripwire("too risky") }
    let (agent, _) = scriptedAgent(
      steps: [.toolCall("get_weather", arguments: ["city": "Oslo"]), .text("never")], tools: [guardedTool(calls, input: [stop])])
    let error = await #expect(throws: AgentsError.self) { try await Runner().run(agent, input: "x") }
    #expect(error?.code == .toolInputGuardrailTripped)
    #expect(error?.toolGuardrailResult?.guardrailName == "stop_all")
    #expect(error?.message.contains("'get_weather'") == true)
    #expect(error?.message.contains("too risky") == true)
    #expect(error?.partialRun?.turns == 1)
    #expect(calls.all.isEmpty)
  }

  @Test func anOutputGuardrailReplacesTheOutput() async throws {
    let calls = Recorder()
    let redact = ToolOutputGuardrail(name: "no_keys") { input in
      (input.output ?? "").contains("sk-") ? .rejectContent("The output held an API key and was withheld.") : .allow()
    }
    let (agent, model) = scriptedAgent(
      steps: [.toolCall("get_weather", arguments: ["city": "Oslo"]), .text("ok")], tools: [guardedTool(calls, output: [redact])])
    let result = try await Runner().run(agent, input: "x")
    #expect(calls.all == ["Oslo"])
    #expect(model.calls[1].request.toolOutputs == ["The output held an API key and was withheld."])
    #expect(result.toolGuardrailResults.map(\.stage) == [.output])
  }

  @Test func anOutputTripwireStopsTheRun() async throws {
    let stop = ToolOutputGuardrail(name: "leak") { input in (input.output ?? "").contains("sk-") ? .tripwire() : .allow() }
    let (agent, model) = scriptedAgent(
      steps: [.toolCall("get_weather", arguments: ["city": "Oslo"]), .text("never")],
      tools: [guardedTool(Recorder(), output: [stop])])
    let error = await #expect(throws: AgentsError.self) { try await Runner().run(agent, input: "x") }
    #expect(error?.code == .toolOutputGuardrailTripped)
    #expect(error?.toolGuardrailResult?.stage == .output)
    #expect(model.calls.count == 1)
  }

  @Test func theFirstGuardrailThatDoesNotAllowDecides() async throws {
    let later = Recorder()
    let first = ToolInputGuardrail(name: "first") { _ in .allow() }
    let second = ToolInputGuardrail(name: "second") { _ in .rejectContent("second says no") }
    let third = ToolInputGuardrail(name: "third") { _ in
      later.record("third ran")
      return .tripwire()
    }
    let (agent, model) = scriptedAgent(
      steps: [.toolCall("get_weather", arguments: ["city": "Oslo"]), .text("ok")],
      tools: [guardedTool(Recorder(), input: [first, second, third])])
    let result = try await Runner().run(agent, input: "x")
    #expect(result.toolGuardrailResults.map(\.guardrailName) == ["first", "second"])
    #expect(later.all.isEmpty)
    #expect(model.calls[1].request.toolOutputs == ["second says no"])
  }

  @Test func inputGuardrailsRunAfterApproval() async throws {
    let checked = Recorder()
    let watch = ToolInputGuardrail(name: "watch") { input in
      checked.record(input.call.id)
      return .allow()
    }
    let (agent, _) = scriptedAgent(
      steps: [.toolCall("get_weather", arguments: ["city": "Oslo"], id: "c1"), .text("ok")],
      tools: [guardedTool(Recorder(), input: [watch], approval: .always)])
    let runner = Runner()
    var state = try #require(try await runner.run(agent, input: "x").state)
    #expect(checked.all.isEmpty)
    state.approve(state.interruptions[0])
    let result = try await runner.run(state)
    #expect(checked.all == ["c1"])
    #expect(result.toolGuardrailResults.count == 1)
  }

  @Test func outputGuardrailsDoNotSeeFailedCalls() async throws {
    let seen = Recorder()
    let watch = ToolOutputGuardrail(name: "watch") { input in
      seen.record(input.output ?? "")
      return .allow()
    }
    let failing = FunctionTool(name: "broken", description: "Fails", outputGuardrails: [watch]) {
      (_: CityArguments, _: ToolContext) -> String in throw ToolBroke()
    }
    let (agent, _) = scriptedAgent(steps: [.toolCall("broken", arguments: ["city": "Oslo"]), .text("ok")], tools: [failing])
    _ = try await Runner().run(agent, input: "x")
    #expect(seen.all.isEmpty)
  }
}
