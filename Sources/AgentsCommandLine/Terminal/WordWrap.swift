/// Prose broken between words to fit a terminal: the chat's notices, activity lines and `/help`, which a terminal
/// would otherwise break mid-word at its right margin ("/agent triage switches ba" / "ck.").
package enum WordWrap {
  /// `text` in lines of at most `width` columns (wide characters count two), broken at spaces.
  ///
  /// The spaces `text` starts with stay in front of its first line; the lines after it start with `indent`. A word
  /// wider than the room left stands alone on its line (the terminal breaks it; nothing is cut). Runs of spaces
  /// inside a line are kept.
  package static func lines(_ text: String, width: Int, indent: String = "") -> [String] {
    let lead = text.prefix { $0 == " " }
    var lines: [String] = []
    var line = String(lead)
    var used = lead.count
    var hasWord = false
    for word in text.dropFirst(lead.count).split(separator: " ", omittingEmptySubsequences: false) {
      let size = columns(of: word)
      if hasWord, used + 1 + size > width {
        while line.hasSuffix(" ") { line.removeLast() }  // spaces at a break are the break
        lines.append(line)
        line = indent
        used = columns(of: indent)
        hasWord = false
        if word.isEmpty { continue }
      }
      if hasWord {
        line += " "
        used += 1
      }
      line += word
      used += size
      hasWord = true
    }
    return lines + [line]
  }

  /// How many terminal columns `text` takes.
  static func columns(of text: some StringProtocol) -> Int {
    text.reduce(0) { $0 + StreamingMarkdown.columns($1) }
  }
}
