import Testing
import TestSupport

@testable import AgentsCommandLine

/// The terminal layout of answers: word wrap, Markdown, streaming in arbitrary chunks, and no foreign escapes.
struct StreamingMarkdownTests {
  static func render(
    _ chunks: [String], width: Int = 40, color: Bool = false, markdown: Bool = true
  ) -> String {
    var renderer = StreamingMarkdown(.init(width: width, style: TextStyle(enabled: color), markdown: markdown))
    var output = ""
    for chunk in chunks { output += renderer.feed(chunk) }
    return output + renderer.finish()
  }

  static let prose =
    "The quick brown fox jumps over the lazy dog, and then it runs far away into the forest where nobody can see it."

  @Test func wrapsAtTheWidthWithoutBreakingWords() {
    let output = Self.render([Self.prose], width: 30)
    let lines = output.split(separator: "\n")
    #expect(lines.count >= 4)
    for line in lines { #expect(line.count <= 30, "\(line)") }
    // Every word survives whole, in order.
    #expect(output.split(whereSeparator: \.isWhitespace).joined(separator: " ") == Self.prose)
  }

  @Test func chunksSplitAnywhereRenderTheSameAsTheWholeText() {
    let text =
      "# Title\n\nSome **bold** and *em* text with `code`.\n\n- one item that is long enough to wrap\n- two\n\n```swift\nlet x = 1\n```\nafter\n"
    let whole = Self.render([text], width: 24)
    var generator = SeededGenerator(seed: 7)
    for _ in 0..<20 {
      var chunks: [String] = []
      var rest = Substring(text)
      while !rest.isEmpty {
        let size = Int(generator.next() % 5) + 1
        chunks.append(String(rest.prefix(size)))
        rest = rest.dropFirst(size)
      }
      #expect(Self.render(chunks, width: 24) == whole)
    }
  }

  @Test func markdownIsRenderedAndItsMarkersRemoved() {
    let output = Self.render(["# Heading\nSome **strong** and _emphasis_ and `a_b` here.\n"], width: 80)
    #expect(output == "Heading\nSome strong and emphasis and a_b here.\n")
    let colored = Self.render(["# Heading\nSome **strong** text\n"], width: 80, color: true)
    #expect(colored.contains("\u{1B}[1mHeading"))
    #expect(colored.contains("\u{1B}[1mstrong"))
  }

  @Test func snakeCaseArithmeticAndLoneStarsStayText() {
    #expect(Self.render(["use my_var_name and 3*4 and 2 * 3\n"], width: 80) == "use my_var_name and 3*4 and 2 * 3\n")
  }

  @Test func listItemsGetBulletsAndAHangingIndent() {
    let output = Self.render(["- first item with several words in it\n2. second\n"], width: 20)
    let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines[0].hasPrefix("• first item"))
    #expect(lines[1].hasPrefix("  "), "a wrapped item continues under its text: \(lines)")
    #expect(lines.contains { $0.hasPrefix("2. second") })
  }

  @Test func indentedLinesKeepTheirIndentationWhenWrapped() {
    let output = Self.render(["1. First step:\n   we need to calculate the value of this expression here\n"], width: 30)
    let lines = output.split(separator: "\n").map(String.init)
    #expect(lines.count == 4, "\(lines)")
    #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("   ") && !$0.hasPrefix("    ") }, "\(lines)")
  }

  @Test func codeBlocksAreSetApartAndNeverWrapped() {
    let code = "let averyveryverylongidentifier = computeSomethingQuiteLong(argument: 1)"
    let output = Self.render(["Look:\n```swift\n\(code)\n```\nDone.\n"], width: 30)
    #expect(output == "Look:\n│ \(code)\nDone.\n")
    // A closing fence at the very end of an answer, without a newline, is not shown as code.
    #expect(Self.render(["```\nlet y = 2\n```"], width: 30) == "│ let y = 2\n")
  }

  @Test func plainModeOnlyWraps() {
    let output = Self.render(["# Not a heading **kept**\n"], width: 80, markdown: false)
    #expect(output == "# Not a heading **kept**\n")
  }

  @Test func controlSequencesFromTheModelNeverPass() {
    let output = Self.render(
      ["safe \u{1B}[2J\u{1B}]0;title\u{07}text \u{1B}[1mfake\u{1B}[0m\n"], width: 80, color: true)
    #expect(!output.contains("\u{1B}[2J"))
    #expect(!output.contains("\u{1B}]0"))
    #expect(!output.contains("\u{1B}[1mfake"), "the model's own bold is not passed through")
    #expect(output.contains("safe text fake"))
  }

  @Test func wideCharactersCountTwoColumns() {
    let output = Self.render(["日本語 日本語 日本語 日本語\n"], width: 20)
    for line in output.split(separator: "\n") {
      #expect(line.reduce(0) { $0 + StreamingMarkdown.columns($1) } <= 20)
    }
  }
}
