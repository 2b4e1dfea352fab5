/// The outcome of a finished run.
public struct RunResult: Sendable {
  /// The input the run started from: session history plus the new input (possibly rewritten by a handoff filter).
  public var input: [Item]
  /// Everything the run generated: messages, reasoning, tool calls and outputs, handoffs.
  public var newItems: [RunItem]
  /// One response per model call.
  public var rawResponses: [ModelResponse]
  /// Timing and usage of every model call, in order.
  public var modelCalls: [ModelCallRecord]
  /// The agent that produced the final output.
  public var lastAgent: Agent
  /// The final output: a `String` for text agents, a value of the agent's output type otherwise.
  public var finalOutput: any Sendable
  /// The final output as text: the final message (JSON for structured output) or the stopping tool's output.
  public var finalOutputText: String
  /// Usage summed over every model call.
  public var usage: Usage
  /// The number of model calls.
  public var turns: Int
  /// Wall-clock time from start to finish.
  public var duration: Duration
  /// Verdicts of the input guardrails that ran.
  public var inputGuardrailResults: [GuardrailResult]
  /// Verdicts of the output guardrails that ran.
  public var outputGuardrailResults: [GuardrailResult]
  /// The largest trimming of history any model call of the run needed to fit the context length, or `nil`
  /// when every call carried the whole history. The stored history (``history``, sessions) is never trimmed.
  public var contextTrimming: ContextTrimming?
  /// Requests the server turned down as too long for the model's context, each followed by one trimmed retry.
  public var contextOverflowRetries: [ContextOverflowRetry] = []
  /// Why the final answer is incomplete (a token limit, or stopped for repeating itself), or `nil` when it is
  /// complete. The answer is still the final output; this says it was cut.
  public var truncation: ResponseTruncation?

  /// Why the model's last response ended: the server's `finish_reason` (`stop`, `length`, `tool_calls`…), or
  /// `repetition` when the run stopped it; `nil` when the server did not say.
  public var finishReason: String? { truncation?.finishReason ?? rawResponses.last?.finishReason }

  /// The tool calls the run paused for because they need approval; empty when the run finished.
  ///
  /// A paused run has no final output (``finalOutput`` is an empty string): decide on each call in ``state``
  /// and continue with ``Runner/run(_:context:session:hooks:)``.
  public var interruptions: [ToolApprovalItem] = []
  /// The paused run's state, to approve or reject its pending calls and continue; `nil` when the run finished.
  public var state: RunState?
  /// Verdicts of the tool guardrails that ran, in order.
  public var toolGuardrailResults: [ToolGuardrailResult] = []

  /// Whether the run paused for approvals instead of finishing.
  public var isInterrupted: Bool { !interruptions.isEmpty }

  /// The final output as `T`.
  ///
  /// - Throws: ``AgentsError`` with code ``AgentsError/Code/userError`` when the output is another type.
  public func finalOutput<T>(as type: T.Type = T.self) throws(AgentsError) -> T {
    if isInterrupted, !(finalOutput is T) {
      throw AgentsError(
        .userError, "The run paused before a final output: \(interruptions.count) tool call(s) wait for approval. "
          + "Approve or reject them in the result's state and continue it with Runner.run(state).")
    }
    return try cast(finalOutput, to: T.self) {
      "The final output of agent '\(lastAgent.name)' is a \($0), not a \(T.self). Ask for the agent's output type "
        + "(String when it has none)."
    }
  }

  /// The whole conversation, ready to be the next run's input: ``input`` followed by the new items.
  public var history: [Item] { input + newItems.map(\.item) }

  /// The reasoning texts the models produced, in order.
  public var reasoning: [String] {
    newItems.compactMap { if case .reasoning(let text) = $0.item { text } else { nil } }
  }

  /// The names of the function tools called, in order.
  public var toolCallNames: [String] {
    newItems.compactMap {
      if $0.kind == .toolCall, case .toolCall(let call) = $0.item { call.name } else { nil }
    }
  }
}

/// How one model call went: for run records and analytics.
public struct ModelCallRecord: Sendable, Hashable {
  /// The agent that made the call.
  public var agentName: String
  /// The model's name.
  public var modelName: String
  /// Whether the response was streamed.
  public var streamed: Bool
  /// Time from sending the request to the complete response.
  public var latency: Duration
  /// Time to the first streamed text or reasoning; the latency for a non-streamed call or a streamed one
  /// that sent no text (tool calls only).
  public var timeToFirstToken: Duration
  /// The call's usage (one request with zero tokens when the server reported none).
  public var usage: Usage
}
