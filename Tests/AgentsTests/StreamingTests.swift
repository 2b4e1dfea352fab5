@testable import Agents
import AgentsTesting
import Testing

/// A stream event reduced to a comparable string.
func describe(_ event: RunEvent) -> String {
  switch event {
  case .agentChanged(let agent): "agent:\(agent.name)"
  case .textDelta(let text): "text:\(text)"
  case .reasoningDelta(let text): "reasoning:\(text)"
  case .toolCalled(let call): "called:\(call.name)"
  case .toolArgumentsRepaired(let call, let changes): "repaired:\(call.name)=\(changes)"
  case .toolOutput(let call, let output): "output:\(call.name)=\(output)"
  case .handoff(let from, let to): "handoff:\(from.name)->\(to.name)"
  case .contextTrimmed(let trimming): "trimmed:\(trimming.droppedItems)"
  case .contextOverflowRetried(let retry): "overflow-retried:\(retry.trimming?.droppedItems ?? 0)"
  case .replyDiscarded(let reason): "discarded:\(reason)"
  case .answerTruncated(let truncation): "truncated:\(truncation.finishReason)"
  case .samplingAnswers(let count): "sampling:\(count)"
  case .messageDone(let text): "message:\(text)"
  case .finished(let result): "finished:\(result.finalOutputText)"
  }
}

@Suite struct StreamingTests {
  @Test func streamedToolLoopEmitsEventsInOrder() async throws {
    let (agent, model) = scriptedAgent(steps: [
      .stream([.reasoning("need weather")], response: ModelResponse(
        reasoning: "need weather", toolCalls: [ToolCall(id: "c", name: "get_weather", arguments: #"{"city":"Oslo"}"#)])),
      .stream([.text("It is "), .text("sunny.")]),
    ], tools: [weatherTool()])
    var events: [String] = []
    for try await event in Runner().runStreamed(agent, input: "x") { events.append(describe(event)) }
    #expect(events == [
      "agent:Assistant", "reasoning:need weather", "called:get_weather", "output:get_weather=Sunny, 21°C in Oslo",
      "text:It is ", "text:sunny.", "message:It is sunny.", "finished:It is sunny.",
    ])
    #expect(model.calls.allSatisfy { $0.streamed })
  }

  @Test func wholeResponsesAreStreamedAsOneDelta() async throws {
    let (agent, _) = scriptedAgent(steps: [.text("Hello", usage: Usage(requests: 1, inputTokens: 2, outputTokens: 1))])
    let result = try await Runner().runStreamed(agent, input: "x").result()
    #expect(result.text == "Hello")
    #expect(result.usage.totalTokens == 3)
    #expect(result.modelCalls.first?.streamed == true)
    #expect(result.modelCalls.first.map { $0.timeToFirstToken <= $0.latency } == true)
  }

  @Test func runErrorsAreThrownFromTheStream() async throws {
    let (agent, _) = scriptedAgent(steps: [.toolCall("get_weather", arguments: ["city": "x"])], tools: [weatherTool()])
    var sawToolOutput = false
    await #expect {
      for try await event in Runner().runStreamed(agent, input: "x", maxTurns: 1) {
        if case .toolOutput = event { sawToolOutput = true }
      }
    } throws: { error in
      (error as? AgentsError)?.code == .maxTurnsExceeded
    }
    #expect(sawToolOutput)
  }

  @Test func aStreamThatFailsMidwayFailsTheRun() async throws {
    struct Dropped: Error {}
    let (agent, _) = scriptedAgent(steps: [.stream([.text("Hel"), .failure(Dropped())])])
    var text = ""
    await #expect(throws: Dropped.self) {
      for try await event in Runner().runStreamed(agent, input: "x") {
        if case .textDelta(let delta) = event { text += delta }
      }
    }
    #expect(text == "Hel")
  }

  @Test func streamedHandoffRunsTheNextAgent() async throws {
    let (billing, _) = scriptedAgent("Billing", steps: [.stream([.text("Paid.")])])
    let (triage, _) = scriptedAgent("Triage", steps: [.toolCall("transfer_to_billing")])
    triage.handoffs = [.to(billing)]
    var events: [String] = []
    for try await event in Runner().runStreamed(triage, input: "x") { events.append(describe(event)) }
    #expect(events == [
      "agent:Triage", "handoff:Triage->Billing", "agent:Billing", "text:Paid.", "message:Paid.", "finished:Paid.",
    ])
  }
}

@Suite struct CancellationTests {
  @Test func cancellingAStreamedRunStopsTheModelStream() async throws {
    let (agent, model) = scriptedAgent(steps: [.stream([.text("Hel"), .waitForCancellation])])
    let stream = Runner().runStreamed(agent, input: "x")
    let started = AsyncStream.makeStream(of: Void.self)
    let consumer = Task {
      for try await event in stream {
        if case .textDelta = event { started.continuation.yield() }
      }
    }
    for await _ in started.stream { break }
    consumer.cancel()
    _ = await consumer.result
    await waitUntil { model.cancelledCalls == 1 }
    #expect(model.cancelledCalls == 1)
  }

  @Test func cancellingTheTaskThatRunsAnAgentStopsItsModelCall() async throws {
    let (agent, model) = scriptedAgent(steps: [.waitForCancellation])
    let run = Task { try await Runner().run(agent, input: "x") }
    await waitUntil { model.calls.count == 1 }
    run.cancel()
    await #expect(throws: CancellationError.self) { try await run.value }
    #expect(model.cancelledCalls == 1)
  }

  @Test func cancellingStopsRunningTools() async throws {
    let recorder = Recorder()
    let tool = FunctionTool(name: "long", description: "Runs until cancelled") { (_: CityArguments, _: ToolContext) -> String in
      recorder.record("started")
      do {
        try await Task.sleep(for: .seconds(3600))
      } catch {
        recorder.record("cancelled")
        throw error
      }
      return "never"
    }
    let (agent, _) = scriptedAgent(steps: [.toolCall("long", arguments: ["city": "x"])], tools: [tool])
    let run = Task { try await Runner().run(agent, input: "x") }
    await waitUntil { recorder.all == ["started"] }
    run.cancel()
    await #expect(throws: CancellationError.self) { try await run.value }
    #expect(recorder.all == ["started", "cancelled"])
  }
}

/// Yields until `condition` holds; used to wait for another task to reach a point, never for a duration.
func waitUntil(_ condition: () -> Bool) async {
  while !condition() { await Task.yield() }
}
