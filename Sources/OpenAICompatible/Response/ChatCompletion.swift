import WireCore

/// Why the model stopped: `stop`, `length`, `tool_calls`, `content_filter`, or a server's own value.
public struct FinishReason: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
  /// The wire value.
  public var rawValue: String
  /// Creates a reason from its wire value.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// Creates a reason from a string literal.
  public init(stringLiteral value: String) { self.rawValue = value }
  /// The model finished its answer or hit a stop sequence.
  public static let stop: FinishReason = "stop"
  /// The token limit cut the answer short.
  public static let length: FinishReason = "length"
  /// The model called tools.
  public static let toolCalls: FinishReason = "tool_calls"
  /// A content filter removed output.
  public static let contentFilter: FinishReason = "content_filter"
  /// The wire value.
  public var description: String { rawValue }
}

/// Token counts of a request.
public struct Usage: Sendable, Hashable {
  /// Tokens in the prompt.
  public var promptTokens: Int
  /// Tokens generated.
  public var completionTokens: Int
  /// Their sum (as reported, or computed when missing).
  public var totalTokens: Int
  /// Any further fields (e.g. `prompt_tokens_details`, `completion_tokens_details`) as sent.
  public var details: JSONObject

  /// Creates usage counts.
  public init(promptTokens: Int, completionTokens: Int, totalTokens: Int? = nil, details: JSONObject = JSONObject()) {
    self.promptTokens = promptTokens
    self.completionTokens = completionTokens
    self.totalTokens = totalTokens ?? promptTokens + completionTokens
    self.details = details
  }
}

/// The response of a non-streamed chat completion.
public struct ChatCompletion: Sendable, Hashable {
  /// One alternative answer (servers return one unless asked for more).
  public struct Choice: Sendable, Hashable {
    /// The choice's position.
    public var index: Int
    /// The assistant message: content, reasoning, tool calls.
    public var message: ChatMessage
    /// Why generation stopped, if the server said.
    public var finishReason: FinishReason?

    /// Creates a choice.
    public init(index: Int = 0, message: ChatMessage, finishReason: FinishReason?) {
      self.index = index
      self.message = message
      self.finishReason = finishReason
    }
  }

  /// The completion id (Ollama's `chatcmpl-N` ids are not unique).
  public var id: String
  /// The model that answered, as the server names it.
  public var model: String
  /// Unix seconds, if sent.
  public var created: Int?
  /// The answers; normally exactly one.
  public var choices: [Choice]
  /// Token counts, if sent.
  public var usage: Usage?
  /// The whole response object as received (timings, system_fingerprint and unknown fields included).
  public var raw: JSONValue

  /// Creates a completion.
  public init(
    id: String, model: String, created: Int? = nil, choices: [Choice], usage: Usage? = nil, raw: JSONValue = .null
  ) {
    self.id = id
    self.model = model
    self.created = created
    self.choices = choices
    self.usage = usage
    self.raw = raw
  }

  /// The first choice's message, or an empty assistant message when there is no choice.
  public var message: ChatMessage { choices.first?.message ?? .assistant(nil) }

  /// The first choice's finish reason.
  public var finishReason: FinishReason? { choices.first?.finishReason }
}
