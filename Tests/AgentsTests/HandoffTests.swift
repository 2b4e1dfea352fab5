@testable import Agents
import AgentsTesting
import Testing

@Suite struct HandoffTests {
  @Test func defaultNamesAndDescriptions() {
    let billing = Agent(name: "Billing Agent", handoffDescription: "Handles invoices.")
    let handoff = Handoff.to(billing)
    #expect(handoff.toolName == "transfer_to_billing_agent")
    #expect(handoff.toolDescription == "Handoff to the Billing Agent agent to handle the request. Handles invoices.")
    #expect(Handoff.defaultToolName(for: "Q&A bot!") == "transfer_to_q_a_bot_")
  }

  @Test func handoffSwitchesAgentsAndTheNewAgentSeesTheWholeTranscript() async throws {
    let (billing, billingModel) = scriptedAgent("Billing", steps: [.text("Your invoice is paid.")])
    let (triage, triageModel) = scriptedAgent("Triage", steps: [
      .toolCall("transfer_to_billing", id: "h1", text: "Passing you to billing."),
    ])
    triage.handoffs = [.to(billing)]
    let result = try await Runner().run(triage, input: "Is my invoice paid?")
    #expect(result.text == "Your invoice is paid.")
    #expect(result.lastAgent === billing)
    #expect(result.turns == 2)
    #expect(result.newItems.map(\.kind) == [.message, .handoffCall, .handoffOutput, .message])
    #expect(result.newItems.map(\.agentName) == ["Triage", "Triage", "Triage", "Billing"])
    #expect(triageModel.calls[0].request.tools.map(\.name) == ["transfer_to_billing"])
    let seen = billingModel.calls[0].request
    #expect(seen.input == [
      .user("Is my invoice paid?"), .assistant("Passing you to billing."),
      .toolCall(ToolCall(id: "h1", name: "transfer_to_billing", arguments: "{}")),
      .toolOutput(ToolCallOutput(callID: "h1", output: #"{"assistant":"Billing"}"#)),
    ])
    #expect(seen.systemPrompt == "Be helpful.")
  }

  @Test func onlyTheFirstHandoffOfAResponseRuns() async throws {
    let (a, aModel) = scriptedAgent("A", steps: [.text("from A")])
    let (b, bModel) = scriptedAgent("B", steps: [])
    let (triage, _) = scriptedAgent("Triage", steps: [
      .toolCalls([
        ToolCall(id: "1", name: "transfer_to_a", arguments: "{}"), ToolCall(id: "2", name: "transfer_to_b", arguments: "{}"),
      ])
    ])
    triage.handoffs = [.to(a), .to(b)]
    let result = try await Runner().run(triage, input: "x")
    #expect(result.lastAgent === a)
    #expect(bModel.calls.isEmpty)
    #expect(aModel.calls[0].request.toolOutputs == ["Multiple handoffs detected, ignoring this one.", #"{"assistant":"A"}"#])
  }

