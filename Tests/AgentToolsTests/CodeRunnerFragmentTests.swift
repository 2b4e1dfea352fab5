import Testing

@testable import AgentTools

/// A pasted fragment (code that uses names it does not define) is run with example definitions where its use of
/// the names shows what they are, and otherwise the report asks for definitions (``CodeRunner/runFillingIn``).
@Suite(.enabled(if: CodeRunner().interpreters[.python] != nil, "python3 is not installed"))
struct CodeRunnerFragmentTests {
  let runner = CodeRunner(configuration: .init(timeLimit: 60, outputLimit: 1000))

  @Test func aListUseGetsAListAndTheRealErrorShows() async {
    let report = await runner.runFillingIn("for i in range(len(items) + 1):\n    print(items[i])", language: .python)
    // The result first, then how it was run.
    #expect(report.hasPrefix("exit status: 1 (failed)\nstdout:\n1\n2\n3\nstderr:\n"))
    #expect(report.contains("IndexError: list index out of range"))
    #expect(report.hasSuffix("\n(run with example values put before the snippet: items = [1, 2, 3])"))
  }

  @Test func namesReportedOneAtATimeAreAllDefined() async {
    // Python names one missing name per run: two rounds, both plain values.
    let report = await runner.runFillingIn("print(total / count)", language: .python)
    #expect(
      report == "exit status: 0\nstdout:\n1.0\n(run with example values put before the snippet: total = 3; count = 3)")
  }

  @Test func aNameTheRunnerCannotGuessIsLeftToTheModel() async {
    let called = await runner.runFillingIn("print(area(2) + 1)", language: .python)
    #expect(
      called
        == "Not run: the code uses 'area', which it does not define, so it stopped before doing anything. Call "
        + "run_code again with the same code, and before it define that name with small example values (a list, "
        + "a number or a function, as the code uses it), for example: def area(x): return x")
    let member = await runner.runFillingIn("print(user.name.upper())", language: .python)
    #expect(member.hasPrefix("Not run: the code uses 'user'"))
    #expect(member.hasSuffix("for example: user = [1, 2, 3]"))
    // A second name that cannot be guessed, found after the first was defined.
    let second = await runner.runFillingIn("print(xs[0])\nprint(shape.width)", language: .python)
    #expect(second.hasPrefix("Not run: the code uses 'xs', 'shape', which it does not define"))
  }

  @Test func codeThatDefinesItsNamesOrFailsOtherwiseIsReportedAsItRan() async {
    #expect(await runner.runFillingIn("print(6 * 7)", language: .python) == "exit status: 0\nstdout:\n42")
    let raised = await runner.runFillingIn("[1, 2][5]", language: .python)
    #expect(raised.hasPrefix("exit status: 1 (failed)\nstderr:\n"))
    // Filled in but printing nothing: a run that tells nothing, as before.
    let silent = await runner.runFillingIn("y = x * 2", language: .python)
    #expect(silent.hasPrefix("No result: it printed nothing.\nexit status: 0\n(it printed nothing)\n(run with example"))
  }

  @Test func exampleValuesFollowTheUse() {
    let cases: [(code: String, name: String, language: CodeRunner.Language, definition: String?)] = [
      ("for i in 0...items.count { print(items[i]) }", "items", .swift, "let items = [1, 2, 3]"),
      ("xs.append(4); print(xs)", "xs", .swift, "var xs = [1, 2, 3]"),
      ("let average = total / count", "total", .swift, "let total = 3"),
      ("n += 1", "n", .swift, "var n = 3"),
      ("for w in words:\n    print(w)", "words", .python, "words = [1, 2, 3]"),
      ("print(len(s))", "s", .python, "s = [1, 2, 3]"),
      ("for (const v of values) console.log(v)", "values", .javascript, "let values = [1, 2, 3];"),
      ("console.log(arr.length)", "arr", .javascript, "let arr = [1, 2, 3];"),
      ("console.log(f(2))", "f", .javascript, nil),
      ("print(point.x)", "point", .swift, nil),
      // Only the name itself: `x.items` and `myitems[0]` say nothing about `items`.
      ("print(x.items(), myitems[0], items)", "items", .python, "items = 3"),
    ]
    for entry in cases {
      #expect(
        ExampleValue.definition(of: entry.name, in: entry.code, language: entry.language) == entry.definition,
        "\(entry.code)")
    }
  }

  @Test(.enabled(if: CodeRunner().interpreters[.javascript] != nil, "node is not installed"))
  func javascriptFragmentsAreFilledIn() async {
    let report = await runner.runFillingIn("console.log(xs.map(x => x * k))", language: .javascript)
    #expect(
      report == "exit status: 0\nstdout:\n[ 3, 6, 9 ]\n(run with example values put before the snippet: "
        + "let xs = [1, 2, 3]; let k = 3)")
  }

  @Test(.enabled(if: CodeRunner().interpreters[.swift] != nil, "swift is not installed"))
  func swiftFragmentsAreFilledInUnlessTheGuessDoesNotCompile() async {
    let runner = CodeRunner(configuration: .init(timeLimit: 60))
    let report = await runner.runFillingIn("for i in 0...items.count { print(items[i]) }", language: .swift)
    #expect(report.hasPrefix("crashed: signal"))
    // (What it printed before the crash stays in the interpreter's buffer: a pipe is not a terminal.)
    #expect(report.contains("Fatal error: Index out of range"))
    #expect(report.hasSuffix("(run with example values put before the snippet: let items = [1, 2, 3])"))
    // The array does not fit a String: Swift says so before running, so the model is asked for the values.
    let mismatch = await runner.runFillingIn("let s: String = names[0]\nprint(s)", language: .swift)
    #expect(mismatch.hasPrefix("Not run: the code uses 'names', which it does not define"))
    #expect(mismatch.hasSuffix("for example: let names = [1, 2, 3]"))
  }
}
