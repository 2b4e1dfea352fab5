import Foundation
import Logging
import Synchronization

/// The outcome of one question: the result as `ask --json` reports it, and the error when it failed.
public struct ConversationOutcome: Sendable {
  /// The result (also filled in for failed runs, with `success` false).
  public var result: ConversationResult
  /// Why the run failed, or `nil`.
  public var error: AppError?
  /// The whole conversation after the run (input plus new items), for the next question.
  public var history: [Item]
  /// Time to the first streamed text, when the run streamed any.
  public var timeToFirstToken: Duration?
  /// The agent that answered (after any handoffs), or that was running when the run failed: a chat continues with
  /// it, as the Python SDK's REPL continues with `last_agent`.
  public var lastAgent: Agent?
  /// The paused run, when it stopped at tool calls that wait for approval (``ConversationResult/pendingApprovals``
  /// lists them); `nil` otherwise.
  public var state: RunState?
  /// What the SDK threw when the run failed (``error`` is the same failure in the CLI's words), so a caller can
  /// tell, say, a model server timeout from an unreachable one.
  public var cause: (any Error)? = nil
}

/// Runs one question through an agent, streaming or not, and records the run (store row, metrics, log line).
///
/// This is what `agents ask`, each `agents chat` turn, `agents test` and `agents bench` share: it
/// turns the SDK's result or error into a ``ConversationResult`` and a run record.
@MemberwiseInit
public struct ConversationService: Sendable {
  /// The SDK runner (with its model provider).
  public var runner: Runner
  /// Where finished runs are recorded, if anywhere.
  public var runStore: (any RunStorage)?
  /// The server stored with each run record (its base URL, credentials removed when stored).
  public var server: ServerAddress
  /// Where run metrics go.
  public var metrics: AgentsMetricsRecorder = AgentsMetricsRecorder()
  /// Where the line about each finished run is logged (made once: making a logger on every run was measurable).
  public var logger: Logger = Logger(label: "ollama-agents.runs")

  /// Asks `agent` one question.
  ///
  /// - Parameters:
  ///   - history: The conversation so far (chat); empty for a fresh question.
  ///   - session: Persistent memory; when given, `history` should be empty (the session supplies it).
  ///   - streamed: Whether to stream; `onEvent` receives each event of a streamed run.
  ///   - approvals: Answers tool calls that need approval; by default they are rejected (nobody is there to ask).
  ///   - state: A paused run to continue instead of starting one (`input` is then only reported).
  ///   - preparing: Runs before the agent does (e.g. looking up context lengths); what it throws fails the
  ///     question like an error of the run, and is recorded the same way.
  /// - Returns: The outcome; a failed or cancelled run is reported in it, never thrown. A run that stopped at
  ///   calls `approvals` left undecided has ``ConversationOutcome/state`` set and an `approval_required` error.
  public func ask(
    _ agent: Agent, input: String, history: [Item] = [], session: (any Session)? = nil, maxTurns: Int?,
    streamed: Bool, approvals: ConversationApprovals = .rejectUnattended, resuming state: RunState? = nil,
    preparing: @Sendable () async throws -> Void = {}, onEvent: @Sendable (RunEvent) -> Void = { _ in }
  ) async -> ConversationOutcome {
    let startedAt = Date()
    let clock = ContinuousClock()
    let start = clock.now
    let firstToken = Mutex<Duration?>(nil)
    let model = agent.model?.name ?? ""
    do {
      try await preparing()
      let items = history + [Item.user(input)]
      let result = try await runSettlingApprovals(
        state.map(RunStart.resumed) ?? .fresh(agent, items), session: session, maxTurns: maxTurns, streamed: streamed,
        approvals: approvals,
        onEvent: { event in
          if case .textDelta = event { firstToken.withLock { $0 = $0 ?? clock.now - start } }
          onEvent(event)
        })
      if let paused = result.state {
        let error = Self.approvalRequired(paused.undecided)
        var report = Self.conversationResult(of: result, input: input, model: model, elapsed: clock.now - start)
        report.success = false
        report.error = error.description
        return ConversationOutcome(result: report, error: error, history: history, timeToFirstToken: nil,
          lastAgent: result.lastAgent, state: paused)
      }
      let outcome = ConversationOutcome(
        result: Self.conversationResult(of: result, input: input, model: model, elapsed: clock.now - start),
        error: nil, history: result.history,
        timeToFirstToken: firstToken.withLock { $0 } ?? result.modelCalls.first?.timeToFirstToken,
        lastAgent: result.lastAgent)
      await record(
        RunRecord(result: result, agent: agent.name, server: server, sessionID: session?.sessionID, startedAt: startedAt))
      return outcome
    } catch {
      let appError = AppError.from(error)
      let partial = (error as? AgentsError)?.partialRun
      var result = ConversationResult(
        agentName: partial?.lastAgent.name ?? agent.name, userInput: input, finalOutput: "",
        executionTime: (clock.now - start).seconds, success: false, error: appError.description,
        model: partial?.lastAgent.model?.name ?? model, turns: partial?.turns ?? 0)
      if let partial {
        result.usage = Self.tokenUsage(partial.usage)
        result.toolCalls = Self.toolCalls(in: partial.newItems)
      }
      let outcome = ConversationOutcome(
        result: result, error: appError, history: history, timeToFirstToken: firstToken.withLock { $0 },
        lastAgent: partial?.lastAgent, cause: error)
      if appError.code != .interrupted {
        await record(
          RunRecord(
            failure: error, agent: agent.name, model: model, server: server, sessionID: session?.sessionID,
            startedAt: startedAt, duration: clock.now - start))
      }
      return outcome
    }
  }

