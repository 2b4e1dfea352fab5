import Foundation

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
  /// What the SDK threw when the run failed (``error`` is the same failure in the CLI's words), so a caller can
  /// tell, say, a model server timeout from an unreachable one.
  public var cause: (any Error)? = nil
}

/// Runs one question through an agent, streaming or not, and records the run (store row, metrics, log line).
///
/// This is what `agents ask`, each `agents chat` turn, `agents test` and `agents bench` share: it
/// turns the SDK's result or error into a ``ConversationResult`` and a run record.
public struct ConversationService: Sendable {
  /// The SDK runner (with its model provider).
  public var runner: Runner
  /// Where finished runs are recorded, if anywhere.
  public var runStore: (any RunStorage)?
  /// The server stored with each run record (its base URL, credentials removed when stored).
  public var server: ServerAddress
  /// Where run metrics go.
  public var metrics: AgentsMetricsRecorder

  /// Creates a service.
  public init(
    runner: Runner, runStore: (any RunStorage)? = nil, server: ServerAddress, metrics: AgentsMetricsRecorder = AgentsMetricsRecorder()
  ) {
    self.runner = runner
    self.runStore = runStore
    self.server = server
    self.metrics = metrics
  }

  /// Asks `agent` one question.
  ///
  /// - Parameters:
  ///   - history: The conversation so far (chat); empty for a fresh question.
  ///   - session: Persistent memory; when given, `history` should be empty (the session supplies it).
  ///   - streamed: Whether to stream; `onEvent` receives each event of a streamed run.
  /// - Returns: The outcome; a failed or cancelled run is reported in it, never thrown.
  public func ask(
    _ agent: Agent, input: String, history: [Item] = [], session: (any Session)? = nil, maxTurns: Int?,
    streamed: Bool, onEvent: @Sendable (RunEvent) -> Void = { _ in }
  ) async -> ConversationOutcome {
    let startedAt = Date()
    let clock = ContinuousClock()
    let start = clock.now
    var firstToken: Duration?
    let model = agent.model?.name ?? ""
    do {
      let result: RunResult
      let items = history + [Item.user(input)]
      if streamed {
        var finished: RunResult?
        for try await event in runner.runStreamed(agent, input: items, maxTurns: maxTurns, session: session) {
          if firstToken == nil, case .textDelta = event { firstToken = clock.now - start }
          if case .finished(let done) = event { finished = done }
          onEvent(event)
        }
        try Task.checkCancellation()
        guard let finished else {
          throw AgentsError(.modelBehavior, "The run's event stream ended without a result.")
        }
        result = finished
      } else {
        result = try await runner.run(agent, input: items, maxTurns: maxTurns, session: session)
        // A run that was not streamed still tells the user when history was left out.
        for retry in result.contextOverflowRetries { onEvent(.contextOverflowRetried(retry)) }
        if let trimming = result.contextTrimming { onEvent(.contextTrimmed(trimming)) }
      }
      let outcome = ConversationOutcome(
        result: Self.conversationResult(of: result, input: input, model: model, elapsed: clock.now - start),
        error: nil, history: result.history, timeToFirstToken: firstToken ?? result.modelCalls.first?.timeToFirstToken,
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
        result: result, error: appError, history: history, timeToFirstToken: firstToken, lastAgent: partial?.lastAgent,
        cause: error)
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
      usage: tokenUsage(run.usage), toolCalls: toolCalls(in: run.newItems), servedFromCache: run.servedFromCache)
    result.finishReason = run.finishReason
    result.truncation = run.truncation?.description
    result.reachedMaxTokens = run.truncation?.reachedMaxTokens ?? false
    return result
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
    _ = try? await RunRecorder(runs: runStore, metrics: metrics).record(record)
  }
}

extension Duration {
  /// The duration in seconds as a `Double`.
  public var seconds: Double {
    let parts = components
    return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
  }
}
