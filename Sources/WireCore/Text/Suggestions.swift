/// Finds the known names closest to a mistyped one, for "did you mean" hints.
package enum Suggestions {
  /// The candidates within a small edit distance of `input` (or sharing its prefix), closest first.
  ///
  /// - Parameters:
  ///   - input: What the user typed.
  ///   - candidates: The valid names.
  ///   - limit: The most suggestions to return.
  package static func closest(to input: String, in candidates: [String], limit: Int = 3) -> [String] {
    let needle = input.lowercased()
    guard !needle.isEmpty else { return [] }
    let threshold = max(1, min(3, needle.count / 3 + 1))
    var scored: [(name: String, score: Int)] = []
    for candidate in candidates {
      let lowered = candidate.lowercased()
      let distance = ModelNameMatching.editDistance(needle, lowered)
      if distance <= threshold {
        scored.append((candidate, distance))
      } else if lowered.hasPrefix(needle) || (needle.hasPrefix(lowered) && lowered.count >= 3) {
        scored.append((candidate, threshold + 1))
      }
    }
    var seen = Set<String>()
    return scored.sorted { ($0.score, $0.name) < ($1.score, $1.name) }
      .map(\.name)
      .filter { seen.insert($0).inserted }
      .prefix(limit)
      .map { $0 }
  }

  /// A ` (did you mean 'x'?)` suffix, or an empty string when nothing is close.
  package static func didYouMean(_ input: String, in candidates: [String]) -> String {
    let names = closest(to: input, in: candidates)
    guard !names.isEmpty else { return "" }
    return " (did you mean " + names.map { "'\($0)'" }.joined(separator: " or ") + "?)"
  }
}
