/// How a conversation answers tool calls that wait for a person's approval (``ToolApproval``): `agents chat`
/// asks at the terminal, `agents ask` approves the tools named with `--approve` and stops at the others.
@MemberwiseInit
public struct ConversationApprovals: Sendable {
  /// The answer for one pending call.
  public enum Answer: Sendable, Hashable {
    /// Run the call; with `always`, every later call of the same tool in this run too.
    case approve(always: Bool)
    /// Do not run it; the model reads `message` (or the SDK's default rejection) instead.
    case reject(message: String?, always: Bool)
    /// Decide nothing more now: the run stops with its state, to be resumed later.
    case stop
  }

  /// Decides one pending call.
  public var decide: @Sendable (ToolApprovalItem) async -> Answer

  /// Stops at the first call that needs approval (nothing is approved).
  public static let stop = ConversationApprovals { _ in .stop }

  /// Rejects calls of the tools in `rejecting`, approves calls of those in `tools` (every other tool with `all`)
  /// and stops at the rest.
  public static func approving(
    _ tools: Set<String>, all: Bool = false, rejecting: Set<String> = []
  ) -> ConversationApprovals {
    ConversationApprovals { item in
      if rejecting.contains(item.toolName) { return .reject(message: nil, always: false) }
      return all || tools.contains(item.toolName) ? .approve(always: false) : .stop
    }
  }

  /// Rejects every call, telling the model that approvals cannot be given here (for unattended runs such as
  /// `agents test` and `agents bench`), so the run goes on without them.
  public static let rejectUnattended = ConversationApprovals { item in
    .reject(
      message: "The call of '\(item.toolName)' needs a person's approval, and nobody can approve it in this run, "
        + "so it did not run. Answer without it.", always: false)
  }

  /// Approves calls of the tools in `tools` and rejects every other call like ``rejectUnattended`` (for
  /// `agents test --approve TOOL`: the person gave consent for these tools before the run).
  public static func approvingUnattended(_ tools: Set<String>) -> ConversationApprovals {
    ConversationApprovals { item in
      tools.contains(item.toolName) ? .approve(always: false) : await rejectUnattended.decide(item)
    }
  }

  /// Decides the undecided calls of `state` until one answer is ``Answer/stop``.
  ///
  /// - Returns: whether every call is decided (the run can continue).
  func settle(_ state: inout RunState) async -> Bool {
    for item in state.undecided {
      switch await decide(item) {
      case .approve(let always): state.approve(item, always: always)
      case .reject(let message, let always): state.reject(item, message: message, always: always)
      case .stop: return false
      }
    }
    return true
  }
}

extension ConversationService {
  /// Where a run starts: a new question, or a paused run to continue.
  enum RunStart {
    case fresh(Agent, [Item])
    case resumed(RunState)
  }

  /// Runs until the run finishes, or pauses at a call `approvals` leaves undecided; each pause is settled by
  /// `approvals` and the run continued (streamed again when `streamed`).
  ///
  /// - Returns: the finished run, or a paused one whose ``RunResult/state`` carries the decisions made so far.
  func runSettlingApprovals(
    _ start: RunStart, session: (any Session)?, maxTurns: Int?, streamed: Bool, approvals: ConversationApprovals,
    onEvent: @Sendable (RunEvent) -> Void
  ) async throws -> RunResult {
    var result = try await runOnce(start, session: session, maxTurns: maxTurns, streamed: streamed, onEvent: onEvent)
    while var state = result.state {
      guard await approvals.settle(&state) else {
        result.state = state
        return result
      }
      try Task.checkCancellation()
      result = try await runOnce(
        .resumed(state), session: session, maxTurns: maxTurns, streamed: streamed, onEvent: onEvent)
    }
    return result
  }

  private func runOnce(
    _ start: RunStart, session: (any Session)?, maxTurns: Int?, streamed: Bool, onEvent: @Sendable (RunEvent) -> Void
  ) async throws -> RunResult {
    guard streamed else {
      let result: RunResult
      switch start {
      case .fresh(let agent, let items):
        result = try await runner.run(agent, input: items, maxTurns: maxTurns, session: session)
      case .resumed(let state): result = try await runner.run(state, session: session)
      }
      // A run that was not streamed still tells the user when history was left out.
      for retry in result.contextOverflowRetries { onEvent(.contextOverflowRetried(retry)) }
      if let trimming = result.contextTrimming { onEvent(.contextTrimmed(trimming)) }
      return result
    }
    // Streamed on this task: each event reaches `onEvent` from the run itself, with no stream (and no thread
    // hand-over per event) in between. Nothing of the run outlives it, so the handler does not escape.
    let result = try await withoutActuallyEscaping(onEvent) { onEvent in
      switch start {
      case .fresh(let agent, let items):
        try await runner.run(agent, input: items, maxTurns: maxTurns, session: session, onEvent: onEvent)
      case .resumed(let state): try await runner.run(state, session: session, onEvent: onEvent)
      }
    }
    try Task.checkCancellation()
    return result
  }
}
