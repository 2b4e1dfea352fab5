import Testing

@testable import AgentsCommandLine

/// Colours inside fenced code blocks: by language, never changing the code's characters, only with colour on.
struct CodeHighlighterTests {
  static let magenta = "\u{1B}[35m"
  static let green = "\u{1B}[32m"
  static let dim = "\u{1B}[2m"
  static let yellow = "\u{1B}[33m"
  static let reset = "\u{1B}[0m"

  static func highlight(_ lines: [String], fence: String) -> [String] {
    guard var highlighter = CodeHighlighter(fenceInfo: fence) else { return [] }
    return lines.map { highlighter.highlight($0, style: TextStyle(enabled: true)) }
  }

  /// The text without this program's colour codes.
  static func plain(_ text: String) -> String { text.replacing(/\u{1B}\[[0-9;]*m/, with: "") }

  @Test func keywordsStringsCommentsAndNumbersGetTheirColours() throws {
    let line = try #require(Self.highlight([#"let name = "swift" // 42 things"#, "return 42"], fence: "swift").first)
    #expect(line.hasPrefix(Self.magenta + "let" + Self.reset + " name = "))
    #expect(line.contains(Self.green + #""swift""# + Self.reset))
    #expect(line.hasSuffix(Self.dim + "// 42 things" + Self.reset), "a number inside a comment stays comment")
    #expect(Self.highlight(["x = 42"], fence: "python") == ["x = " + Self.yellow + "42" + Self.reset])
  }

  @Test func theCodeItselfIsNeverChanged() {
    let lines = [
      #"def f(x):  # it's "quoted" here"#, #"    return 'a\'b' + "c" if x else None"#, "print(f(3.14), v2_name)",
      "unterminated = \"open string", "",
    ]
    #expect(Self.highlight(lines, fence: "python").map(Self.plain) == lines)
  }

  @Test func aBlockCommentCarriesAcrossLines() {
    let lines = Self.highlight(["/* start", "still comment func", "end */ func f() {}"], fence: "go")
    #expect(lines[1] == Self.dim + "still comment func" + Self.reset)
    #expect(lines[2].hasPrefix(Self.dim + "end */" + Self.reset + " " + Self.magenta + "func" + Self.reset))
  }

  @Test func identifiersContainingKeywordsAndDigitsAreNotSplit() {
    let line = Self.highlight(["letter2 = format(value3)"], fence: "swift")[0]
    #expect(line == "letter2 = format(value3)")
  }

  @Test func shellHashIsACommentOnlyAfterSpace() {
    #expect(Self.highlight(["echo $# done # note"], fence: "bash")[0].hasSuffix(Self.dim + "# note" + Self.reset))
    #expect(!Self.highlight(["echo $# done"], fence: "sh")[0].contains(Self.dim))
  }

  @Test func languagesAreKnownByTheirUsualFenceNames() {
    for name in [
      "swift", "py", "Python", "js", "ts", "bash", "sh", "rust", "go", "cpp", "java", "sql", "json", "yaml",
      "python {.numberLines}",
    ] {
      #expect(CodeHighlighter(fenceInfo: name) != nil, "\(name)")
    }
    #expect(CodeHighlighter(fenceInfo: "") == nil)
    #expect(CodeHighlighter(fenceInfo: "brainfuck") == nil)
  }

  @Test func sqlKeywordsMatchInAnyCase() {
    #expect(Self.highlight(["SELECT name from t"], fence: "sql")[0].hasPrefix(Self.magenta + "SELECT" + Self.reset))
  }

  @Test func inAnAnswerKnownLanguagesAreColouredAndOthersStayPlainCode() {
    let swift = StreamingMarkdownTests.render(["```swift\nlet x = 1\n```\n"], width: 40, color: true)
    #expect(swift.contains(Self.magenta + "let" + Self.reset))
    let unknown = StreamingMarkdownTests.render(["```\nlet x = 1\n```\n"], width: 40, color: true)
    #expect(unknown.contains("\u{1B}[36mlet x = 1" + Self.reset), "no language: the plain code colour")
    let noColour = StreamingMarkdownTests.render(["```swift\nlet x = \"1\" // c\n```\n"], width: 40)
    #expect(noColour == "│ let x = \"1\" // c\n")
  }

  @Test func theTerminalLetsEveryColourOfTheHighlighterThrough() {
    // The console passes only this program's own styles; each one the highlighter uses must be among them.
    let style = TextStyle(enabled: true)
    for styled in [style.magenta("kw"), style.green("s"), style.dim("c"), style.yellow("1"), style.cyan("x")] {
      var sanitizer = TerminalSanitizer(.init(allowsStyles: true))
      #expect(sanitizer.sanitize(styled) == styled)
    }
  }
}
