@testable import Agents
import AgentsTesting
import Synchronization
import Testing

/// A file-writing tool that records what it wrote, with an approval rule.
func writeTool(_ writes: Recorder, name: String = "write_file", approval: ToolApproval = .always) -> FunctionTool {
  FunctionTool(
    name: name, description: "Write a file",
    parameters: JSONSchema([
      "type": "object", "properties": ["path": ["type": "string"], "content": ["type": "string"]],
      "required": ["path"],
    ]),
    needsApproval: approval
  ) { arguments, _ in
    let path = arguments["path"]?.stringValue ?? ""
    writes.record(path)
    return "wrote \(path)"
  }
}

/// One call of `write_file` with `path`, as a scripted step.
func writeStep(_ path: String, id: String) -> ScriptedModel.Step {
  .toolCall("write_file", arguments: ["path": .string(path), "content": "x"], id: id)
}

@Suite struct ApprovalTests {
  @Test func aCallThatNeedsApprovalPausesTheRunWithoutRunningIt() async throws {
    let writes = Recorder()
    let (agent, model) = scriptedAgent(steps: [writeStep("notes.txt", id: "w1"), .text("Done.")], tools: [writeTool(writes)])
    let result = try await Runner().run(agent, input: "Write notes")
    #expect(result.isInterrupted)
    #expect(result.interruptions.map(\.call.id) == ["w1"])
    #expect(result.interruptions.first?.toolName == "write_file")
    #expect(result.interruptions.first?.agentName == "Assistant")
    #expect(result.interruptions.first?.call.arguments == #"{"path":"notes.txt","content":"x"}"#)
    #expect(writes.all.isEmpty)
    #expect(model.calls.count == 1)
    #expect(result.finalOutputText == "")
    #expect(result.turns == 1)
    let state = try #require(result.state)
    #expect(state.currentAgent === agent)
    #expect(state.undecided.count == 1)
    // Asking a paused run for a typed output says why there is none.
    let error = #expect(throws: AgentsError.self) { try result.finalOutput(as: Int.self) }
    #expect(error?.message.contains("wait for approval") == true)
  }

  @Test func anApprovedCallRunsWhenTheRunResumes() async throws {
    let writes = Recorder()
    let (agent, model) = scriptedAgent(
      steps: [writeStep("notes.txt", id: "w1"), .text("Done.", usage: Usage(requests: 1, inputTokens: 5, outputTokens: 2))],
      tools: [writeTool(writes)])
    let runner = Runner()
    var state = try #require(try await runner.run(agent, input: "Write notes").state)
    let recorded = state.approve(state.interruptions[0])
    #expect(recorded)
    #expect(state.decision(for: state.interruptions[0]) == .approved)
    let result = try await runner.run(state)
    #expect(!result.isInterrupted)
    #expect(result.text == "Done.")
    #expect(writes.all == ["notes.txt"])
    #expect(result.turns == 2)
    #expect(result.usage.requests == 2)
    #expect(result.usage.inputTokens == 5)
    #expect(model.calls[1].request.toolOutputs == ["wrote notes.txt"])
    #expect(result.newItems.map(\.kind) == [.toolCall, .toolOutput, .message])
    #expect(result.toolCallNames == ["write_file"])
  }

  @Test func aRejectedCallDoesNotRunAndTheModelReadsTheMessage() async throws {
    let writes = Recorder()
    let (agent, model) = scriptedAgent(
      steps: [writeStep("a.txt", id: "w1"), .text("OK, I did not write it."), writeStep("b.txt", id: "w2"), .text("Fine.")],
      tools: [writeTool(writes)])
    let runner = Runner()
    var state = try #require(try await runner.run(agent, input: "Write a").state)
    state.reject(state.interruptions[0], message: "Not that file.")
    #expect(try await runner.run(state).text == "OK, I did not write it.")
    #expect(model.calls[1].request.toolOutputs == ["Not that file."])

    var second = try #require(try await runner.run(agent, input: "Write b").state)
    second.reject(second.interruptions[0])
    #expect(try await runner.run(second).text == "Fine.")
    #expect(model.calls[3].request.toolOutputs == [ApprovalDecision.defaultRejectionMessage(for: "write_file")])
    #expect(writes.all.isEmpty)
  }

