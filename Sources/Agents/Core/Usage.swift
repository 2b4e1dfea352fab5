/// Token usage of one model call or, summed, of a whole run.
public struct Usage: Sendable, Hashable, Codable {
  /// The number of model requests.
  public var requests: Int
  /// Prompt tokens.
  public var inputTokens: Int
  /// Completion tokens.
  public var outputTokens: Int
  /// Prompt plus completion tokens, as reported by the server.
  public var totalTokens: Int
  /// Prompt tokens served from a cache, when the server reports them.
  public var cachedInputTokens: Int
  /// Completion tokens spent on reasoning, when the server reports them.
  public var reasoningTokens: Int

  /// Creates a usage record; `totalTokens` defaults to input plus output.
  public init(
    requests: Int = 0, inputTokens: Int = 0, outputTokens: Int = 0, totalTokens: Int? = nil,
    cachedInputTokens: Int = 0, reasoningTokens: Int = 0
  ) {
    self.requests = requests
    self.inputTokens = inputTokens
    self.outputTokens = outputTokens
    self.totalTokens = totalTokens ?? (inputTokens + outputTokens)
    self.cachedInputTokens = cachedInputTokens
    self.reasoningTokens = reasoningTokens
  }

  /// Adds another record field by field.
  public mutating func add(_ other: Usage) {
    requests += other.requests
    inputTokens += other.inputTokens
    outputTokens += other.outputTokens
    totalTokens += other.totalTokens
    cachedInputTokens += other.cachedInputTokens
    reasoningTokens += other.reasoningTokens
  }

  /// The field-by-field sum of two records.
  public static func + (lhs: Usage, rhs: Usage) -> Usage {
    var sum = lhs
    sum.add(rhs)
    return sum
  }
}
