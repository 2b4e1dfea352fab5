import Foundation
import Testing

@testable import AgentsCommandLine

@Suite struct KeyDecoderTests {
  @Test func decodesTextControlKeysAndEscapeSequences() {
    var decoder = KeyDecoder()
    let keys = decoder.decode(Array("hé".utf8) + [0x1B, 0x5B, 0x41, 0x1B, 0x4F, 0x44, 0x1B, 0x5B, 0x33, 0x7E, 0x7F, 0x03, 0x04, 0x0D])
    #expect(keys == [.character("h"), .character("é"), .up, .left, .delete, .backspace, .interrupt, .endOfFile, .enter])
  }

  @Test func carriesPartialSequencesAcrossReads() {
    var decoder = KeyDecoder()
    #expect(decoder.decode([0x1B]).isEmpty)
    #expect(decoder.hasPending)
    #expect(decoder.decode([0x5B, 0x31, 0x3B]).isEmpty)
    #expect(decoder.decode([0x35, 0x43]) == [.wordRight])
    let euro = Array("€".utf8)
    #expect(decoder.decode(euro.prefix(2)).isEmpty)
    #expect(decoder.decode(euro.suffix(1)) == [.character("€")])
    #expect(!decoder.hasPending)
  }

  @Test func flushesALoneEscape() {
    var decoder = KeyDecoder()
    #expect(decoder.decode([0x1B]).isEmpty)
    #expect(decoder.flush() == [.ignored])
    #expect(decoder.decode(Array("a".utf8)) == [.character("a")])
  }

  @Test func aBracketedPasteIsOnePieceEvenWhenSplitAcrossReads() {
    var decoder = KeyDecoder()
    let bytes = Array("x\u{1B}[200~one\r\ntwo\rthree\u{03}\u{1B}[201~y".utf8)
    // Every split point: the paste's markers and text may arrive in any pieces.
    for split in 1..<bytes.count {
      var keys = decoder.decode(bytes[..<split])
      keys += decoder.decode(bytes[split...])
      #expect(keys == [.character("x"), .paste("one\ntwo\nthree"), .character("y")], "split at \(split)")
      #expect(!decoder.hasPending)
    }
  }

  @Test func decodesHomeEndVariants() {
    var decoder = KeyDecoder()
    let sequences: [[UInt8]] = [[0x1B, 0x5B, 0x48], [0x1B, 0x5B, 0x31, 0x7E], [0x1B, 0x4F, 0x46], [0x1B, 0x5B, 0x34, 0x7E], [0x01], [0x05]]
    #expect(sequences.flatMap { decoder.decode($0) } == [.home, .home, .end, .end, .home, .end])
  }
}

@Suite struct LineEditorTests {
  func type(_ text: String, into editor: inout LineEditor) {
    for character in text { _ = editor.apply(.character(character)) }
  }

  @Test func editsInTheMiddleOfTheLine() {
    var editor = LineEditor()
    type("helo", into: &editor)
    _ = editor.apply(.left)
    type("l", into: &editor)
    #expect(editor.text == "hello")
    _ = editor.apply(.home)
    _ = editor.apply(.delete)
    type("H", into: &editor)
    _ = editor.apply(.end)
    type(" world", into: &editor)
    _ = editor.apply(.deleteWord)
    #expect(editor.text == "Hello ")
    _ = editor.apply(.backspace)
    #expect(editor.apply(.enter) == .submitted("Hello"))
    #expect(editor.text == "")
  }

  @Test func killsToStartAndEnd() {
    var editor = LineEditor()
    type("abc def", into: &editor)
    for _ in 0..<3 { _ = editor.apply(.left) }
    _ = editor.apply(.killToEnd)
    #expect(editor.text == "abc ")
    _ = editor.apply(.killToStart)
    #expect(editor.text == "")
    #expect(editor.apply(.backspace) == .unchanged)
  }