  @Test func alwaysApprovesLaterCallsOfTheSameToolInTheRun() async throws {
    let writes = Recorder()
    let (agent, model) = scriptedAgent(
      steps: [writeStep("a.txt", id: "w1"), writeStep("b.txt", id: "w2"), writeStep("c.txt", id: "w3"), .text("All written.")],
      tools: [writeTool(writes)])
    let runner = Runner()
    var state = try #require(try await runner.run(agent, input: "Write three").state)
    state.approve(state.interruptions[0], always: true)
    let result = try await runner.run(state)
    #expect(result.text == "All written.")
    #expect(writes.all == ["a.txt", "b.txt", "c.txt"])
    #expect(model.calls.count == 4)
  }

  @Test func alwaysRejectAnswersLaterCallsWithoutAsking() async throws {
    let writes = Recorder()
    let (agent, model) = scriptedAgent(
      steps: [writeStep("a.txt", id: "w1"), writeStep("b.txt", id: "w2"), .text("Gave up.")], tools: [writeTool(writes)])
    let runner = Runner()
    var state = try #require(try await runner.run(agent, input: "Write").state)
    state.reject(state.interruptions[0], message: "No writing today.", always: true)
    let result = try await runner.run(state)
    #expect(result.text == "Gave up.")
    #expect(writes.all.isEmpty)
    #expect(model.calls[2].request.toolOutputs == ["No writing today.", "No writing today."])
  }

  @Test func aRuleDecidesPerCallAndFailsClosedOnUnusableArguments() async throws {
    let writes = Recorder()
    let rule = ToolApproval.when { request in request.arguments["path"]?.stringValue?.hasSuffix(".env") ?? true }
    let (agent, _) = scriptedAgent(
      steps: [
        writeStep("notes.txt", id: "w1"), writeStep(".env", id: "w2"),
        .toolCalls([ToolCall(id: "w3", name: "write_file", arguments: "not json")]),
      ],
      tools: [writeTool(writes, approval: rule)])
    let runner = Runner()
    let first = try await runner.run(agent, input: "x")
    #expect(first.interruptions.map(\.call.id) == ["w2"])
    #expect(writes.all == ["notes.txt"])
    var state = try #require(first.state)
    state.approve(state.interruptions[0])
    let second = try await runner.run(state)
    #expect(second.interruptions.map(\.call.id) == ["w3"])
    #expect(writes.all == ["notes.txt", ".env"])
  }

  @Test func aThrowingRuleMeansTheCallNeedsApproval() async throws {
    struct Broken: Error {}
    let (agent, _) = scriptedAgent(
      steps: [writeStep("a", id: "w1")], tools: [writeTool(Recorder(), approval: .when { _ in throw Broken() })])
    #expect(try await Runner().run(agent, input: "x").interruptions.count == 1)
  }

