/// Model-name helpers shared by the clients: recognizing "model not found" messages and suggesting the
/// installed models closest to a mistyped name.
public enum ModelNameMatching {
  /// Whether a (lower-cased) 404 message is about a missing model rather than a wrong path
  /// (`404 page not found`).
  public static func isModelNotFound(_ loweredMessage: String) -> Bool {
    guard !loweredMessage.contains("page not found") else { return false }
    return loweredMessage.contains("model")
      && (loweredMessage.contains("not found") || loweredMessage.contains("does not exist"))
  }

  /// Up to `limit` installed names closest to `name`: same family first (the part before `:`), then by
  /// edit distance; names too different to be a plausible typo are left out.
  public static func closestNames(to name: String, among installed: [String], limit: Int = 3) -> [String] {
    let wanted = name.lowercased()
    let wantedFamily = family(of: wanted)
    let scored: [(name: String, score: Int)] = installed.compactMap { candidate in
      let lowered = candidate.lowercased()
      let candidateFamily = family(of: lowered)
      let distance = min(editDistance(wanted, lowered), editDistance(wantedFamily, candidateFamily))
      let related = candidateFamily.hasPrefix(wantedFamily) || wantedFamily.hasPrefix(candidateFamily)
      let threshold = max(3, wantedFamily.count / 2)
      guard related || distance <= threshold else { return nil }
      return (candidate, related ? distance - 100 : distance)
    }
    return scored.sorted { ($0.score, $0.name) < ($1.score, $1.name) }.prefix(limit).map(\.name)
  }

  /// The name without its tag and namespace: `library/llama3.2:latest` → `llama3.2`.
  public static func family(of name: String) -> String {
    let withoutTag = name.split(separator: ":", maxSplits: 1).first.map(String.init) ?? name
    return withoutTag.split(separator: "/").last.map(String.init) ?? withoutTag
  }

  /// The Levenshtein distance between two strings, by characters.
  public static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
        current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
