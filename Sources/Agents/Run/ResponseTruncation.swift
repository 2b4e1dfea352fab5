/// Why a run's final answer is incomplete: the server stopped it at a token limit, or the run stopped it because
/// it kept repeating itself. ``RunResult/truncation`` is `nil` for a complete answer.
@MemberwiseInit
public struct ResponseTruncation: Sendable, Hashable, CustomStringConvertible {
  /// What cut the answer.
  public enum Reason: Sendable, Hashable {
    /// The server stopped generating at a token limit (`finish_reason: "length"`): the request's `max_tokens`, or
    /// the end of the model's context.
    case tokenLimit
    /// The run stopped the answer because it repeated the same block over and over (see
    /// ``Runner/Configuration/repetitionDetection``); the answer ends after the block's first occurrence.
    case repetition(RepetitionDetector.Report)
  }

  /// What cut the answer.
  public var reason: Reason
  /// The answer-token limit the request set (`max_tokens`), if any.
  public var maxTokens: Int?
  /// The tokens the server reported generating, when it reported usage.
  public var outputTokens: Int?

  /// `length` for a token limit, `repetition` for a stopped loop: the `finish_reason` reported for the run.
  public var finishReason: String {
    switch reason {
    case .tokenLimit: "length"
    case .repetition: "repetition"
    }
  }

  /// Whether the request's `max_tokens` is what stopped the answer (rather than the context filling up).
  public var reachedMaxTokens: Bool {
    guard case .tokenLimit = reason, let maxTokens else { return false }
    return (outputTokens ?? maxTokens) >= maxTokens
  }

  /// One line for people, e.g. `the answer reached its 1024-token limit (max_tokens)`.
  public var description: String {
    switch reason {
    case .repetition(let report):
      return "the answer \(report), so it was stopped after the first"
    case .tokenLimit where reachedMaxTokens:
      return "the answer reached its \(maxTokens ?? 0)-token limit (max_tokens)"
    case .tokenLimit:
      let produced = outputTokens.map { " after \($0) tokens" } ?? ""
      guard maxTokens != nil else { return "the server stopped the answer at its length limit\(produced)" }
      return "the server stopped the answer\(produced): the model's context is full"
    }
  }
}

extension ModelResponse {
  /// Why this response is incomplete, or `nil` when it ended normally; `maxTokens` is the request's limit.
  func truncation(maxTokens: Int?) -> ResponseTruncation? {
    if let repetition = stoppedByRepetition {
      return ResponseTruncation(reason: .repetition(repetition), maxTokens: maxTokens)
    }
    guard finishReason == "length" else { return nil }
    return ResponseTruncation(
      reason: .tokenLimit, maxTokens: maxTokens, outputTokens: usage.flatMap { $0.outputTokens > 0 ? $0.outputTokens : nil })
  }
}
