/// Finds the JSON in a model's reply: strips Markdown code fences and prose before or after the JSON.
enum JSONExtraction {
  /// The JSON text inside `text`: a fenced block's content, else the first balanced `{…}` or `[…]`, else the
  /// trimmed text itself.
  static func extract(from text: String) -> String {
    var body = Substring(text).trimmingWhitespace()
    if let fenced = fencedBlock(in: body) { body = fenced.trimmingWhitespace() }
    if let balanced = firstBalancedValue(in: body) { return String(balanced) }
    return String(body)
  }

  /// The content of the first ``` fence, with its language tag dropped.
  static func fencedBlock(in text: Substring) -> Substring? {
    guard let open = text.firstRange(of: "```") else { return nil }
    var rest = text[open.upperBound...]
    // Skip the language tag (```json) up to the end of the line.
    if let newline = rest.firstIndex(of: "\n") {
      let tag = rest[..<newline]
      if tag.allSatisfy({ $0.isLetter || $0.isNumber || $0 == " " }) { rest = rest[rest.index(after: newline)...] }
    }
    guard let close = rest.firstRange(of: "```") else { return rest }
    return rest[..<close.lowerBound]
  }

  /// The first complete JSON object or array in `text`, found by bracket matching that skips strings.
  static func firstBalancedValue(in text: Substring) -> Substring? {
    let utf8 = text.utf8
    guard let start = utf8.firstIndex(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") }) else {
      return nil
    }
    var depth = 0
    var inString = false
    var escaped = false
    var index = start
    while index < utf8.endIndex {
      let byte = utf8[index]
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
      } else {
        switch byte {
        case UInt8(ascii: "\""): inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          depth -= 1
          if depth == 0 { return text[start...index] }
        default: break
        }
      }
      index = utf8.index(after: index)
    }
    return nil
  }
}

extension Substring {
  /// The substring without leading and trailing whitespace and newlines.
  func trimmingWhitespace() -> Substring {
    guard let first = firstIndex(where: { !$0.isWhitespace }) else { return self[endIndex...] }
    let last = lastIndex(where: { !$0.isWhitespace })!
    return self[first...last]
  }
}
