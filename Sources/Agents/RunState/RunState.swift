/// The complete state of a run that paused because tool calls wait for approval: decide on each pending call,
/// then continue the run with ``Runner/run(_:context:session:hooks:)``, in this process or another one.
///
/// ```swift
/// var result = try await runner.run(agent, input: "Delete the old logs")
/// while var state = result.state {
///   for item in state.interruptions {
///     if await askPerson(item) { state.approve(item) } else { state.reject(item, message: "Not now.") }
///   }
///   result = try await runner.run(state)
/// }
/// print(result.finalOutput)
/// ```
///
/// A state holds the run's input, everything it generated, its usage, turn count and current agent (after
/// handoffs), the pending calls and the decisions made so far. It is saved as JSON with a schema version and an
/// integrity check (``jsonString(key:)``) and restored with ``init(json:startingAgent:key:)``; a state saved by
/// another schema version, or changed after it was saved, is refused with ``AgentsError/Code/invalidRunState``.
///
/// The run's `context` value and its session are not saved: pass them again when resuming. A decision applies
/// to one call; with `always: true` it also applies to every later call of the same tool in this run.
public struct RunState: Sendable {
  /// The version of the JSON layout that ``jsonString(key:)`` writes (2: with the small-model counters).
  public static let schemaVersion = 2
  /// The versions ``init(json:startingAgent:key:)`` reads: this one and version 1 (whose runs resume with their
  /// small-model counters reset).
  public static let readableSchemaVersions = 1...schemaVersion

  var snapshot: RunSnapshot
  /// The agent the run started with (the one to pass when restoring).
  public let startingAgent: Agent
  /// The agent that was running when the run paused (after any handoffs).
  public let currentAgent: Agent
  /// The calls the run paused for, in call order (nested agents-as-tools' calls included).
  public let interruptions: [ToolApprovalItem]

  /// Creates a state for `snapshot`, finding its agents from `startingAgent`.
  init(snapshot: RunSnapshot, startingAgent: Agent) throws {
    guard snapshot.startingAgent == startingAgent.name else {
      throw AgentsError(
        .invalidRunState, "The run state was saved for a run of agent '\(snapshot.startingAgent)', but it is being "
          + "resumed with agent '\(startingAgent.name)'. Resume it with the agent the run started with.")
    }
    guard let current = Self.reachableAgents(from: startingAgent).first(where: { $0.name == snapshot.currentAgent })
    else {
      throw AgentsError(
        .invalidRunState, "The run state was paused in agent '\(snapshot.currentAgent)', which agent "
          + "'\(startingAgent.name)' cannot reach through its handoffs any more. Restore the handoff, or start the run again.")
    }
    self.snapshot = snapshot
    self.startingAgent = startingAgent
    self.currentAgent = current
    self.interruptions = snapshot.interruptions
  }

  /// Application data saved (and integrity-checked) with the state, e.g. which of your agents to restore it with.
  public var metadata: [String: String] {
    get { snapshot.metadata }
    set { snapshot.metadata = newValue }
  }

  /// Usage summed over the model calls made so far.
  public var usage: Usage { snapshot.usage }
  /// The number of model calls made so far.
  public var turns: Int { snapshot.turn }
  /// The input the run started from (session history plus the new input).
  public var input: [Item] { snapshot.originalInput }
  /// Everything the run generated before the turn that paused.
  public var newItems: [RunItem] { snapshot.generatedItems }

  /// Approves a pending call; with `always`, every later call of the same tool in this run is approved too.
  ///
  /// - Returns: whether `item` is one of this state's pending calls (other items are ignored).
  @discardableResult
  public mutating func approve(_ item: ToolApprovalItem, always: Bool = false) -> Bool {
    snapshot.record(.approved, for: item, always: always)
  }

  /// Rejects a pending call: it does not run, and the model reads `message` (or
  /// ``ApprovalDecision/defaultRejectionMessage(for:)``) as its output; with `always`, every later call of the
  /// same tool in this run is rejected too.
  ///
  /// - Returns: whether `item` is one of this state's pending calls (other items are ignored).
  @discardableResult
  public mutating func reject(_ item: ToolApprovalItem, message: String? = nil, always: Bool = false) -> Bool {
    snapshot.record(.rejected(message: message), for: item, always: always)
  }

  /// The decision made so far for `item`, or `nil`.
  public func decision(for item: ToolApprovalItem) -> ApprovalDecision? {
    snapshot.decision(for: item)
  }

  /// The calls that still wait for a decision.
  public var undecided: [ToolApprovalItem] {
    interruptions.filter { decision(for: $0) == nil }
  }

  /// `agent` and every agent reachable from it through handoffs, each once, breadth first.
  static func reachableAgents(from agent: Agent) -> [Agent] {
    var found = [agent]
    var seen: Set<ObjectIdentifier> = [ObjectIdentifier(agent)]
    var index = 0
    while index < found.count {
      for handoff in found[index].handoffs where seen.insert(ObjectIdentifier(handoff.agent)).inserted {
        found.append(handoff.agent)
      }
      index += 1
    }
    return found
  }
}
