@testable import Agents
import AgentsTesting
import Testing

/// Trimming history to the model's context length.
@Suite struct ContextWindowTests {
  /// A message of about `tokens` estimated tokens (4 of them framing).
  static func text(tokens: Int, _ tag: String) -> String {
    tag + String(repeating: "x", count: max(0, (tokens - ContextWindow.tokensPerMessage) * 4 - tag.utf8.count))
  }

  /// Fits `items` into `context` tokens with `maxTokens` kept for the answer.
  static func fit(_ items: [Item], system: String? = nil, context: Int?, maxTokens: Int? = 100) throws(AgentsError)
    -> (items: [Item], trimming: ContextTrimming?)
  {
    try ContextWindow.fit(systemPrompt: system, items: items, tools: [], contextLength: context, maxTokens: maxTokens)
  }

  @Test func theEstimateCountsFourBytesPerTokenPlusFramingPerMessage() {
    #expect(ContextWindow.estimatedTokens(of: "") == 0)
    #expect(ContextWindow.estimatedTokens(of: "abcd") == 1)
    #expect(ContextWindow.estimatedTokens(of: "abcde") == 2)
    #expect(ContextWindow.estimatedTokens(of: .user("abcdefgh")) == 6)
    #expect(ContextWindow.answerReserve(maxTokens: nil, contextLength: 4096) == 512)
    #expect(ContextWindow.answerReserve(maxTokens: 8000, contextLength: 4096) == 2048)
  }

