import WireCore

/// A request to `POST /v1/chat/completions`, covering what Ollama and OpenAI-compatible servers accept.
///
/// `nil` fields are omitted from the body. ``extra`` is merged in last, for server-specific options
/// (e.g. llama-server's `top_k`, vLLM's `guided_json`).
public struct ChatCompletionRequest: Sendable, Hashable {
  /// The model; `nil` uses the configuration's default model.
  public var model: String?
  /// The conversation so far.
  public var messages: [ChatMessage]
  /// Tools the model may call.
  public var tools: [ChatTool]?
  /// Whether and which tool the model must call (Ollama ignores it).
  public var toolChoice: ToolChoice?
  /// Whether the model may call several tools at once (Ollama ignores it).
  public var parallelToolCalls: Bool?
  /// The reply format: text, any JSON object or JSON matching a schema.
  public var responseFormat: ResponseFormat?
  /// Sampling temperature; Ollama's /v1 forces 1.0 when omitted, so set it explicitly.
  public var temperature: Double?
  /// Nucleus sampling; Ollama's /v1 forces 1.0 when omitted.
  public var topP: Double?
  /// The most tokens to generate; sent as `max_tokens` (Ollama ignores `max_completion_tokens`).
  public var maxTokens: Int?
  /// A seed for reproducible sampling.
  public var seed: Int?
  /// Sequences that end generation.
  public var stop: [String]?
  /// Penalizes tokens by how often they appeared.
  public var frequencyPenalty: Double?
  /// Penalizes tokens that appeared at all.
  public var presencePenalty: Double?
  /// How hard a thinking model thinks: `none` turns thinking off on Ollama; `low`, `medium`, `high`.
  public var reasoningEffort: String?
  /// For streams: ask for a final usage chunk (`stream_options.include_usage`).
  public var includeUsage: Bool?
  /// Server-specific fields merged into the body last, overriding any field above.
  public var extra: JSONObject

  /// Creates a request; only the messages are required.
  public init(
    model: String? = nil,
    messages: [ChatMessage],
    tools: [ChatTool]? = nil,
    toolChoice: ToolChoice? = nil,
    parallelToolCalls: Bool? = nil,
    responseFormat: ResponseFormat? = nil,
    temperature: Double? = nil,
    topP: Double? = nil,
    maxTokens: Int? = nil,
    seed: Int? = nil,
    stop: [String]? = nil,
    frequencyPenalty: Double? = nil,
    presencePenalty: Double? = nil,
    reasoningEffort: String? = nil,
    includeUsage: Bool? = nil,
    extra: JSONObject = JSONObject()
  ) {
    self.model = model
    self.messages = messages
    self.tools = tools
    self.toolChoice = toolChoice
    self.parallelToolCalls = parallelToolCalls
    self.responseFormat = responseFormat
    self.temperature = temperature
    self.topP = topP
    self.maxTokens = maxTokens
    self.seed = seed
    self.stop = stop
    self.frequencyPenalty = frequencyPenalty
    self.presencePenalty = presencePenalty
    self.reasoningEffort = reasoningEffort
    self.includeUsage = includeUsage
    self.extra = extra
  }
}
