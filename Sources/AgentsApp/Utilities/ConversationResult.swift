/// The outcome of one question to an agent, as `agents ask --json` prints it.
///
/// It has the question, the agent, the answer, success, the error and the duration; `model`, `turns`, `usage` and
/// `tool_calls` add what a script needs to check cost and tool use; `cached` says the answer was replayed from
/// the local response cache; `finish_reason`, `truncated` and `truncation` say whether and why the answer was cut.
public struct ConversationResult: Sendable, Hashable {
  /// One tool call made during the run.
  @MemberwiseInit
  public struct ToolCallRecord: Sendable, Hashable {
    /// The tool's name.
    public var name: String
    /// The arguments as the model sent them (JSON text).
    public var arguments: String
    /// What the tool returned.
    public var output: String
  }

  /// Token counts summed over every model call of the run.
  @MemberwiseInit
  public struct TokenUsage: Sendable, Hashable {
    /// Prompt tokens.
    public var inputTokens: Int = 0
    /// Generated tokens.
    public var outputTokens: Int = 0
    /// Prompt plus generated tokens.
    public var totalTokens: Int = 0
  }

  /// The name of the agent that produced the answer (after any handoffs).
  public var agentName: String
  /// The question as given.
  public var userInput: String
  /// The answer, or an empty string when the run failed.
  public var finalOutput: String
  /// Wall-clock seconds from the start of the run to its end.
  public var executionTime: Double
  /// Whether the run produced an answer.
  public var success: Bool
  /// Why the run failed, or `nil`.
  public var error: String?
  /// The model that produced the answer.
  public var model: String
  /// How many model calls the run made.
  public var turns: Int
  /// Token usage.
  public var usage: TokenUsage
  /// The tool calls, in order.
  public var toolCalls: [ToolCallRecord]
  /// Whether the answer was replayed from the local response cache because the server was unreachable.
  public var servedFromCache: Bool
  /// The tool calls the run stopped at because they wait for approval (empty when it finished).
  public var pendingApprovals: [ToolApprovalItem]
  /// The file the paused run's state was saved to, for `agents ask --resume`.
  public var stateFile: String?
  /// Why the model's last response ended: `stop`, `length`, `tool_calls`, or `repetition` when the run stopped an
  /// answer that kept repeating itself; `nil` when the server did not say or the run failed.
  public var finishReason: String?
  /// Why the answer is incomplete, in words (e.g. `the answer reached its 1024-token limit (max_tokens)`), or
  /// `nil` when it is complete.
  public var truncation: String?
  /// Whether the answer hit the request's own `max_tokens` (rather than the end of the context).
  public var reachedMaxTokens = false

  /// Whether the answer is incomplete.
  public var truncated: Bool { truncation != nil }

  /// What a user can do about a cut answer.
  public var truncationAdvice: String {
    reachedMaxTokens
      ? "ask for a shorter answer, or raise the agent's max_tokens in the configuration file"
      : "start a new conversation (/clear) or use a model with a larger context"
  }

  /// Creates a result.
  public init(
    agentName: String, userInput: String, finalOutput: String, executionTime: Double, success: Bool,
    error: String? = nil, model: String, turns: Int = 0, usage: TokenUsage = TokenUsage(),
    toolCalls: [ToolCallRecord] = [], servedFromCache: Bool = false, pendingApprovals: [ToolApprovalItem] = [],
    stateFile: String? = nil
  ) {
    self.agentName = agentName
    self.userInput = userInput
    self.finalOutput = finalOutput
    self.executionTime = executionTime
    self.success = success
    self.error = error
    self.model = model
    self.turns = turns
    self.usage = usage
    self.toolCalls = toolCalls
    self.servedFromCache = servedFromCache
    self.pendingApprovals = pendingApprovals
    self.stateFile = stateFile
  }

  /// The result as a JSON object with snake_case keys, in the documented order.
  public var json: JSONValue {
    var object: JSONObject = [
      "agent_name": .string(agentName),
      "user_input": .string(userInput),
      "final_output": .string(finalOutput),
      "execution_time": .double(Self.rounded(executionTime)),
      "success": .bool(success),
      "error": error.map(JSONValue.string) ?? .null,
      "model": .string(model),
      "turns": .int(turns),
      "usage": .object([
        "input_tokens": .int(usage.inputTokens),
        "output_tokens": .int(usage.outputTokens),
        "total_tokens": .int(usage.totalTokens),
      ]),
      "tool_calls": .array(
        toolCalls.map { call in
          .object(["name": .string(call.name), "arguments": .string(call.arguments), "output": .string(call.output)])
        }),
      "cached": .bool(servedFromCache),
      "finish_reason": finishReason.map(JSONValue.string) ?? .null,
      "truncated": .bool(truncated),
      "truncation": truncation.map(JSONValue.string) ?? .null,
    ]
    if !pendingApprovals.isEmpty {
      object["pending_approvals"] = .array(
        pendingApprovals.map { item in
          var entry: JSONObject = [
            "call_id": .string(item.call.id), "tool": .string(item.toolName), "arguments": .string(item.call.arguments),
            "agent": .string(item.agentName),
          ]
          if let preview = item.preview { entry["preview"] = .string(preview) }
          return .object(entry)
        })
      object["state_file"] = stateFile.map(JSONValue.string) ?? .null
    }
    return .object(object)
  }

  /// Seconds rounded to the millisecond, so JSON output stays short.
  package static func rounded(_ seconds: Double) -> Double {
    (seconds * 1000).rounded() / 1000
  }
}
