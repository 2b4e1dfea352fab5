/// Renders an answer's Markdown for a terminal while it streams: words wrap at the terminal width (never inside a
/// word), headings are bold, `**strong**` bold, `*emphasis*` italic, `` `code` `` cyan, list items get a bullet and a
/// hanging indent, block quotes a dim bar, and fenced code blocks are set apart by a dim gutter, never wrapped, and
/// coloured by ``CodeHighlighter`` when their fence names a language it knows.
///
/// Text is fed in chunks as they arrive; a word is written as soon as the space or newline after it arrives (code
/// lines when their newline arrives), so the answer appears word by word. Input is first stripped of every control
/// sequence, so only this renderer's own styles reach the terminal. With ``Configuration/markdown`` off the text is
/// only wrapped.
package struct StreamingMarkdown: Sendable {
  /// How answers are laid out.
  package struct Configuration: Sendable, Hashable {
    /// The terminal width in columns; words wrap before it.
    package var width: Int
    /// The styles; off means no escape codes at all (markers are still removed).
    package var style: TextStyle
    /// Whether Markdown is rendered (otherwise the text is only wrapped).
    package var markdown: Bool

    /// Creates a configuration.
    package init(width: Int, style: TextStyle, markdown: Bool = true) {
      self.width = max(width, 20)
      self.style = style
      self.markdown = markdown
    }
  }

  /// Inline styles open at the current position.
  private struct Inline: Hashable {
    var strong = false
    var emphasis = false
    var code = false
  }

  /// What kind of block the current line belongs to.
  private enum Block: Equatable {
    case paragraph
    case heading
    case code
    case table
  }

  private let configuration: Configuration
  private var sanitizer = TerminalSanitizer(.init(allowsStyles: false))
  /// The raw characters of the word (or, at the start of a line, the line's opening) not yet written.
  private var word = ""
  /// The current line's raw text so far inside a code block (written when the line ends).
  private var codeLine = ""
  private var atLineStart = true
  private var inCodeBlock = false
  /// Whether the rest of an opening fence's line (its language) is being read.
  private var inFenceInfo = false
  /// Colours for the open code block's lines, when its fence names a language the highlighter knows.
  private var highlighter: CodeHighlighter?
  private var block = Block.paragraph
  /// The visible column of the cursor.
  private var column = 0
  /// Columns that wrapped lines of the current block start at (a list item's text, a quote's bar).
  private var indent = ""
  private var indentWidth = 0
  private var pendingSpace = false
  private var inline = Inline()

  /// Creates a renderer.
  package init(_ configuration: Configuration) { self.configuration = configuration }

  /// Takes the next chunk of the answer and returns what to write now.
  package mutating func feed(_ chunk: String) -> String {
    var output = ""
    for character in sanitizer.sanitize(chunk) {
      output += take(character)
    }
    return output
  }

  /// Writes whatever is held back (the last word, an unfinished code line) and closes open styles.
  package mutating func finish() -> String {
    var output = ""
    if inCodeBlock {
      // The closing fence often ends the answer without a newline.
      if !codeLine.isEmpty, !inFenceInfo, !codeLine.trimmingWhitespace().hasPrefix("```") {
        output += codeLineText(codeLine)
      }
      codeLine = ""
    } else if !(column == 0 && word.allSatisfy(\.isWhitespace)) {
      output += flushWord(endingLine: true)
    } else {
      word = ""
    }
    return output
  }

  /// Whether the cursor is at the start of a line.
  package var isAtLineStart: Bool { column == 0 && word.isEmpty && codeLine.isEmpty }

  // MARK: - Characters

  private mutating func take(_ character: Character) -> String {
    if inCodeBlock {
      guard character == "\n" else {
        codeLine.append(character)
        return ""
      }
      defer { codeLine = "" }
      if inFenceInfo {
        inFenceInfo = false
        highlighter = CodeHighlighter(fenceInfo: codeLine.trimmingWhitespace())
        return ""
      }
      if codeLine.trimmingWhitespace().hasPrefix("```") {
        inCodeBlock = false
        atLineStart = true
        column = 0
        return ""
      }
      return codeLineText(codeLine)
    }
    switch character {
    case "\n":
      return flushWord(endingLine: true)
    case " ", "\t":
      if atLineStart, word.allSatisfy(\.isWhitespace) {
        word.append(character)  // leading indentation (nested list items)
        return ""
      }
      let output = flushWord(endingLine: false)
      pendingSpace = column > indentWidth
      return output
    default:
      word.append(character)
      // A fence is known by its first three characters; the rest of its line (the language) is skipped.
      if atLineStart, configuration.markdown, word.trimmingWhitespace() == "```" {
        word = ""
        inCodeBlock = true
        inFenceInfo = true
        return startFence()
      }
      return ""
    }
  }

  // MARK: - Blocks

  /// Writes the pending word; at the start of a line it first decides what the line is.
  private mutating func flushWord(endingLine: Bool) -> String {
    var output = ""
    if atLineStart {
      output += startLine(endingLine: endingLine)
    }
    if !word.isEmpty, !word.allSatisfy(\.isWhitespace) {
      output += place(render(word))
      word = ""
    }
    if endingLine {
      output += closeStyles() + "\n"
      column = 0
      pendingSpace = false
      atLineStart = true
      if block != .code { block = .paragraph }
      indent = ""
      indentWidth = 0
      inline = Inline()
    }
    return output
  }

  /// Classifies a line by its first word (heading, list item, quote, rule, table) and writes its marker.
  private mutating func startLine(endingLine: Bool) -> String {
    atLineStart = false
    let leading = String(word.prefix(while: \.isWhitespace))
    let first = String(word.dropFirst(leading.count))
    guard configuration.markdown else { return "" }
    let style = configuration.style
    let nesting = String(repeating: " ", count: min(leading.count, 8))
    if first.count <= 6, !first.isEmpty, first.allSatisfy({ $0 == "#" }), !endingLine {
      word = ""
      block = .heading
      return ""
    }
    if ["-", "*", "+"].contains(first), !endingLine {
      word = ""
      return setIndent(nesting, marker: "• ", styled: style.cyan("•") + " ")
    }
    if first.count >= 2, first.count <= 4, first.last == ".", first.dropLast().allSatisfy(\.isNumber), !endingLine {
      word = ""
      return setIndent(nesting, marker: first + " ", styled: style.cyan(first) + " ")
    }
    if first == ">" {
      word = ""
      return setIndent(nesting, marker: "│ ", styled: style.dim("│") + " ")
    }
    if endingLine, first.count >= 3, Set(first).count == 1, ["-", "*", "_"].contains(first.first) {
      word = ""
      let rule = String(repeating: "─", count: min(configuration.width, 40))
      column = rule.count
      return nesting + style.dim(rule)
    }
    if first.hasPrefix("|") {
      block = .table
    }
    // An indented line (a list item's continuation) keeps its indentation on the lines it wraps to.
    if !nesting.isEmpty, block != .table {
      word = first
      indent = nesting
      indentWidth = nesting.count
      column = indentWidth
      return nesting
    }
    return ""
  }

  private mutating func setIndent(_ nesting: String, marker: String, styled: String) -> String {
    indent = nesting + String(repeating: " ", count: marker.count)
    indentWidth = indent.count
    column = indentWidth
    return nesting + styled
  }

  private mutating func startFence() -> String {
    var output = ""
    if column > 0 { output += closeStyles() + "\n" }
    column = 0
    atLineStart = false
    return output
  }

  private mutating func codeLineText(_ line: String) -> String {
    let style = configuration.style
    let code = line.replacing("\t", with: "    ")
    var coloured = style.cyan(code)
    if var current = highlighter {
      coloured = current.highlight(code, style: style)
      highlighter = current
    }
    return style.dim("│") + " " + coloured + "\n"
  }

  // MARK: - Words

  /// A word's visible text and its styled text.
  private struct Rendered {
    var text = ""
    var width = 0
  }

  /// Places a rendered word on the line, wrapping first when it does not fit.
  private mutating func place(_ rendered: Rendered) -> String {
    guard rendered.width > 0 || !rendered.text.isEmpty else { return "" }
    var output = ""
    let width = configuration.width
    let space = pendingSpace ? 1 : 0
    if block != .table, column > indentWidth, column + space + rendered.width > width {
      output += closeStyles() + "\n" + indent + openStyles()
      column = indentWidth
    } else if pendingSpace {
      output += " "
      column += 1
    }
    pendingSpace = false
    output += rendered.text
    column += rendered.width
    return output
  }

  /// Turns a raw word into styled text, following `**`, `__`, `*`, `_` and backticks.
  private mutating func render(_ raw: String) -> Rendered {
    var rendered = Rendered()
    guard configuration.markdown else {
      rendered.text = raw
      rendered.width = raw.reduce(0) { $0 + Self.columns($1) }
      return rendered
    }
    let characters = Array(raw)
    // A word of markers only ("*", "**", "_") is text: "2 * 3".
    if characters.allSatisfy({ $0 == "*" || $0 == "_" }) {
      rendered.text = raw
      rendered.width = characters.count
      return rendered
    }
    var index = 0
    if block == .heading, inline == Inline() { rendered.text += headingStyle() }
    while index < characters.count {
      let character = characters[index]
      let next = index + 1 < characters.count ? characters[index + 1] : nil
      if character == "`" {
        inline.code.toggle()
        rendered.text += restyle()
        index += 1
        continue
      }
      if !inline.code, character == "*" || character == "_" {
        if next == character {
          inline.strong.toggle()
          rendered.text += restyle()
          index += 2
          continue
        }
        // A single `*` or `_` inside a word (snake_case, 3*4) stays; at a word's edge it is emphasis.
        let previous = index > 0 ? characters[index - 1] : " "
        let atEdge = index == 0 || index == characters.count - 1 || !(previous.isLetter || previous.isNumber)
        if atEdge {
          inline.emphasis.toggle()
          rendered.text += restyle()
          index += 1
          continue
        }
      }
      rendered.text.append(character)
      rendered.width += Self.columns(character)
      index += 1
    }
    return rendered
  }

  private func headingStyle() -> String {
    configuration.style.enabled ? "\u{1B}[1m" : ""
  }

  /// The escape codes for the open inline styles (after a reset).
  private func openStyles() -> String {
    guard configuration.style.enabled else { return "" }
    var codes: [String] = []
    if inline.strong || block == .heading { codes.append("1") }
    if inline.emphasis { codes.append("3") }
    if inline.code { codes.append("36") }
    return codes.isEmpty ? "" : "\u{1B}[" + codes.joined(separator: ";") + "m"
  }

  private func restyle() -> String {
    guard configuration.style.enabled else { return "" }
    return "\u{1B}[0m" + openStyles()
  }

  private func closeStyles() -> String {
    guard configuration.style.enabled, inline != Inline() || block == .heading else { return "" }
    return "\u{1B}[0m"
  }

  /// How many columns a character takes: two for wide East Asian characters and emoji, else one.
  static func columns(_ character: Character) -> Int {
    guard let scalar = character.unicodeScalars.first else { return 0 }
    switch scalar.value {
    case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
      return 2
    default:
      return 1
    }
  }
}
