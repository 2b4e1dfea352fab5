/// Everything a paused run needs to continue, as plain data: what ``RunState`` saves and restores.
///
/// Agents are named, not stored: restoring looks them up from the run's starting agent (see
/// ``RunState/init(json:startingAgent:key:)``).
struct RunSnapshot: Sendable, Hashable, Codable {
  var startingAgent: String
  var currentAgent: String
  var originalInput: [Item]
  var generatedItems: [RunItem]
  var rawResponses: [SavedResponse]
  var modelCalls: [SavedModelCall]
  var usage: Usage
  var turn: Int
  var maxTurns: Int?
  /// Names of the agents that have used a tool (for `resetToolChoice`).
  var toolUsers: [String]
  var correctionsUsed: Int
  var recoveredCallCount: Int
  /// The new input and generated items not yet saved to the run's session.
  var unsavedSessionItems: [Item]
  var inputGuardrailResults: [SavedGuardrailResult]
  var decisions: ApprovalDecisions
  /// The turn whose tool calls wait for approvals.
  var pausedTurn: PausedTurn
  /// Application data saved with the state (see ``RunState/metadata``).
  var metadata: [String: String]
  /// The run loop's small-model counters; absent in states of schema version 1.
  var smallModel: SavedSmallModelState? = nil
}

/// A model response whose tool calls have not all run: what it added to the run, and how far its calls got.
struct PausedTurn: Sendable, Hashable, Codable {
  /// The agent whose model made the calls.
  var agent: String
  /// The response's items (reasoning, text, calls), without outputs.
  var items: [RunItem]
  /// Every call of the response, in order.
  var calls: [SavedCall]
  /// Ids of the calls that are handoffs (the others are function tools, or unknown tools with an output).
  var handoffCallIDs: [String]
  /// Outputs known so far, by call id: tools that ran, rejected calls, unknown tools.
  var outputs: [String: String]
  /// The function tools that ran, in call order.
  var results: [SavedToolResult]
  /// Calls of this agent's tools that wait for a decision.
  var pending: [ToolApprovalItem]
  /// Runs of agents used as tools that paused inside a call, by that call's id.
  var nestedRuns: [String: RunSnapshot]
}

extension RunSnapshot {
  /// The calls waiting for a decision, nested ones included (with the path of calls that leads to them).
  var interruptions: [ToolApprovalItem] {
    var items = pausedTurn.pending
    for call in pausedTurn.calls {
      guard let nested = pausedTurn.nestedRuns[call.id] else { continue }
      items += nested.interruptions.map { item in
        var item = item
        item.parentCallIDs.insert(call.id, at: 0)
        return item
      }
    }
    return items
  }

  /// Records `decision` for `item`, in this run or in the nested run its path leads to.
  ///
  /// - Returns: whether the item belongs to this run.
  @discardableResult
  mutating func record(_ decision: ApprovalDecision, for item: ToolApprovalItem, always: Bool) -> Bool {
    guard let parent = item.parentCallIDs.first else {
      guard pausedTurn.pending.contains(where: { $0.call.id == item.call.id }) else { return false }
      decisions.record(decision, for: item.call, always: always)
      return true
    }
    guard var nested = pausedTurn.nestedRuns[parent] else { return false }
    var inner = item
    inner.parentCallIDs.removeFirst()
    guard nested.record(decision, for: inner, always: always) else { return false }
    pausedTurn.nestedRuns[parent] = nested
    return true
  }

  /// The decision recorded for `item`, if any.
  func decision(for item: ToolApprovalItem) -> ApprovalDecision? {
    guard let parent = item.parentCallIDs.first else { return decisions.decision(for: item.call) }
    var inner = item
    inner.parentCallIDs.removeFirst()
    return pausedTurn.nestedRuns[parent]?.decision(for: inner)
  }
}

/// A ``ToolCall`` as saved.
struct SavedCall: Sendable, Hashable, Codable {
  var id: String
  var name: String
  var arguments: String

  init(_ call: ToolCall) {
    (id, name, arguments) = (call.id, call.name, call.arguments)
  }

  var call: ToolCall { ToolCall(id: id, name: name, arguments: arguments) }
}

/// A ``ToolResult`` as saved.
struct SavedToolResult: Sendable, Hashable, Codable {
  var call: SavedCall
  var output: String
  var failed: Bool

  init(_ result: ToolResult) {
    (call, output, failed) = (SavedCall(result.call), result.output, result.failed)
  }

  var result: ToolResult { ToolResult(call: call.call, output: output, failed: failed) }
}

/// A ``ModelResponse`` as saved.
struct SavedResponse: Sendable, Hashable, Codable {
  var text: String?
  var reasoning: String?
  var toolCalls: [SavedCall]
  var usage: Usage?
  var responseID: String?
  var finishReason: String?
  var refusal: String?
  var servedFromCache: Bool

  init(_ response: ModelResponse) {
    text = response.text
    reasoning = response.reasoning
    toolCalls = response.toolCalls.map(SavedCall.init)
    usage = response.usage
    responseID = response.responseID
    finishReason = response.finishReason
    refusal = response.refusal
    servedFromCache = response.servedFromCache
  }

  var response: ModelResponse {
    ModelResponse(
      text: text, reasoning: reasoning, toolCalls: toolCalls.map(\.call), usage: usage, responseID: responseID,
      finishReason: finishReason, refusal: refusal, servedFromCache: servedFromCache)
  }
}

/// A ``ModelCallRecord`` as saved; durations in nanoseconds.
struct SavedModelCall: Sendable, Hashable, Codable {
  var agentName: String
  var modelName: String
  var streamed: Bool
  var latencyNanoseconds: Int64
  var timeToFirstTokenNanoseconds: Int64
  var usage: Usage

  init(_ record: ModelCallRecord) {
    agentName = record.agentName
    modelName = record.modelName
    streamed = record.streamed
    latencyNanoseconds = Self.nanoseconds(record.latency)
    timeToFirstTokenNanoseconds = Self.nanoseconds(record.timeToFirstToken)
    usage = record.usage
  }

  var record: ModelCallRecord {
    ModelCallRecord(
      agentName: agentName, modelName: modelName, streamed: streamed, latency: .nanoseconds(latencyNanoseconds),
      timeToFirstToken: .nanoseconds(timeToFirstTokenNanoseconds), usage: usage)
  }

  private static func nanoseconds(_ duration: Duration) -> Int64 {
    let parts = duration.components
    return parts.seconds &* 1_000_000_000 &+ parts.attoseconds / 1_000_000_000
  }
}

/// A run guardrail's verdict as saved: its details become text.
struct SavedGuardrailResult: Sendable, Hashable, Codable {
  var guardrailName: String
  var agentName: String
  var tripwireTriggered: Bool
  var outputInfo: String?

  init(_ result: GuardrailResult) {
    guardrailName = result.guardrailName
    agentName = result.agentName
    tripwireTriggered = result.output.tripwireTriggered
    outputInfo = result.output.outputInfo.map { String(describing: $0) }
  }

  var result: GuardrailResult {
    GuardrailResult(
      guardrailName: guardrailName, agentName: agentName,
      output: GuardrailOutput(tripwireTriggered: tripwireTriggered, outputInfo: outputInfo))
  }
}
