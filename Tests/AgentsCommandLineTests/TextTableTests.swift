import Testing

@testable import AgentsCommandLine

/// Tables as the utility commands and `/tools` print them.
@Suite struct TextTableTests {
  func table() -> TextTable {
    var table = TextTable(headers: ["TOOL", "FROM", "DESCRIPTION"])
    table.add([
      "transfer_to_math_tutor", "handoff", "Handoff to the Math Tutor agent to handle the request. Math: arithmetic.",
    ])
    table.add(["calculator", "built-in", "Evaluates an expression."])
    return table
  }

  @Test func columnsAlignWithoutTrailingSpaces() {
    let lines = table().render()
    #expect(lines[0] == "TOOL                    FROM      DESCRIPTION")
    #expect(lines[2] == "calculator              built-in  Evaluates an expression.")
  }

  @Test func aWidthCutsTheLastColumnSoNoLineWraps() {
    let lines = table().render(width: 80)
    #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines)")
    #expect(lines[1] == "transfer_to_math_tutor  handoff   Handoff to the Math Tutor agent to handle the…")
    #expect(lines[2] == "calculator              built-in  Evaluates an expression.", "short cells stay whole")
    #expect(table().render(width: 200) == table().render(), "a wide terminal changes nothing")
  }

  @Test func aVeryNarrowTerminalKeepsSomeOfTheLastColumn() {
    let lines = table().render(width: 30)
    #expect(lines[1].hasSuffix("  Handoff to the Math…"), "\(lines[1])")
    #expect(lines[1].count == 34 + TextTable.minimumLastColumn, "two columns and the spaces take 34")
  }
}
