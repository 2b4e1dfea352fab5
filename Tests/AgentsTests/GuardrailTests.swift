@testable import Agents
import AgentsTesting
import Testing

@Suite struct GuardrailTests {
  static func blocking(_ word: String, parallel: Bool = true, recorder: Recorder? = nil) -> InputGuardrail {
    InputGuardrail(name: "no-\(word)", runInParallel: parallel) { _, _, input in
      recorder?.record("input-guardrail")
      let text = input.compactMap(\.messageText).joined()
      return GuardrailOutput(tripwireTriggered: text.contains(word), outputInfo: text.contains(word) ? "mentions \(word)" : nil)
    }
  }

  @Test func aParallelInputGuardrailTripCancelsTheModelCall() async throws {
    let (agent, model) = scriptedAgent(steps: [.waitForCancellation])
    agent.inputGuardrails = [Self.blocking("homework")]
    await #expect {
      try await Runner().run(agent, input: "Do my homework")
    } throws: { error in
      let error = try #require(error as? AgentsError)
      return error.code == .inputGuardrailTripped && error.guardrailResult?.guardrailName == "no-homework"
        && error.guardrailResult?.output.outputInfo as? String == "mentions homework"
        && error.message.contains("no-homework")
    }
    #expect(model.cancelledCalls == 1)
  }

  @Test func aSequentialInputGuardrailRunsBeforeTheModel() async throws {
    let (agent, model) = scriptedAgent(steps: [.text("never")])
    agent.inputGuardrails = [Self.blocking("homework", parallel: false)]
    await #expect {
      try await Runner().run(agent, input: "Do my homework")
    } throws: { error in (error as? AgentsError)?.code == .inputGuardrailTripped }
    #expect(model.calls.isEmpty)
  }

  @Test func passingInputGuardrailsAreRecordedAndRunOnlyOnTheFirstTurnOfTheFirstAgent() async throws {
    let recorder = Recorder()
    let (second, _) = scriptedAgent("Second", steps: [.toolCall("get_weather", arguments: ["city": "x"]), .text("ok")],
      tools: [weatherTool()])
    second.inputGuardrails = [Self.blocking("never-used", recorder: recorder)]
    let (first, _) = scriptedAgent("First", steps: [.toolCall("transfer_to_second")])
    first.handoffs = [.to(second)]
    first.inputGuardrails = [Self.blocking("homework", recorder: recorder)]
    let runner = Runner(configuration: .init(inputGuardrails: [Self.blocking("secret", parallel: false, recorder: recorder)]))
    let result = try await runner.run(first, input: "Hello")
    #expect(recorder.all == ["input-guardrail", "input-guardrail"])
    #expect(Set(result.inputGuardrailResults.map(\.guardrailName)) == ["no-homework", "no-secret"])
  }

  @Test func toolsDoNotRunBeforeParallelGuardrailsPass() async throws {
    let recorder = Recorder()
    let tool = FunctionTool(name: "launch", description: "Side effect") { (_: CityArguments, _: ToolContext) in
      recorder.record("tool ran")
      return "launched"
    }
    let (agent, _) = scriptedAgent(steps: [.toolCall("launch", arguments: ["city": "x"])], tools: [tool])
    agent.inputGuardrails = [
      InputGuardrail(name: "slow-no") { _, _, _ in
        await Task.yield()
        return GuardrailOutput(tripwireTriggered: true)
      }
    ]
    await #expect(throws: AgentsError.self) { try await Runner().run(agent, input: "x") }
    #expect(recorder.all.isEmpty)
  }

  @Test func outputGuardrailsCheckTheFinalOutput() async throws {
    let (agent, _) = scriptedAgent(steps: [.text(#"{"city":"Oslo","celsius":-40}"#)], outputType: Forecast.self)
    agent.outputGuardrails = [
      OutputGuardrail(name: "plausible") { _, _, output in
        let forecast = output as? Forecast
        return GuardrailOutput(tripwireTriggered: (forecast?.celsius ?? 0) < -30, outputInfo: forecast?.celsius)
      }
    ]
    await #expect {
      try await Runner().run(agent, input: "x")
    } throws: { error in
      let error = try #require(error as? AgentsError)
      return error.code == .outputGuardrailTripped && error.guardrailResult?.guardrailName == "plausible"
        && error.guardrailResult?.output.outputInfo as? Int == -40 && error.partialRun?.turns == 1
    }
  }

  @Test func passingOutputGuardrailsAreRecorded() async throws {
    let (agent, _) = scriptedAgent(steps: [.text("fine")])
    let runner = Runner(configuration: .init(outputGuardrails: [
      OutputGuardrail(name: "run-wide") { _, _, _ in GuardrailOutput(tripwireTriggered: false) }
    ]))
    agent.outputGuardrails = [OutputGuardrail(name: "own") { _, _, _ in GuardrailOutput(tripwireTriggered: false) }]
    let result = try await runner.run(agent, input: "x")
    #expect(Set(result.outputGuardrailResults.map(\.guardrailName)) == ["own", "run-wide"])
  }
}

@Suite struct HookTests {
  @Test func runHooksFireInOrder() async throws {
    let recorder = Recorder()
    let (agent, _) = scriptedAgent(steps: [.toolCall("get_weather", arguments: ["city": "x"]), .text("ok")],
      tools: [weatherTool()])
    _ = try await Runner().run(agent, input: "x", hooks: RecordingHooks(recorder: recorder, prefix: ""))
    #expect(recorder.all == [
      "start:Assistant", "model-start:Assistant", "model-end:Assistant", "tool-start:get_weather",
      "tool-end:get_weather", "model-start:Assistant", "model-end:Assistant", "end:Assistant:ok",
    ])
  }

  @Test func agentHooksFireOnlyForTheirAgent() async throws {
    let recorder = Recorder()
    let (billing, _) = scriptedAgent("Billing", steps: [.text("paid")])
    let (triage, _) = scriptedAgent("Triage", steps: [.toolCall("transfer_to_billing")])
    triage.handoffs = [.to(billing)]
    triage.hooks = RecordingHooks(recorder: recorder, prefix: "")
    _ = try await Runner().run(triage, input: "x")
    #expect(recorder.all == ["start:Triage", "model-start:Triage", "model-end:Triage"])
  }
}