  @Test func recallsHistoryWithArrowsAndKeepsTheDraft() {
    var editor = LineEditor(history: ["first", "second"])
    type("draft", into: &editor)
    _ = editor.apply(.up)
    #expect(editor.text == "second")
    _ = editor.apply(.up)
    #expect(editor.text == "first")
    #expect(editor.apply(.up) == .unchanged)
    _ = editor.apply(.down)
    _ = editor.apply(.down)
    #expect(editor.text == "draft")
    #expect(editor.cursor == 5)
  }

  @Test func remembersSubmittedLinesWithoutRepeatsOrBlanks() {
    var editor = LineEditor(historyLimit: 2)
    for line in ["a", "a", "  ", "b", "c"] {
      type(line, into: &editor)
      _ = editor.apply(.enter)
    }
    #expect(editor.history == ["b", "c"])
  }

  @Test func interruptAndEndOfInput() {
    var editor = LineEditor()
    #expect(editor.apply(.interrupt) == .interrupted(wasEmpty: true))
    type("x", into: &editor)
    #expect(editor.apply(.interrupt) == .interrupted(wasEmpty: false))
    #expect(editor.text == "")
    #expect(editor.apply(.endOfFile) == .endOfInput)
    type("ab", into: &editor)
    _ = editor.apply(.home)
    #expect(editor.apply(.endOfFile) == .edited)
    #expect(editor.text == "b")
  }

  @Test func rendersWithHorizontalScrolling() {
    var editor = LineEditor()
    type("hello", into: &editor)
    _ = editor.apply(.left)
    _ = editor.apply(.left)
    #expect(LineRenderer.render(prompt: "> ", promptWidth: 2, editor: editor, columns: 80) == "\r> hello\u{1B}[K\u{1B}[2D")
    var long = LineEditor()
    type(String(repeating: "x", count: 30) + "END", into: &long)
    let drawn = LineRenderer.render(prompt: "> ", promptWidth: 2, editor: long, columns: 20)
    #expect(drawn == "\r> " + String(repeating: "x", count: 14) + "END\u{1B}[K")
    #expect(LineRenderer.visibleWidth("\u{1B}[1m>>\u{1B}[0m ") == 3)
  }

  @Test func aSubmittedLineIsDrawnWholeForTheTerminalToWrap() {
    let text = String(repeating: "x", count: 30) + "\nEND\tok"
    #expect(LineRenderer.submitted(prompt: "> ", text: text) == "\r> " + String(repeating: "x", count: 30) + "↵END ok\u{1B}[K\r\n")
  }
}

@Suite struct TerminalCapabilitiesTests {
  @Test func colourNeedsATerminalAndRespectsNoColor() {
    #expect(TerminalCapabilities.colorAllowed(outputIsTerminal: true, environment: [:]))
    #expect(!TerminalCapabilities.colorAllowed(outputIsTerminal: false, environment: [:]))
    #expect(!TerminalCapabilities.colorAllowed(outputIsTerminal: true, environment: ["NO_COLOR": "1"]))
    #expect(TerminalCapabilities.colorAllowed(outputIsTerminal: true, environment: ["NO_COLOR": ""]))
    #expect(!TerminalCapabilities.colorAllowed(outputIsTerminal: true, environment: ["TERM": "dumb"]))
    #expect(TextStyle(enabled: false).red("x") == "x")
    #expect(TextStyle(enabled: true).red("x") == "\u{1B}[31mx\u{1B}[0m")
  }
}

@Suite struct StreamLineInputTests {
  @Test func readsLinesFromAPipeIncludingALastUnterminatedLine() async throws {
    let pipe = Pipe()
    let input = StreamLineInput(descriptor: pipe.fileHandleForReading.fileDescriptor)
    try pipe.fileHandleForWriting.write(contentsOf: Data("one\r\n/agent math\n\nlast".utf8))
    try pipe.fileHandleForWriting.close()
    var events: [InputEvent] = []
    for _ in 0..<5 { events.append(await input.readLine(prompt: "> ")) }
    #expect(events == [.line("one"), .line("/agent math"), .line(""), .line("last"), .end])
  }
}
