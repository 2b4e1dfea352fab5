@testable import Agents
import AgentsTesting
import Testing

/// The small-model counters in a saved ``RunState`` (schema version 2): a resumed run answers repeats from the
/// calls that ran before the pause, keeps counting turns without progress, keeps its strategy, and still reports
/// the trimming and overflow retries of before; states of version 1 still load.
@Suite struct RunStateSmallModelTests {
  /// A lookup tool that records each word it looked up.
  func lookupTool(_ lookups: Recorder) -> FunctionTool {
    FunctionTool(
      name: "lookup", description: "Look up a word",
      parameters: JSONSchema(["type": "object", "properties": ["word": ["type": "string"]], "required": ["word"]])
    ) { arguments, _ in
      lookups.record(arguments["word"]?.stringValue ?? "")
      return "a fruit"
    }
  }

  func lookupStep(_ id: String) -> ScriptedModel.Step {
    .toolCall("lookup", arguments: ["word": "apple"], id: id)
  }

  @Test func aResumedRunKeepsItsCallHistoryStrategyAndStalledTurns() async throws {
    let (lookups, writes) = (Recorder(), Recorder())
    let steps = [
      lookupStep("l1"), writeStep("notes.txt", id: "w1"), lookupStep("l2"), lookupStep("l3"), .text("never"),
    ]
    let (agent, model) = scriptedAgent("Writer", steps: steps, tools: [lookupTool(lookups), writeTool(writes)])
    let runner = Runner(configuration: .init(toolCalling: .constrained))
    let paused = try await runner.run(agent, input: "What is an apple? Then write notes.")
    var state = try RunState(json: try #require(paused.state).jsonString(), startingAgent: agent)
    state.approve(state.interruptions[0])

    let error = await #expect(throws: AgentsError.self) { _ = try await runner.run(state) }
    // The repeats after the pause were answered from the lookup that ran before it, and two of them in a row
    // stopped the run (without the saved history the first repeat would have run the tool again).
    #expect(error?.code == .noProgress)
    #expect(lookups.all == ["apple"])
    #expect(writes.all == ["notes.txt"])
    #expect(model.calls.count == 4)
    // The constrained strategy's nudge after tool results also follows the resumed turn.
    #expect(model.calls[2].request.input.last == .user(ConstrainedSteps.answerWithResults))
  }

  @Test func everyCounterSurvivesSaving() async throws {
    let (agent, _) = scriptedAgent("Writer", steps: [writeStep("a", id: "w1")], tools: [writeTool(Recorder())])
    var state = try #require(try await Runner().run(agent, input: "x").state)
    let trimming = ContextTrimming(droppedItems: 3, keptItems: 5, estimatedTokens: 1900, contextLength: 2048)
    state.snapshot.smallModel = SavedSmallModelState(
      stalledTurns: 1, strategy: ToolCallingStrategy.constrained.rawValue, lastRoutedTranscriptCount: 4,
      callHistory: [SavedPastCall(name: "lookup", arguments: #"{"word":"apple"}"#, output: "a fruit", failed: false)],
      answerTokenCap: 512,
      lastTruncation: SavedTruncation(
        ResponseTruncation(
          reason: .repetition(.init(block: "la la", repeats: 9, keptText: "la la")), maxTokens: 256, outputTokens: 200)),
      lastTrimming: SavedTrimming(trimming), largestTrimming: SavedTrimming(trimming),
      overflowRetries: [
        SavedOverflowRetry(
          ContextOverflowRetry(serverMessage: "too long", promptTokens: 2100, contextLength: 2048, trimming: trimming))
      ])
    let restored = try RunState(json: try state.jsonString(), startingAgent: agent)
    #expect(restored.snapshot == state.snapshot)
    let saved = try #require(restored.snapshot.smallModel)
    #expect(
      saved.lastTruncation?.truncation.description
        == #"the answer repeated "la la" 9 times, so it was stopped after the first"#)
    #expect(saved.overflowRetries.first?.retry.trimming == trimming)
  }

  @Test func aResumedRunStillReportsTheOverflowRetriesOfBeforeThePause() async throws {
    let (agent, _) = scriptedAgent(
      "Writer", steps: [writeStep("a", id: "w1"), .text("Done.")], tools: [writeTool(Recorder())])
    var state = try #require(try await Runner().run(agent, input: "x").state)
    let retry = ContextOverflowRetry(serverMessage: "too long", promptTokens: 2100, contextLength: 2048, trimming: nil)
    state.snapshot.smallModel?.overflowRetries = [SavedOverflowRetry(retry)]
    var restored = try RunState(json: try state.jsonString(), startingAgent: agent)
    restored.approve(restored.interruptions[0])
    let result = try await Runner().run(restored)
    #expect(result.text == "Done.")
    #expect(result.contextOverflowRetries == [retry])
  }

  @Test func aStateOfSchemaVersion1StillResumes() async throws {
    let writes = Recorder()
    let (agent, _) = scriptedAgent(
      "Writer", steps: [writeStep("a", id: "w1"), .text("Done.")], tools: [writeTool(writes)])
    let json = try #require(try await Runner().run(agent, input: "x").state).jsonString()
    #expect(json.hasPrefix(#"{"$schemaVersion":2,"#))
    // The same state as version 1 wrote it: no small-model counters, and its own digest.
    guard case .object(var envelope) = try JSONValue.parse(json), case .object(var state)? = envelope["state"] else {
      Issue.record("not a saved state: \(json)")
      return
    }
    state["smallModel"] = nil
    envelope["state"] = .object(state)
    envelope["$schemaVersion"] = .int(1)
    envelope["integrity"] = .string(RunStateIntegrity.of(JSONValue.object(state).jsonBytes, key: nil))
    var old = try RunState(json: JSONValue.object(envelope).jsonString, startingAgent: agent)
    #expect(old.snapshot.smallModel == nil)
    old.approve(old.interruptions[0])
    #expect(try await Runner().run(old).text == "Done.")
    #expect(writes.all == ["a"])
  }
}
