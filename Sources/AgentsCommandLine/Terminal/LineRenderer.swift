/// Draws the line being edited on one terminal row, scrolling horizontally when it is wider than
/// the screen, so redraws never depend on how the terminal wraps.
package enum LineRenderer {
  /// The bytes that redraw `prompt` and the editor's line, leaving the cursor at the editor's cursor.
  ///
  /// - Parameters:
  ///   - prompt: The prompt, possibly with ANSI codes.
  ///   - promptWidth: The prompt's visible width in columns.
  ///   - editor: The line and cursor.
  ///   - columns: The terminal width.
  package static func render(prompt: String, promptWidth: Int, editor: LineEditor, columns: Int) -> String {
    let available = max(columns - promptWidth - 1, 8)
    let characters = editor.characters
    var start = 0
    if editor.cursor > available { start = editor.cursor - available }
    let end = min(characters.count, start + available)
    var output = "\r" + prompt + oneRow(characters[start..<end]) + "\u{1B}[K"
    let back = end - editor.cursor
    if back > 0 { output += "\u{1B}[\(back)D" }
    return output
  }

  /// The bytes that draw a submitted line whole: the prompt and all of the text (wrapped by the terminal, so a
  /// message wider than the screen stays readable above its answer, not only the tail the editor last showed),
  /// then a line end.
  package static func submitted(prompt: String, text: String) -> String {
    "\r" + prompt + oneRow(Array(text)) + "\u{1B}[K\r\n"
  }

  /// A pasted line end shows as ↵ and a tab as a space, so the text is one logical row.
  private static func oneRow(_ characters: some Collection<Character>) -> String {
    String(characters.map { $0 == "\n" ? "↵" : $0 == "\t" ? " " : $0 })
  }

  /// The visible width of text that may contain ANSI escape sequences.
  package static func visibleWidth(_ text: String) -> Int {
    var width = 0
    var inEscape = false
    for scalar in text.unicodeScalars {
      if inEscape {
        if (0x40...0x7E).contains(scalar.value), scalar != "[" { inEscape = false }
      } else if scalar == "\u{1B}" {
        inEscape = true
      } else {
        width += 1
      }
    }
    return width
  }
}