  @Test func toolsOfTheHandoffResponseRunBeforeTheHandoff() async throws {
    let (specialist, specialistModel) = scriptedAgent("Specialist", steps: [.text("done")])
    let (triage, _) = scriptedAgent("Triage", steps: [
      .toolCalls([
        ToolCall(id: "t", name: "get_weather", arguments: #"{"city":"Oslo"}"#),
        ToolCall(id: "h", name: "transfer_to_specialist", arguments: "{}"),
      ])
    ], tools: [weatherTool()])
    triage.handoffs = [.to(specialist)]
    _ = try await Runner().run(triage, input: "x")
    #expect(specialistModel.calls[0].request.toolOutputs == ["Sunny, 21°C in Oslo", #"{"assistant":"Specialist"}"#])
  }

  @Test func inputFilterChangesWhatTheNextAgentSees() async throws {
    let (specialist, specialistModel) = scriptedAgent("Specialist", steps: [.text("done")])
    let (triage, _) = scriptedAgent("Triage", steps: [
      .toolCall("get_weather", arguments: ["city": "Oslo"]), .toolCall("transfer_to_specialist", text: "handing off"),
    ], tools: [weatherTool()])
    triage.handoffs = [.to(specialist, inputFilter: HandoffFilters.removeAllTools)]
    let result = try await Runner().run(triage, input: "Hello")
    #expect(specialistModel.calls[0].request.input == [.user("Hello"), .assistant("handing off")])
    #expect(result.history == [.user("Hello"), .assistant("handing off"), .assistant("done")])
  }

  @Test func runnerWideInputFilterAppliesWhenTheHandoffHasNone() async throws {
    let (specialist, specialistModel) = scriptedAgent("Specialist", steps: [.text("done")])
    let (triage, _) = scriptedAgent("Triage", steps: [.toolCall("transfer_to_specialist")])
    triage.handoffs = [.to(specialist)]
    let runner = Runner(configuration: .init(handoffInputFilter: { data in
      var data = data
      data.inputHistory = [.user("summarised")]
      data.newItems = []
      return data
    }))
    _ = try await runner.run(triage, input: "long story")
    #expect(specialistModel.calls[0].request.input == [.user("summarised")])
  }

  @Test func typedHandoffInputReachesOnHandoff() async throws {
    let recorder = Recorder()
    let (specialist, _) = scriptedAgent("Specialist", steps: [.text("done")])
    let (triage, triageModel) = scriptedAgent("Triage", steps: [
      .toolCall("transfer_to_specialist", arguments: ["town": "Oslo"]),
      .toolCall("transfer_to_specialist", arguments: ["city": "Oslo"]),
    ])
    triage.handoffs = [.to(specialist, inputType: CityArguments.self) { _, input in recorder.record(input.city) }]
    let result = try await Runner().run(triage, input: "x")
    #expect(recorder.all == ["Oslo"])
    #expect(result.lastAgent === specialist)
    #expect(triageModel.calls[0].request.tools[0].parameters == CityArguments.jsonSchema)
    #expect(triageModel.calls[1].request.toolOutputs.first?.contains("The handoff did not happen") == true)
  }

  @Test func agentsCanHandBackInACycle() async throws {
    let (triage, _) = scriptedAgent("Triage", steps: [.toolCall("transfer_to_faq"), .text("back in triage")])
    let (faq, _) = scriptedAgent("FAQ", steps: [.toolCall("transfer_to_triage")])
    triage.handoffs = [.to(faq)]
    faq.handoffs = [.to(triage)]
    let result = try await Runner().run(triage, input: "x")
    #expect(result.text == "back in triage")
    #expect(result.lastAgent === triage)
    #expect(result.turns == 3)
  }

  @Test func handoffHooksAndStreamEventsFire() async throws {
    let recorder = Recorder()
    let (billing, _) = scriptedAgent("Billing", steps: [.text("paid")])
    billing.hooks = RecordingHooks(recorder: recorder, prefix: "billing/")
    let (triage, _) = scriptedAgent("Triage", steps: [.toolCall("transfer_to_billing")])
    triage.handoffs = [.to(billing, onHandoff: { _ in recorder.record("onHandoff") })]
    var names: [String] = []
    for try await event in Runner().runStreamed(triage, input: "x", hooks: RecordingHooks(recorder: recorder, prefix: "")) {
      switch event {
      case .agentChanged(let agent): names.append("agent:\(agent.name)")
      case .handoff(let from, let to): names.append("handoff:\(from.name)->\(to.name)")
      case .finished: names.append("finished")
      default: break
      }
    }
    #expect(names == ["agent:Triage", "handoff:Triage->Billing", "agent:Billing", "finished"])
    #expect(recorder.all.contains("onHandoff"))
    #expect(recorder.all.contains("handoff:Triage->Billing"))
    #expect(recorder.all.contains("billing/handoff:Triage->Billing"))
    #expect(recorder.all.contains("start:Billing"))
    #expect(recorder.all.contains("billing/start:Billing"))
  }
}
