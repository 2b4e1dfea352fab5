/// Chooses, among several sampled answers to one question, the one that agrees most with the others
/// (self-consistency, or minimum Bayes risk with a text similarity as the utility).
///
/// A small model's wrong answers to a question scatter (`[4, 8, 12]`, `[4, 6, 8]`, `[2, 8, 12]` for
/// `print([1, 2, 3].map { $0 * 2 })` on Qwen2.5-Coder-0.5B), while its right answer recurs: the answer that
/// shares the most with the other samples is more often the right one than any single sample. The similarity
/// knows nothing about a question: it compares what answers about code are made of, each kind of feature a set
/// compared by overlap (Jaccard), weighted by how much it says about the answer's content:
///
/// - fenced code blocks (whitespace collapsed), weight 3;
/// - inline code spans (`` `…` ``) and bracketed literals (`[2, 4, 6]`, spaces removed), weight 2 each;
/// - numbers and runs of three words (lowercased), weight 1 each.
///
/// A kind neither answer has does not count; two answers without any feature agree 0.
enum AnswerAgreement {
  /// The index of the answer in `answers` whose summed similarity to the others is highest; on a tie the
  /// earliest. `nil` for no answers.
  static func mostAgreed(_ answers: [String]) -> Int? {
    guard !answers.isEmpty else { return nil }
    let features = answers.map(Features.init)
    let scores = features.indices.map { index in
      features.indices.reduce(0.0) { sum, other in
        other == index ? sum : sum + features[index].similarity(to: features[other])
      }
    }
    var best = 0
    for index in scores.indices where scores[index] > scores[best] + 1e-9 { best = index }
    return best
  }

  /// The similarity of two answers, from 0 (nothing in common) to 1 (the same features).
  static func similarity(_ first: String, _ second: String) -> Double {
    Features(first).similarity(to: Features(second))
  }

  /// What an answer is made of, by kind.
  struct Features {
    /// The kinds of feature, with their weights.
    enum Kind: Int, CaseIterable {
      case codeBlock, codeSpan, literal, number, words

      var weight: Double {
        switch self {
        case .codeBlock: 3
        case .codeSpan, .literal: 2
        case .number, .words: 1
        }
      }
    }

    /// The features of each kind, indexed by ``Kind/rawValue``.
    var sets: [Set<String>]

    init(_ text: String) {
      var sets = Array(repeating: Set<String>(), count: Kind.allCases.count)
      for match in text.matches(of: /```[^\n`]*\n((?s:.*?))```/) {
        sets[Kind.codeBlock.rawValue].insert(Self.collapsed(match.output.1))
      }
      for match in text.matches(of: /`([^`\n]+)`/) {
        sets[Kind.codeSpan.rawValue].insert(Self.collapsed(match.output.1))
      }
      for match in text.matches(of: /\[[^\[\]\n]{0,80}\]/) {
        sets[Kind.literal.rawValue].insert(String(match.output.filter { !$0.isWhitespace }))
      }
      for match in text.matches(of: /\d+(?:\.\d+)?/) { sets[Kind.number.rawValue].insert(String(match.output)) }
      let words = AnswerScreening.words(in: text)
      if words.count >= 3 {
        for start in 0...(words.count - 3) {
          sets[Kind.words.rawValue].insert(words[start..<(start + 3)].joined(separator: " "))
        }
      }
      self.sets = sets
    }

    /// The weighted mean, over the kinds either answer has, of the overlap of their features of that kind.
    func similarity(to other: Features) -> Double {
      var total = 0.0
      var weights = 0.0
      for kind in Kind.allCases {
        let mine = sets[kind.rawValue]
        let theirs = other.sets[kind.rawValue]
        guard !(mine.isEmpty && theirs.isEmpty) else { continue }
        let shared = mine.intersection(theirs).count
        total += kind.weight * Double(shared) / Double(mine.count + theirs.count - shared)
        weights += kind.weight
      }
      return weights == 0 ? 0 : total / weights
    }

    private static func collapsed(_ text: Substring) -> String {
      text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
  }
}
