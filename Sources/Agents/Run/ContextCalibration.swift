import Synchronization

/// What a runner has learned about each model's tokenizer and context, shared by its runs: how many tokens the
/// server counts per estimated token (``ContextWindow``'s estimate), and the context length a server named in
/// an overflow error.
///
/// Sources, most exact first: the server's own count of a request (``Model/promptTokens(for:)``), the size an
/// overflow error names, and the prompt tokens a response reports (`usage.prompt_tokens`, Ollama's
/// `prompt_eval_count`), so each turn is fitted with what the previous one taught. A higher ratio is taken at
/// once; a lower one moves halfway, so one small report (a server that silently cut the prompt, say) cannot make
/// the next request overflow.
final class ContextCalibration: Sendable {
  /// What is known about one model.
  struct Entry: Sendable, Hashable {
    /// Server tokens per estimated token.
    var ratio: Double = 1
    /// The context length a server reported in an overflow error.
    var contextLength: Int?
  }

  /// The ratios kept: far-off reports (a prompt reported as a few tokens) cannot push the estimate to nonsense.
  static let ratioRange: ClosedRange<Double> = 0.75...8

  private let entries = Mutex<[String: Entry]>([:])

  /// What is known about `model`.
  func entry(for model: String) -> Entry {
    entries.withLock { $0[model] } ?? Entry()
  }

  /// Learns that a request estimated at `estimated` tokens took `actual` tokens on `model`'s server.
  ///
  /// - Parameter exact: Whether `actual` is a count of this very request (the server's tokenizer, an overflow
  ///   error), which replaces the ratio; otherwise (reported usage) a lower ratio only moves halfway.
  func learn(actual: Int, estimated: Int, for model: String, exact: Bool) {
    guard actual > 0, estimated > 0 else { return }
    let observed = min(max(Double(actual) / Double(estimated), Self.ratioRange.lowerBound), Self.ratioRange.upperBound)
    entries.withLock { entries in
      var entry = entries[model] ?? Entry()
      entry.ratio = exact || observed >= entry.ratio ? observed : (entry.ratio + observed) / 2
      entries[model] = entry
    }
  }

  /// Learns that `model`'s server gives it `contextLength` tokens (from an overflow error).
  func learn(contextLength: Int, for model: String) {
    guard contextLength > 0 else { return }
    entries.withLock { entries in
      var entry = entries[model] ?? Entry()
      entry.contextLength = min(entry.contextLength ?? contextLength, contextLength)
      entries[model] = entry
    }
  }
}
