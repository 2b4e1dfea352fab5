@testable import Agents
import AgentsTesting
import Testing

@Suite struct RunStateTests {
  /// A run of a writer agent paused at `write_file("notes.txt")`, and a fresh agent of the same name to restore
  /// it with (as another process would build one).
  private func pausedRun(key: RunStateKey? = nil) async throws -> (json: String, fresh: Agent, freshModel: ScriptedModel) {
    let (agent, _) = scriptedAgent("Writer", steps: [writeStep("notes.txt", id: "w1")], tools: [writeTool(Recorder())])
    let paused = try await Runner().run(agent, input: "Write my notes")
    var state = try #require(paused.state)
    state.metadata["agent_id"] = "writer"
    let json = try state.jsonString(key: key)
    let writes = Recorder()
    let (fresh, freshModel) = scriptedAgent("Writer", steps: [.text("Notes written.")], tools: [writeTool(writes)])
    return (json, fresh, freshModel)
  }

  private func expectInvalid(
    _ json: String, agent: Agent, key: RunStateKey? = nil, mentioning phrase: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let error = #expect(throws: AgentsError.self, sourceLocation: sourceLocation) {
      _ = try RunState(json: json, startingAgent: agent, key: key)
    }
    #expect(error?.code == .invalidRunState, sourceLocation: sourceLocation)
    #expect(error?.message.contains(phrase) == true, "\(error?.message ?? "")", sourceLocation: sourceLocation)
  }

  @Test func aSavedStateResumesWithAFreshAgentAndModel() async throws {
    let (json, fresh, freshModel) = try await pausedRun()
    #expect(json.hasPrefix(#"{"$schemaVersion":2,"integrity":"sha256:"#))
    var state = try RunState(json: json, startingAgent: fresh)
    #expect(state.metadata == ["agent_id": "writer"])
    #expect(state.turns == 1)
    #expect(state.input == [.user("Write my notes")])
    #expect(state.interruptions.map(\.call.arguments) == [#"{"path":"notes.txt","content":"x"}"#])
    state.approve(state.interruptions[0])
    let result = try await Runner().run(state)
    #expect(result.text == "Notes written.")
    #expect(result.turns == 2)
    #expect(result.modelCalls.count == 2)
    #expect(result.rawResponses.first?.toolCalls.first?.name == "write_file")
    #expect(freshModel.calls[0].request.input == [
      .user("Write my notes"),
      .toolCall(ToolCall(id: "w1", name: "write_file", arguments: #"{"path":"notes.txt","content":"x"}"#)),
      .toolOutput(ToolCallOutput(callID: "w1", output: "wrote notes.txt")),
    ])
  }

  @Test func decisionsAndAlwaysSurviveSaving() async throws {
    let (agent, _) = scriptedAgent("Writer", steps: [writeStep("a", id: "w1")], tools: [writeTool(Recorder())])
    var state = try #require(try await Runner().run(agent, input: "x").state)
    state.reject(state.interruptions[0], message: "Use b instead.", always: true)
    let restored = try RunState(json: try state.jsonString(), startingAgent: agent)
    #expect(restored.decision(for: restored.interruptions[0]) == .rejected(message: "Use b instead."))
    #expect(restored.snapshot.decisions.byTool["write_file"] == .rejected(message: "Use b instead."))
    #expect(restored.snapshot == state.snapshot)
  }

  @Test func aChangedStateIsRefused() async throws {
    let (json, fresh, _) = try await pausedRun()
    let tampered = json.replacing("notes.txt", with: ".bashrc")
    #expect(tampered != json)
    expectInvalid(tampered, agent: fresh, mentioning: "changed after it was saved")
  }

  @Test func aSignedStateNeedsItsKey() async throws {
    let key = RunStateKey.random()
    let (json, fresh, _) = try await pausedRun(key: key)
    #expect(json.contains(#""integrity":"hmac-sha256:"#))
    #expect(try RunState(json: json, startingAgent: fresh, key: key).interruptions.count == 1)
    expectInvalid(json, agent: fresh, key: .random(), mentioning: "signed with another key")
    expectInvalid(json, agent: fresh, mentioning: "no key was given")
    // Recomputing the plain digest after an edit does not help without the key.
    let (unsigned, _, _) = try await pausedRun()
    expectInvalid(unsigned, agent: fresh, key: key, mentioning: "not signed with a key")
    let tampered = json.replacing("notes.txt", with: ".bashrc")
    expectInvalid(tampered, agent: fresh, key: key, mentioning: "changed after it was saved")
  }

  @Test func otherSchemaVersionsAreRefusedWithTheVersionNamed() async throws {
    let (json, fresh, _) = try await pausedRun()
    let old = json.replacing(#""$schemaVersion":2"#, with: #""$schemaVersion":0"#)
    expectInvalid(old, agent: fresh, mentioning: "an older version of the Agents SDK (schema version 0")
    let new = json.replacing(#""$schemaVersion":2"#, with: #""$schemaVersion":7"#)
    expectInvalid(new, agent: fresh, mentioning: "a newer version")
  }

  @Test func textThatIsNotARunStateIsRefused() async throws {
    let agent = Agent(name: "Writer")
    expectInvalid("", agent: agent, mentioning: "is not a saved run state")
    expectInvalid("{\"hello\": 1}", agent: agent, mentioning: "has no $schemaVersion")
    expectInvalid(#"{"$schemaVersion":1,"state":[]}"#, agent: agent, mentioning: "is incomplete")
    let empty = #"{"$schemaVersion":1,"integrity":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","state":{}}"#
    expectInvalid(empty, agent: agent, mentioning: "incomplete or damaged")
  }

  @Test func aStateIsRestoredOnlyForTheAgentItWasSavedFor() async throws {
    let (json, _, _) = try await pausedRun()
    expectInvalid(json, agent: Agent(name: "Someone else"), mentioning: "saved for a run of agent 'Writer'")
  }

  @Test func theCurrentAgentIsFoundThroughHandoffs() async throws {
    let (writer, _) = scriptedAgent("Writer", steps: [writeStep("x", id: "w1")], tools: [writeTool(Recorder())])
    let (triage, _) = scriptedAgent("Triage", steps: [.toolCall("transfer_to_writer", id: "h1")])
    triage.handoffs = [.to(writer)]
    let json = try #require(try await Runner().run(triage, input: "x").state).jsonString()
    let freshWriter = Agent(name: "Writer")
    let freshTriage = Agent(name: "Triage", handoffs: [.to(freshWriter)])
    #expect(try RunState(json: json, startingAgent: freshTriage).currentAgent === freshWriter)
    expectInvalid(json, agent: Agent(name: "Triage"), mentioning: "cannot reach through its handoffs")
  }

  @Test func aToolThatIsGoneWhenTheRunResumesIsReportedToTheModel() async throws {
    let (json, _, _) = try await pausedRun()
    let (bare, model) = scriptedAgent("Writer", steps: [.text("Cannot write any more.")])
    var state = try RunState(json: json, startingAgent: bare)
    state.approve(state.interruptions[0])
    #expect(try await Runner().run(state).text == "Cannot write any more.")
    #expect(model.calls[0].request.toolOutputs.first?.hasPrefix("Tool 'write_file' not found.") == true)
  }

  @Test func keysAreCheckedAndNeverPrinted() throws {
    #expect(throws: AgentsError.self) { try RunStateKey(bytes: [1, 2, 3]) }
    let key = try RunStateKey(bytes: Array(repeating: 7, count: 32))
    #expect("\(key)" == "RunStateKey(32 bytes)")
    #expect(RunStateKey.random() != RunStateKey.random())
  }
}

@Suite struct RunStateIntegrityTests {
  @Test func digestsAndSignaturesMatchTheStandardVectors() throws {
    #expect(
      RunStateIntegrity.of(Array("abc".utf8), key: nil)
        == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    let key = try RunStateKey(bytes: [UInt8](repeating: 0x0B, count: 20))  // RFC 4231 test case 1
    let signature = RunStateIntegrity.of(Array("Hi There".utf8), key: key)
    #expect(signature == "hmac-sha256:b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    #expect(RunStateIntegrity.matches(signature, Array("Hi There".utf8), key: key))
    #expect(!RunStateIntegrity.matches(signature, Array("Hi there".utf8), key: key))
    #expect(!RunStateIntegrity.matches(String(signature.dropLast()) + "0", Array("Hi There".utf8), key: key))
  }
}
