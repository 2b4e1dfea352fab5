import Foundation

/// Figures for one chat, shown by `/stats`.
struct ChatStatistics: Sendable, Hashable {
  var answers = 0
  var failures = 0
  var cancelled = 0
  var inputTokens = 0
  var outputTokens = 0
  var toolCalls = 0
  var latencies: [Double] = []
  var timesToFirstToken: [Double] = []

  mutating func add(_ outcome: ConversationOutcome) {
    switch outcome.error?.code {
    case nil:
      answers += 1
      latencies.append(outcome.result.executionTime)
      if let first = outcome.timeToFirstToken { timesToFirstToken.append(first.seconds) }
    case .interrupted?:
      cancelled += 1
    default:
      failures += 1
    }
    inputTokens += outcome.result.usage.inputTokens
    outputTokens += outcome.result.usage.outputTokens
    toolCalls += outcome.result.toolCalls.count
  }

  /// The line after an answer with `--stats` (as `ollama run --verbose`): output tokens, generation speed, time to the
  /// first token and in all, e.g. `42 tokens · 18.3 tokens/s · first token 0.52 s · 2.81 s in all`.
  static func answerLine(_ outcome: ConversationOutcome) -> String {
    let tokens = outcome.result.usage.outputTokens
    let total = outcome.result.executionTime
    var parts = ["\(tokens) \(tokens == 1 ? "token" : "tokens")"]
    let firstToken = outcome.timeToFirstToken.map(\.seconds)
    let generating = total - (firstToken ?? 0)
    if tokens > 0, generating > 0 { parts.append(String(format: "%.1f tokens/s", Double(tokens) / generating)) }
    if let firstToken { parts.append(String(format: "first token %.2f s", firstToken)) }
    parts.append(String(format: "%.2f s in all", total))
    return parts.joined(separator: " · ")
  }

  /// The `/stats` lines.
  func lines() -> [String] {
    func seconds(_ value: Double?) -> String {
      value.map { String(format: "%.2f s", $0) } ?? "–"
    }
    return [
      "answers      \(answers) (\(failures) failed, \(cancelled) cancelled)",
      "tokens       \(inputTokens) in, \(outputTokens) out",
      "tool calls   \(toolCalls)",
      "latency      median \(seconds(BenchmarkStatistics.percentile(50, of: latencies))), "
        + "p95 \(seconds(BenchmarkStatistics.percentile(95, of: latencies)))",
      "first token  median \(seconds(BenchmarkStatistics.percentile(50, of: timesToFirstToken)))",
    ]
  }
}