  @Test func toolsWithoutApprovalRunAtOnceAndOnlyOnce() async throws {
    let writes = Recorder()
    let lookups = Recorder()
    let lookup = weatherTool(recordingCallsIn: lookups)
    let (agent, model) = scriptedAgent(
      steps: [
        .toolCalls([
          ToolCall(id: "c1", name: "get_weather", arguments: #"{"city":"Oslo"}"#),
          ToolCall(id: "c2", name: "write_file", arguments: #"{"path":"weather.txt"}"#),
        ]),
        .text("Saved."),
      ],
      tools: [lookup, writeTool(writes)])
    let runner = Runner()
    let paused = try await runner.run(agent, input: "Save the weather")
    #expect(lookups.all == ["Oslo"])
    #expect(paused.interruptions.map(\.call.id) == ["c2"])
    var state = try #require(paused.state)
    state.approve(state.interruptions[0])
    let result = try await runner.run(state)
    #expect(result.text == "Saved.")
    #expect(lookups.all == ["Oslo"])
    #expect(writes.all == ["weather.txt"])
    #expect(model.calls[1].request.toolOutputs == ["Sunny in Oslo", "wrote weather.txt"])
  }

  @Test func undecidedCallsPauseTheRunAgainAfterTheDecidedOnesRan() async throws {
    let writes = Recorder()
    let (agent, model) = scriptedAgent(
      steps: [
        .toolCalls([
          ToolCall(id: "w1", name: "write_file", arguments: #"{"path":"a"}"#),
          ToolCall(id: "w2", name: "write_file", arguments: #"{"path":"b"}"#),
        ]),
        .text("Both done."),
      ],
      tools: [writeTool(writes)])
    let runner = Runner()
    var state = try #require(try await runner.run(agent, input: "x").state)
    #expect(state.interruptions.map(\.call.id) == ["w1", "w2"])
    state.approve(state.interruptions[0])
    let again = try await runner.run(state)
    #expect(writes.all == ["a"])
    #expect(again.interruptions.map(\.call.id) == ["w2"])
    #expect(model.calls.count == 1)
    var second = try #require(again.state)
    second.approve(second.interruptions[0])
    #expect(try await runner.run(second).text == "Both done.")
    #expect(writes.all == ["a", "b"])
    #expect(model.calls[1].request.toolOutputs == ["wrote a", "wrote b"])
  }

  @Test func aRunPausedAfterAHandoffResumesInTheAgentItHandedOffTo() async throws {
    let writes = Recorder()
    let (writer, writerModel) = scriptedAgent("Writer", steps: [writeStep("x", id: "w1"), .text("Written.")], tools: [writeTool(writes)])
    let (triage, _) = scriptedAgent("Triage", steps: [.toolCall("transfer_to_writer", id: "h1")])
    triage.handoffs = [.to(writer)]
    let runner = Runner()
    var state = try #require(try await runner.run(triage, input: "Write x").state)
    #expect(state.currentAgent === writer)
    #expect(state.interruptions.first?.agentName == "Writer")
    state.approve(state.interruptions[0])
    let result = try await runner.run(state)
    #expect(result.lastAgent === writer)
    #expect(result.text == "Written.")
    #expect(writerModel.calls.count == 2)
  }

  @Test func aPausedRunLeavesTheSessionAsItWasAndTheResumedRunSavesItOnce() async throws {
    let session = InMemorySession(items: [.user("earlier"), .assistant("before")])
    let (agent, model) = scriptedAgent(steps: [writeStep("a", id: "w1"), .text("Done.")], tools: [writeTool(Recorder())])
    let runner = Runner()
    var state = try #require(try await runner.run(agent, input: "Write a", session: session).state)
    #expect(await session.items() == [.user("earlier"), .assistant("before")])
    state.approve(state.interruptions[0])
    _ = try await runner.run(state, session: session)
    let saved = await session.items()
    #expect(saved.count == 6)
    #expect(saved[2] == .user("Write a"))
    #expect(saved.last == .assistant("Done."))
    #expect(model.calls[1].request.input.first == .user("earlier"))
  }

  @Test func streamedRunsPauseAndResumeToo() async throws {
    let writes = Recorder()
    let (agent, _) = scriptedAgent(steps: [writeStep("a", id: "w1"), .text("Streamed done.")], tools: [writeTool(writes)])
    let runner = Runner()
    let paused = try await runner.runStreamed(agent, input: "x").result()
    var state = try #require(paused.state)
    state.approve(state.interruptions[0])
    var texts: [String] = []
    var finished: RunResult?
    for try await event in runner.runStreamed(state) {
      if case .textDelta(let text) = event { texts.append(text) }
      if case .finished(let result) = event { finished = result }
    }
    #expect(texts.joined() == "Streamed done.")
    #expect(finished?.text == "Streamed done.")
    #expect(writes.all == ["a"])
  }

  @Test func aRejectedCallsMessageIsStreamedAsItsOutput() async throws {
    let writes = Recorder()
    let (agent, _) = scriptedAgent(steps: [writeStep("a", id: "w1"), .text("Not written.")], tools: [writeTool(writes)])
    let runner = Runner()
    var state = try #require(try await runner.runStreamed(agent, input: "x").result().state)
    state.reject(state.interruptions[0], message: "Not that file.")
    var outputs: [String] = []
    for try await event in runner.runStreamed(state) {
      if case .toolOutput(let call, let output) = event { outputs.append("\(call.name): \(output)") }
    }
    #expect(outputs == ["write_file: Not that file."])
    #expect(writes.all.isEmpty)
  }

  @Test func thePreviewDescribesThePendingCall() async throws {
    let approval = ToolApproval.always.previewing { request in
      "would write \(request.arguments["path"]?.stringValue ?? "?") for \(request.agent.name)"
    }
    let (agent, _) = scriptedAgent(steps: [writeStep("a.txt", id: "w1")], tools: [writeTool(Recorder(), approval: approval)])
    let result = try await Runner().run(agent, input: "x")
    #expect(result.interruptions.first?.preview == "would write a.txt for Assistant")
  }

  @Test func providedToolsKeepTheirApprovalRuleWhenRenamed() async throws {
    struct Provider: ToolProvider {
      let name = "files"
      let tool: FunctionTool
      func tools(for agent: Agent, context: RunContext) async throws -> [any Tool] { [tool] }
    }
    let writes = Recorder()
    let (agent, _) = scriptedAgent(
      steps: [.toolCall("files_write_file", arguments: ["path": "p"], id: "w1")], tools: [writeTool(writes, approval: .never)])
    agent.toolProviders = [Provider(tool: writeTool(writes))]
    let result = try await Runner().run(agent, input: "x")
    #expect(result.interruptions.map(\.toolName) == ["files_write_file"])
    #expect(writes.all.isEmpty)
  }

  @Test func anAgentToolCanNeedApproval() async throws {
    let (inner, innerModel) = scriptedAgent("Researcher", steps: [.text("Found it.")])
    let (outer, _) = scriptedAgent(
      "Boss", steps: [.toolCall("researcher", arguments: ["input": "look"], id: "a1"), .text("The researcher found it.")],
      tools: [inner.asTool(needsApproval: .always)])
    let runner = Runner()
    var state = try #require(try await runner.run(outer, input: "x").state)
    #expect(state.interruptions.map(\.toolName) == ["researcher"])
    #expect(innerModel.calls.isEmpty)
    state.approve(state.interruptions[0])
    #expect(try await runner.run(state).text == "The researcher found it.")
    #expect(innerModel.calls.count == 1)
  }

  @Test func approvalsInsideAnAgentUsedAsAToolPauseTheOuterRun() async throws {
    let writes = Recorder()
    let (inner, innerModel) = scriptedAgent(
      "Writer", steps: [writeStep("inner.txt", id: "w1"), .text("Inner wrote it.")], tools: [writeTool(writes)])
    let (outer, outerModel) = scriptedAgent(
      "Boss", steps: [.toolCall("writer", arguments: ["input": "write"], id: "a1"), .text("All done.")],
      tools: [inner.asTool()])
    let runner = Runner()
    let paused = try await runner.run(outer, input: "Get it written")
    let item = try #require(paused.interruptions.first)
    #expect(item.agentName == "Writer")
    #expect(item.parentCallIDs == ["a1"])
    #expect(item.call.id == "w1")
    // Saved and restored in between, as another process would.
    let json = try #require(paused.state).jsonString()
    var state = try RunState(json: json, startingAgent: outer)
    let recorded = state.approve(item)
    #expect(recorded)
    #expect(state.decision(for: item) == .approved)
    let result = try await runner.run(state)
    #expect(result.text == "All done.")
    #expect(writes.all == ["inner.txt"])
    #expect(innerModel.calls.count == 2)
    #expect(outerModel.calls[1].request.toolOutputs == ["Inner wrote it."])
  }

  @Test func approvingAnItemOfAnotherRunIsIgnored() async throws {
    let (agent, _) = scriptedAgent(steps: [writeStep("a", id: "w1")], tools: [writeTool(Recorder())])
    var state = try #require(try await Runner().run(agent, input: "x").state)
    let stranger = ToolApprovalItem(call: ToolCall(id: "other", name: "write_file", arguments: "{}"), agentName: "Assistant")
    let recorded = state.approve(stranger)
    #expect(!recorded)
    #expect(state.undecided.count == 1)
  }

  @Test func stopOnFirstToolUsesTheApprovedToolsOutput() async throws {
    let writes = Recorder()
    let (agent, model) = scriptedAgent(steps: [writeStep("a", id: "w1")], tools: [writeTool(writes)])
    agent.toolUseBehavior = .stopOnFirstTool
    let runner = Runner()
    var state = try #require(try await runner.run(agent, input: "x").state)
    state.approve(state.interruptions[0])
    #expect(try await runner.run(state).text == "wrote a")
    #expect(model.calls.count == 1)
  }
}
