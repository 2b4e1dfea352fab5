import Testing

@testable import AgentsCommandLine

/// Prose broken between words to fit a terminal.
@Suite struct WordWrapTests {
  @Test func linesBreakBetweenWordsAndALongWordStandsAlone() {
    #expect(WordWrap.lines("a bb ccc", width: 4) == ["a bb", "ccc"])
    #expect(WordWrap.lines("averyveryverylongword x", width: 5) == ["averyveryverylongword", "x"])
    #expect(WordWrap.lines("", width: 5) == [""])
    #expect(WordWrap.lines("fits as it is", width: 80) == ["fits as it is"])
  }

  @Test func leadingSpacesStayAndContinuationLinesTakeTheIndent() {
    let lines = WordWrap.lines("  → 12 * 3.5 = 42 and more words", width: 12, indent: "    ")
    #expect(lines == ["  → 12 * 3.5", "    = 42 and", "    more", "    words"])
    #expect(lines.allSatisfy { WordWrap.columns(of: $0) <= 12 })
  }

  @Test func wideCharactersCountTwoColumns() {
    // Each of these takes two columns: three fit in 7 columns with one space, not four.
    #expect(WordWrap.lines("日本 語で 書く", width: 7) == ["日本", "語で", "書く"])
    #expect(WordWrap.columns(of: "日本") == 4)
  }

  @Test func spacesInsideALineAreKeptAndABreakEatsItsSpaces() {
    #expect(WordWrap.lines(#"{"a":  "b"}"#, width: 40) == [#"{"a":  "b"}"#])
    #expect(WordWrap.lines("one   two", width: 4) == ["one", "two"])
  }
}
