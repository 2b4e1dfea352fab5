/// The editing state of one input line with history: a pure value that applies key presses, so the
/// editing rules are tested without a terminal.
package struct LineEditor: Sendable {
  /// What a key press did to the line.
  package enum Outcome: Sendable, Equatable {
    /// The line changed or the cursor moved; redraw it.
    case edited
    /// Enter: the line is complete.
    case submitted(String)
    /// Ctrl-C: abandon the line (`wasEmpty` tells whether the line was empty).
    case interrupted(wasEmpty: Bool)
    /// Ctrl-D on an empty line: end of input.
    case endOfInput
    /// Ctrl-L: clear the screen, then redraw.
    case clearScreen
    /// Nothing happened (for example Left at the start of the line).
    case unchanged
  }

  /// The characters of the line being edited.
  package private(set) var characters: [Character] = []
  /// The cursor position, from 0 (before the first character) to `characters.count`.
  package private(set) var cursor = 0
  /// Earlier lines, oldest first.
  package private(set) var history: [String]
  /// The most lines kept in history.
  package let historyLimit: Int
  private var historyIndex: Int?
  private var draft: [Character] = []

  /// Creates an editor with earlier lines to recall.
  package init(history: [String] = [], historyLimit: Int = 500) {
    self.historyLimit = historyLimit
    self.history = Array(history.suffix(historyLimit))
  }

  /// The current line.
  package var text: String { String(characters) }

  /// Starts a new, empty line.
  package mutating func reset() {
    characters = []
    cursor = 0
    historyIndex = nil
    draft = []
  }

  /// Adds a submitted line to history (skipping blanks and immediate repeats).
  package mutating func remember(_ line: String) {
    guard !line.trimmingWhitespace().isEmpty, history.last != line else { return }
    history.append(line)
    if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
  }

  /// Applies one key press.
  package mutating func apply(_ key: KeyPress) -> Outcome {
    switch key {
    case .character(let character):
      characters.insert(character, at: cursor)
      cursor += 1
      return .edited
    case .paste(let text):
      guard !text.isEmpty else { return .unchanged }
      characters.insert(contentsOf: text, at: cursor)
      cursor += text.count
      return .edited
    case .tab:
      return apply(.character(" "))
    case .enter:
      let line = text
      remember(line)
      reset()
      return .submitted(line)
    case .backspace:
      guard cursor > 0 else { return .unchanged }
      cursor -= 1
      characters.remove(at: cursor)
      return .edited
    case .delete:
      guard cursor < characters.count else { return .unchanged }
      characters.remove(at: cursor)
      return .edited
    case .left:
      return move(to: cursor - 1)
    case .right:
      return move(to: cursor + 1)
    case .home:
      return move(to: 0)
    case .end:
      return move(to: characters.count)
    case .wordLeft:
      return move(to: previousWordStart())
    case .wordRight:
      return move(to: nextWordEnd())
    case .up:
      return recall(offset: -1)
    case .down:
      return recall(offset: 1)
    case .killToStart:
      guard cursor > 0 else { return .unchanged }
      characters.removeSubrange(0..<cursor)
      cursor = 0
      return .edited
    case .killToEnd:
      guard cursor < characters.count else { return .unchanged }
      characters.removeSubrange(cursor...)
      return .edited
    case .deleteWord:
      let start = previousWordStart()
      guard start < cursor else { return .unchanged }
      characters.removeSubrange(start..<cursor)
      cursor = start
      return .edited
    case .interrupt:
      let wasEmpty = characters.isEmpty
      reset()
      return .interrupted(wasEmpty: wasEmpty)
    case .endOfFile:
      if characters.isEmpty { return .endOfInput }
      return apply(.delete)
    case .clearScreen:
      return .clearScreen
    case .ignored:
      return .unchanged
    }
  }

  private mutating func move(to position: Int) -> Outcome {
    let clamped = min(max(position, 0), characters.count)
    guard clamped != cursor else { return .unchanged }
    cursor = clamped
    return .edited
  }

  private mutating func recall(offset: Int) -> Outcome {
    guard !history.isEmpty else { return .unchanged }
    let current = historyIndex ?? history.count
    let target = min(max(current + offset, 0), history.count)
    guard target != current else { return .unchanged }
    if historyIndex == nil { draft = characters }
    if target == history.count {
      characters = draft
      historyIndex = nil
    } else {
      characters = Array(history[target])
      historyIndex = target
    }
    cursor = characters.count
    return .edited
  }

  private func previousWordStart() -> Int {
    var index = cursor
    while index > 0, characters[index - 1].isWhitespace { index -= 1 }
    while index > 0, !characters[index - 1].isWhitespace { index -= 1 }
    return index
  }

  private func nextWordEnd() -> Int {
    var index = cursor
    while index < characters.count, characters[index].isWhitespace { index += 1 }
    while index < characters.count, !characters[index].isWhitespace { index += 1 }
    return index
  }
}