  /// Builds the `ask --json` result from a finished run.
  static func conversationResult(of run: RunResult, input: String, model: String, elapsed: Duration) -> ConversationResult {
    var result = ConversationResult(
      agentName: run.lastAgent.name, userInput: input, finalOutput: run.finalOutputText,
      executionTime: elapsed.seconds, success: true, error: nil,
      model: run.modelCalls.last?.modelName ?? run.lastAgent.model?.name ?? model, turns: run.turns,
      usage: tokenUsage(run.usage), toolCalls: toolCalls(in: run.newItems), servedFromCache: run.servedFromCache,
      pendingApprovals: run.state?.undecided ?? [])
    result.finishReason = run.finishReason
    result.truncation = run.truncation?.description
    result.reachedMaxTokens = run.truncation?.reachedMaxTokens ?? false
    return result
  }

  /// The error of a run that stopped at `pending` calls.
  static func approvalRequired(_ pending: [ToolApprovalItem]) -> AppError {
    let tools = Array(Set(pending.map(\.toolName))).sorted()
    let calls = pending.count == 1 ? pending[0].toolName : "\(pending.count) tool calls (\(tools.joined(separator: ", ")))"
    return AppError(
      .approvalRequired,
      "the agent wants to run \(calls), which needs your approval, so the run stopped before it",
      fix: "allow it with " + tools.map { "--approve \($0)" }.joined(separator: " ") + " (or --approve-all)")
  }

  static func tokenUsage(_ usage: Usage) -> ConversationResult.TokenUsage {
    .init(inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, totalTokens: usage.totalTokens)
  }

  /// The function tool calls of a run with their outputs, in call order (handoffs excluded).
  static func toolCalls(in items: [RunItem]) -> [ConversationResult.ToolCallRecord] {
    var outputs: [String: String] = [:]
    for item in items where item.kind == .toolOutput {
      if case .toolOutput(let output) = item.item { outputs[output.callID] = output.output }
    }
    return items.compactMap { item in
      guard item.kind == .toolCall, case .toolCall(let call) = item.item else { return nil }
      return .init(name: call.name, arguments: call.arguments, output: outputs[call.id] ?? "")
    }
  }

  /// Saves `record` through ``RunRecorder`` (the one way run records are made: the SDK's run result or error, its
  /// durations and error kinds, the server without credentials). Metrics and the log line always; the row when there
  /// is a store. A failure to record statistics must never fail the user's question.
  private func record(_ record: RunRecord) async {
    _ = try? await RunRecorder(runs: runStore, metrics: metrics, logger: logger).record(record)
  }
}

extension Duration {
  /// The duration in seconds as a `Double`.
  public var seconds: Double {
    let parts = components
    return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
  }
}
