/// Sampling and tool settings for model calls; `nil` fields are left to the server.
///
/// The throwing initializer validates every value; the runner validates again before each model call, so a
/// setting changed after construction is caught too.
public struct ModelSettings: Sendable, Hashable {
  /// Sampling temperature, 0–2.
  public var temperature: Double?
  /// Nucleus sampling mass, 0–1.
  public var topP: Double?
  /// The most tokens to generate, 1–1,000,000.
  public var maxTokens: Int?
  /// Whether and which tool the model must call.
  public var toolChoice: ToolChoice?
  /// Whether the model may call several tools in one response (sent only when tools exist).
  public var parallelToolCalls: Bool?
  /// A seed for reproducible sampling, 0–4,294,967,295.
  public var seed: Int?
  /// Sequences that stop generation: at most 16, none empty.
  public var stop: [String]?
  /// How hard a reasoning model thinks; `.disabled` turns thinking off on servers that support it.
  public var reasoningEffort: ReasoningEffort?
  /// Frequency penalty, −2–2.
  public var frequencyPenalty: Double?
  /// Presence penalty, −2–2.
  public var presencePenalty: Double?
  /// Whether to ask for usage on streamed responses; `nil` means yes (`stream_options.include_usage`).
  public var includeUsage: Bool?
  /// Extra top-level request fields for server-specific options.
  public var extraBody: JSONObject?

  /// Settings that leave everything to the server.
  public init() {}

  /// Creates validated settings.
  ///
  /// - Throws: ``AgentsError`` with code ``AgentsError/Code/userError`` naming the field and its allowed range.
  public init(
    temperature: Double? = nil, topP: Double? = nil, maxTokens: Int? = nil, toolChoice: ToolChoice? = nil,
    parallelToolCalls: Bool? = nil, seed: Int? = nil, stop: [String]? = nil,
    reasoningEffort: ReasoningEffort? = nil, frequencyPenalty: Double? = nil, presencePenalty: Double? = nil,
    includeUsage: Bool? = nil, extraBody: JSONObject? = nil
  ) throws(AgentsError) {
    self.temperature = temperature
    self.topP = topP
    self.maxTokens = maxTokens
    self.toolChoice = toolChoice
    self.parallelToolCalls = parallelToolCalls
    self.seed = seed
    self.stop = stop
    self.reasoningEffort = reasoningEffort
    self.frequencyPenalty = frequencyPenalty
    self.presencePenalty = presencePenalty
    self.includeUsage = includeUsage
    self.extraBody = extraBody
    try validate()
  }

  /// These settings with every non-nil field of `override` laid over them.
  public func resolved(with override: ModelSettings?) -> ModelSettings {
    guard let override else { return self }
    var result = self
    result.temperature = override.temperature ?? temperature
    result.topP = override.topP ?? topP
    result.maxTokens = override.maxTokens ?? maxTokens
    result.toolChoice = override.toolChoice ?? toolChoice
    result.parallelToolCalls = override.parallelToolCalls ?? parallelToolCalls
    result.seed = override.seed ?? seed
    result.stop = override.stop ?? stop
    result.reasoningEffort = override.reasoningEffort ?? reasoningEffort
    result.frequencyPenalty = override.frequencyPenalty ?? frequencyPenalty
    result.presencePenalty = override.presencePenalty ?? presencePenalty
    result.includeUsage = override.includeUsage ?? includeUsage
    if let extra = override.extraBody {
      var merged = extraBody ?? JSONObject()
      for (key, value) in extra { merged[key] = value }
      result.extraBody = merged
    }
    return result
  }
}

/// Whether and which tool the model must call.
public enum ToolChoice: Sendable, Hashable {
  /// The model decides.
  case auto
  /// The model must call some tool.
  case required
  /// The model must not call tools (sent as `none`; named so it cannot be confused with `Optional.none`).
  case disabled
  /// The model must call the named tool.
  case function(String)
}

/// How much a reasoning model thinks: `disabled` (`none`), `minimal`, `low`, `medium`, `high`, or a server-specific value.
public struct ReasoningEffort: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral {
  /// The value sent as `reasoning_effort`.
  public var rawValue: String
  /// Creates an effort from its wire value.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// Creates an effort from a string literal.
  public init(stringLiteral value: String) { self.rawValue = value }

  /// No thinking: sent as `none`, which turns Ollama's `think` off (named so it cannot be confused with
  /// `Optional.none`).
  public static let disabled = ReasoningEffort(rawValue: "none")
  /// The least thinking.
  public static let minimal = ReasoningEffort(rawValue: "minimal")
  /// Little thinking.
  public static let low = ReasoningEffort(rawValue: "low")
  /// Moderate thinking.
  public static let medium = ReasoningEffort(rawValue: "medium")
  /// Much thinking.
  public static let high = ReasoningEffort(rawValue: "high")
}