  /// The estimates of calls, outputs and tools count their parts' bytes without joining them: the same numbers as
  /// the joined text (and the schema's compact JSON) gives.
  @Test func callOutputAndToolEstimatesAreThoseOfTheirJoinedText() {
    let call = ToolCall(id: "call_1", name: "calculator", arguments: #"{"expression":"17 * 23 — ü"}"#)
    #expect(
      ContextWindow.estimatedTokens(of: .toolCall(call))
        == ContextWindow.tokensPerMessage + ContextWindow.estimatedTokens(of: call.id + call.name + call.arguments))
    let output = ToolCallOutput(callID: "call_1", output: "17 * 23 = 391 ✓")
    #expect(
      ContextWindow.estimatedTokens(of: .toolOutput(output))
        == ContextWindow.tokensPerMessage + ContextWindow.estimatedTokens(of: output.callID + output.output))
    let tool = ToolDefinition(
      name: "calculator", description: "Evaluates “arithmetic”.",
      parameters: JSONSchema(["type": "object", "required": ["expression"]]))
    #expect(
      ContextWindow.estimatedTokens(of: tool)
        == ContextWindow.tokensPerMessage
        + ContextWindow.estimatedTokens(of: tool.name + tool.description + tool.parameters.description))
  }

  @Test func withoutAContextLengthNothingIsTrimmed() throws {
    let items: [Item] = (0..<50).map { .user(Self.text(tokens: 1000, "m\($0)")) }
    let (kept, trimming) = try Self.fit(items, system: "s", context: nil)
    #expect(kept == items)
    #expect(trimming == nil)
  }

  @Test func historyIsDroppedOldestFirstKeepingTheLatestUserMessage() throws {
    let items: [Item] = [
      .user(Self.text(tokens: 100, "u1")), .assistant(Self.text(tokens: 100, "a1")),
      .user(Self.text(tokens: 100, "u2")), .assistant(Self.text(tokens: 100, "a2")),
      .user(Self.text(tokens: 100, "u3")),
    ]
    // 256 context: 100 reserved for the answer, ~5 for the system prompt, room for one 100-token message.
    let (kept, trimming) = try Self.fit(items, system: "Be brief.", context: 256)
    #expect(kept == [items[4]])
    #expect(trimming?.droppedItems == 4)
    #expect(trimming?.keptItems == 1)
    #expect(trimming?.contextLength == 256)

    let (roomier, _) = try Self.fit(items, system: "Be brief.", context: 420)
    #expect(roomier == Array(items.suffix(3)), "only as much as needed goes, oldest first")
  }

  @Test func toolCallsAndTheirOutputsGoTogether() throws {
    let call = ToolCall(id: "c1", name: "get_weather", arguments: #"{"city":"Oslo"}"#)
    let items: [Item] = [
      .user(Self.text(tokens: 60, "u1")),
      .assistant("Let me check."), .toolCall(call), .toolOutput(ToolCallOutput(callID: "c1", output: Self.text(tokens: 80, "o"))),
      .assistant(Self.text(tokens: 20, "a1")),
      .user(Self.text(tokens: 60, "u2")),
    ]
    let (kept, trimming) = try Self.fit(items, context: 260, maxTokens: 110)
    #expect(trimming?.droppedItems == 4)
    #expect(kept == [items[4], items[5]])
    // Every kept tool output still follows its call.
    let keptCalls = Set(kept.compactMap { if case .toolCall(let call) = $0 { call.id } else { nil } })
    let keptOutputs = Set(kept.compactMap { if case .toolOutput(let output) = $0 { output.callID } else { nil } })
    #expect(keptOutputs.isSubset(of: keptCalls))
  }

  @Test func systemMessagesInTheHistoryAreNeverDropped() throws {
    let items: [Item] = [
      .system("House rules."), .user(Self.text(tokens: 100, "u1")), .assistant(Self.text(tokens: 100, "a1")),
      .user(Self.text(tokens: 60, "u2")),
    ]
    let (kept, _) = try Self.fit(items, context: 256)
    #expect(kept == [items[0], items[3]])
  }

  @Test func theCurrentTurnsToolWorkIsTrimmedLastAndTheLatestExchangeStays() throws {
    let first = ToolCall(id: "c1", name: "search", arguments: "{}")
    let second = ToolCall(id: "c2", name: "search", arguments: "{}")
    let items: [Item] = [
      .user(Self.text(tokens: 40, "old")), .assistant(Self.text(tokens: 40, "old-answer")),
      .user(Self.text(tokens: 40, "question")),
      .toolCall(first), .toolOutput(ToolCallOutput(callID: "c1", output: Self.text(tokens: 80, "r1"))),
      .toolCall(second), .toolOutput(ToolCallOutput(callID: "c2", output: Self.text(tokens: 80, "r2"))),
    ]
    let (kept, trimming) = try Self.fit(items, context: 256)
    #expect(kept == [items[2], items[5], items[6]])
    #expect(trimming?.droppedItems == 4)
  }

  @Test func whenTheLatestMessageCannotFitTheErrorSaysSoBeforeAnyRequest() async throws {
    let items: [Item] = [.user(Self.text(tokens: 400, "huge"))]
    let error = #expect(throws: AgentsError.self) {
      _ = try Self.fit(items, system: "Rules.", context: 256)
    }
    #expect(error?.code == .contextLengthExceeded)
    #expect(error?.message.contains("256 tokens") == true)

    let (agent, model) = scriptedAgent(steps: [.text("never")])
    agent.contextLength = 256
    agent.modelSettings.maxTokens = 100
    await #expect { try await Runner().run(agent, input: Self.text(tokens: 400, "huge")) } throws: { error in
      (error as? AgentsError)?.code == .contextLengthExceeded
    }
    #expect(model.calls.isEmpty)
  }

  @Test func theRunTrimsTheRequestReportsItAndKeepsTheFullHistory() async throws {
    let (agent, model) = scriptedAgent(steps: [.text("Fine.")])
    agent.contextLength = 300
    agent.modelSettings.maxTokens = 100
    let history: [Item] = [
      .user(Self.text(tokens: 100, "u1")), .assistant(Self.text(tokens: 100, "a1")),
      .user(Self.text(tokens: 100, "u2")), .assistant(Self.text(tokens: 100, "a2")),
    ]
    var trimmed: [ContextTrimming] = []
    var result: RunResult?
    for try await event in Runner().runStreamed(agent, input: history + [.user("And now?")]) {
      if case .contextTrimmed(let trimming) = event { trimmed.append(trimming) }
      if case .finished(let value) = event { result = value }
    }
    let sent = try #require(model.calls.first).request.input
    #expect(sent.last == .user("And now?"))
    #expect(sent.count < history.count + 1)
    #expect(trimmed.count == 1)
    #expect(trimmed.first?.droppedItems == history.count + 1 - sent.count)
    let final = try #require(result)
    #expect(final.contextTrimming == trimmed.first)
    #expect(final.history.count == history.count + 2, "the stored history is never trimmed")
  }

  @Test func anInvalidContextLengthIsNamedBeforeAnyRequest() async throws {
    let (agent, model) = scriptedAgent(steps: [.text("never")])
    agent.contextLength = 10
    let error = await #expect(throws: AgentsError.self) { try await Runner().run(agent, input: "hi") }
    #expect(error?.code == .userError)
    #expect(error?.message.contains("contextLength is 10, but it must be between 256 and 10000000") == true)
    #expect(model.calls.isEmpty)
  }

  @Test func aRunThatFitsReportsNoTrimming() async throws {
    let (agent, _) = scriptedAgent(steps: [.text("Hi.")])
    agent.contextLength = 8192
    let result = try await Runner().run(agent, input: "Hello")
    #expect(result.contextTrimming == nil)
  }
}
