/// Separates `<think>…</think>` (and `<thinking>…</thinking>`) blocks from a model's message text, so
/// reasoning never leaks into the final output.
///
/// Use ``split(_:)`` on a whole message and a ``ThinkTagSplitter`` on a stream of deltas.
public enum ReasoningExtraction {
  static let tags: [(open: String, close: String)] = [("<think>", "</think>"), ("<thinking>", "</thinking>")]

  /// The message text without think blocks, and the reasoning they held (`nil` when there was none).
  ///
  /// A closing tag without an opening one (templates that open the block in the prompt) makes everything
  /// before it reasoning; an opening tag that is never closed (a reply cut off while thinking) makes
  /// everything after it reasoning.
  public static func split(_ text: String) -> (text: String, reasoning: String?) {
    guard holdsThinkTag(text) else { return (text, nil) }
    var body = Substring(text)
    var reasoning = ""
    if let close = firstTag(in: body, \.close), firstTag(in: body[..<close.lowerBound], \.open) == nil {
      reasoning = String(body[..<close.lowerBound])
      body = body[close.upperBound...]
    }
    var splitter = ThinkTagSplitter()
    var (visible, more) = splitter.feed(String(body))
    let rest = splitter.finish()
    visible += rest.text
    more += rest.reasoning
    reasoning += reasoning.isEmpty || more.isEmpty ? more : "\n" + more
    let trimmedReasoning = reasoning.trimmingCharacters()
    return (visible.trimmingCharacters(), trimmedReasoning.isEmpty ? nil : trimmedReasoning)
  }

  /// Whether `text` holds `<think` or `</think`: a scan of its bytes (searching the text for each marker was a
  /// measurable part of handling every reply).
  static func holdsThinkTag(_ text: String) -> Bool {
    let bytes = text.utf8
    var rest = bytes[...]
    while let open = rest.firstIndex(of: UInt8(ascii: "<")) {
      rest = rest[bytes.index(after: open)...]
      let name = rest.first == UInt8(ascii: "/") ? rest.dropFirst() : rest
      if name.starts(with: "think".utf8) { return true }
    }
    return false
  }

  private static func firstTag(
    in text: Substring, _ side: KeyPath<(open: String, close: String), String>
  ) -> Range<Substring.Index>? {
    tags.compactMap { text.firstRange(of: $0[keyPath: side]) }.min { $0.lowerBound < $1.lowerBound }
  }
}

/// Splits streamed text deltas into visible text and reasoning, even when a tag is cut across deltas.
public struct ThinkTagSplitter: Sendable {
  private var pending = ""
  private var closeTag: String?
  private static let allTags = ReasoningExtraction.tags.flatMap { [$0.open, $0.close] }

  /// Creates a splitter outside any think block.
  public init() {}

  /// Feeds one delta; returns the visible text and reasoning that are now certain.
  public mutating func feed(_ delta: String) -> (text: String, reasoning: String) {
    // Most deltas hold no `<` and nothing is pending: no tag can start or end in them.
    if pending.isEmpty, !delta.utf8.contains(UInt8(ascii: "<")) {
      return closeTag == nil ? (delta, "") : ("", delta)
    }
    pending += delta
    var text = ""
    var reasoning = ""
    while !pending.isEmpty {
      if let close = closeTag {
        if let range = pending.firstRange(of: close) {
          reasoning += pending[..<range.lowerBound]
          pending = String(pending[range.upperBound...])
          closeTag = nil
          continue
        }
        let keep = Self.partialTagSuffixLength(of: pending, tags: [close])
        reasoning += pending.dropLast(keep)
        pending = String(pending.suffix(keep))
        break
      }
      if let (range, tag, isOpening) = firstTag(in: pending) {
        text += pending[..<range.lowerBound]
        pending = String(pending[range.upperBound...])
        // An opening tag starts a think block; a stray closing tag is dropped from the visible text.
        if isOpening { closeTag = tag.close }
        continue
      }
      let keep = Self.partialTagSuffixLength(of: pending, tags: Self.allTags)
      text += pending.dropLast(keep)
      pending = String(pending.suffix(keep))
      break
    }
    return (text, reasoning)
  }

  /// Flushes what is left at the end of the stream.
  public mutating func finish() -> (text: String, reasoning: String) {
    defer { pending = "" }
    return closeTag == nil ? (pending, "") : ("", pending)
  }

  private func firstTag(
    in text: String
  ) -> (Range<String.Index>, (open: String, close: String), isOpening: Bool)? {
    var best: (Range<String.Index>, (open: String, close: String), isOpening: Bool)?
    for tag in ReasoningExtraction.tags {
      for (marker, isOpening) in [(tag.open, true), (tag.close, false)] {
        if let range = text.firstRange(of: marker), best.map({ range.lowerBound < $0.0.lowerBound }) ?? true {
          best = (range, tag, isOpening)
        }
      }
    }
    return best
  }

  /// The length of the longest suffix of `text` that is a proper prefix of one of `tags`.
  private static func partialTagSuffixLength(of text: String, tags: [String]) -> Int {
    guard let lastOpen = text.lastIndex(of: "<") else { return 0 }
    let suffix = text[lastOpen...]
    for tag in tags where tag.count > suffix.count && tag.hasPrefix(suffix) { return suffix.count }
    return 0
  }
}

extension StringProtocol {
  /// The text without leading and trailing whitespace and newlines.
  func trimmingCharacters() -> String {
    guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
    let last = lastIndex(where: { !$0.isWhitespace })!
    return String(self[first...last])
  }
}
