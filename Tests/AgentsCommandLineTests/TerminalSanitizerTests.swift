import Testing

@testable import AgentsCommandLine

/// `TerminalSanitizer`: what untrusted text may put on a terminal, whole and streamed in any chunking.
@Suite struct TerminalSanitizerTests {
  /// Escape sequences a hostile server might send, each with what must remain of the text around it.
  static let attacks: [(name: String, input: String, expected: String)] = [
    ("window title (OSC 0, BEL)", "a\u{1B}]0;pwned\u{07}b", "ab"),
    ("clipboard write (OSC 52, ST)", "a\u{1B}]52;c;cm0gLXJmIH4=\u{1B}\\b", "ab"),
    ("clear screen and home", "a\u{1B}[2J\u{1B}[Hb", "ab"),
    ("cursor movement", "a\u{1B}[10;10fb\u{1B}[3Ac", "abc"),
    ("conceal (SGR 8)", "a\u{1B}[8msecret\u{1B}[0m", "asecret"),
    ("C1 CSI and OSC", "a\u{9B}2Jb\u{9D}0;x\u{9C}c", "abc"),
    ("DCS and APC strings", "a\u{1B}Pq#0;2;0;0;0\u{1B}\\b\u{1B}_apc\u{1B}\\c", "abc"),
    ("charset switch", "a\u{1B}(0b\u{1B}c", "ab"),
    ("bell, backspace, NUL, DEL", "a\u{07}\u{08}\u{00}\u{7F}b", "ab"),
    ("carriage return overwriting", "safe\rrm -rf ~\r\n", "saferm -rf ~\n"),
    ("unterminated OSC ends at the newline", "a\u{1B}]0;never ends\nvisible", "a\nvisible"),
    ("newlines, tabs, Unicode and emoji pass", "x\ty\nπ ≠ 3 — 東京 👍🏽", "x\ty\nπ ≠ 3 — 東京 👍🏽"),
  ]

  @Test(arguments: 0..<attacks.count)
  func removesEscapeSequencesWhole(_ index: Int) {
    let attack = Self.attacks[index]
    #expect(TerminalSanitizer.sanitize(attack.input) == attack.expected, "\(attack.name)")
  }

  /// A streamed answer can split a sequence anywhere (the model's tokens, SSE chunks): every split point, and
  /// one scalar per chunk, give the same output as the whole text.
  @Test(arguments: 0..<attacks.count)
  func removesSequencesSplitAcrossChunks(_ index: Int) {
    let attack = Self.attacks[index]
    let scalars = Array(attack.input.unicodeScalars)
    for split in 0...scalars.count {
      var sanitizer = TerminalSanitizer()
      let output = sanitizer.sanitize(Self.string(scalars[..<split])) + sanitizer.sanitize(Self.string(scalars[split...]))
      #expect(output == attack.expected, "\(attack.name), split at \(split)")
    }
    var sanitizer = TerminalSanitizer()
    let perScalar = scalars.map { sanitizer.sanitize(Self.string([$0][...])) }.joined()
    #expect(perScalar == attack.expected, "\(attack.name), one scalar per chunk")
  }

  @Test func letsOnlyThisProgramsStylesThroughWhenColourIsOn() {
    let style = TextStyle(enabled: true)
    let styled = style.bold("agent") + " " + style.dim("note") + style.red("error") + style.cyan("tool")
    #expect(TerminalSanitizer.sanitize(styled, allowsStyles: true) == styled)
    #expect(TerminalSanitizer.sanitize(styled, allowsStyles: false) == "agent noteerrortool")
    // Styles this program never uses are removed even with colour on.
    #expect(TerminalSanitizer.sanitize("\u{1B}[8mx\u{1B}[5;38;5;196my", allowsStyles: true) == "xy")
  }

  @Test func anUnterminatedStringCannotSwallowTheRestOfTheOutput() {
    var sanitizer = TerminalSanitizer()
    #expect(sanitizer.sanitize("answer\u{1B}]52;c;AAAA") == "answer")
    #expect(sanitizer.sanitize("AAAA\nnext line") == "\nnext line")
    // Without a newline, the string ends after a bounded length; what follows is plain text again.
    var long = TerminalSanitizer()
    let output = long.sanitize("answer\u{1B}]52;c;" + String(repeating: "A", count: 10_000)) + long.sanitize("after")
    #expect(output.hasPrefix("answerAAA") && output.hasSuffix("after"))
    #expect(output.count < 10_000 - 4000)
  }

  @Test func theConsoleSanitisesEverythingAndKeepsStateBetweenWrites() {
    let out = CapturingSink()
    let err = CapturingSink()
    let console = Console(out: out, err: err, style: TextStyle(enabled: false), interactive: true)
    console.out.write("a\u{1B}")
    console.out.write("]0;title\u{07}b")
    console.error(AppError(.runFailed, "server said \u{1B}[2Jhi"))
    console.redrawLine("50%\u{1B}[H", onErr: true)
    #expect(out.text == "ab")
    #expect(err.text == "agents: error: server said hi\n\r\u{1B}[K50%")
  }

  static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
    var text = ""
    text.unicodeScalars.append(contentsOf: scalars)
    return text
  }
}
