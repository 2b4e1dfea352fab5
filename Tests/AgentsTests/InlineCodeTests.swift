@testable import Agents
import AgentsTesting
import Testing

/// Code pasted into a message without backticks reaches a small model as a fenced block labelled with its
/// language; prose, arithmetic and code that is already marked stay as they are.
@Suite struct InlineCodeTests {
  @Test func codeInALanguageTheMessageDoesNotNameIsFencedWithTheLanguageOfItsSyntax() {
    #expect(
      InlineCode.fenced("Any problem here? const total = xs.reduce((a, b) => a + b, 0);")
        == "Any problem here?\n```javascript\nconst total = xs.reduce((a, b) => a + b, 0);\n```")
    // A pasted snippet on its own lines: the first line is the prose.
    #expect(
      InlineCode.fenced("Why does this crash?\nfunc first(xs []int) int {\n  return xs[0]\n}")
        == "Why does this crash?\n```go\nfunc first(xs []int) int {\n  return xs[0]\n}\n```")
    // A message that names its language is left as it is, and so is code whose language is not clear.
    #expect(InlineCode.fenced("Is this C++ right? int x = v.size(); x++;") == nil)
    #expect(InlineCode.fenced("What does this Ruby code print? puts [3, 1].map { |x| x * 2 }.inspect") == nil)
    #expect(InlineCode.fenced("Any problem here? total = add(total, price)") == nil)
    #expect(InlineCode.split("Any problem here? total = add(total, price)")?.code == "total = add(total, price)")
    #expect(InlineCode.language(namedIn: "Is this C++ right?") == "cpp")
    #expect(InlineCode.language(namedIn: "Why does this crash in Go code?") == "go")
  }

  @Test func withoutANameTheCodesOwnSyntaxPicksTheLanguage() {
    #expect(InlineCode.language(of: "def area(r): return 3.14 * r * r") == "python")
    #expect(InlineCode.language(of: "for k in 0...xs.count { print(xs[k]) }") == "swift")
    #expect(InlineCode.language(of: "const total = xs.reduce((a, b) => a + b, 0);") == "javascript")
    #expect(InlineCode.language(of: "fn main() { let mut n = 1; println!(\"{}\", n); }") == "rust")
    #expect(InlineCode.language(of: "SELECT name FROM users WHERE age > 30") == "sql")
    #expect(InlineCode.language(of: "x = y + 1") == nil)  // nothing tells
  }

  @Test func proseArithmeticAndMarkedCodeStayAsTheyAre() {
    for message in [
      "Write a Python function that returns the reverse of a string.", "In one paragraph, what is a race condition?",
      "Compute (17 + 25) / 6 - 2^3.", "Calculate: sqrt(144) + 15% of 80", "What is 17% of 2340? Show the steps.",
      "Tell me if this is right: I go for a walk every day, where it's quiet.",
      "What does `print(len('ab'))` print?", "Fix this:\n```python\nprint(x)\n```",
    ] {
      #expect(InlineCode.fenced(message) == nil, "\(message)")
    }
    #expect(InlineCode.language(namedIn: "Let's go for a walk") == nil)  // "go" as a verb
    #expect(InlineCode.language(namedIn: "a bug in C") == "c")
  }

  /// On the constrained strategy the model reads the fenced message; the history keeps what the user wrote.
  @Test func theConstrainedStrategyShowsTheModelTheFencedMessage() async throws {
    let question = "What does this print? for n in range(3): print(n)"
    let (agent, model) = scriptedAgent(steps: [.text("c")])
    let result = try await Runner(configuration: .init(toolCalling: .constrained)).run(agent, input: question)
    #expect(
      model.calls[0].request.input == [.user("What does this print?\n```python\nfor n in range(3): print(n)\n```")])
    #expect(result.history.first == .user(question))

    let (large, largeModel) = scriptedAgent(steps: [.text("c")])
    _ = try await Runner(configuration: .init(toolCalling: .native)).run(large, input: question)
    #expect(largeModel.calls[0].request.input == [.user(question)])
  }

  /// Texts with every kind of separator and near-separator: at the end, before non-ASCII spaces, a combining mark
  /// on the punctuation, CR LF, nothing at all.
  static let separatorCorpus = [
    "", " ", ".", "word.", "one word.", "Name the colour of the sea in one word.", "What is 2+2?", "a: b", "a:b",
    "Why? print(1)", "x = 1;\ny = 2", "a\r\nb", "end.\n", "a.\u{301} b", "q?\u{00A0}x", "q?\u{2003}x", "…",
    "a .b", ". ", "a\tb", "  padded  ", "émoji 🎉.", "🎉:🎉", "\n", "3.14", "e.g. this", "a::b",
  ]

  @Test func textWithoutAPossibleSeparatorHasNoMatchOfTheSeparatorExpressions() {
    for text in Self.separatorCorpus {
      if !InlineCode.mayHaveSeparator(text, lineBreaks: false) {
        #expect(text.matches(of: /[:?.]\s+/).isEmpty, "\(text.debugDescription)")
      }
      if !InlineCode.mayHaveSeparator(text, lineBreaks: true) {
        #expect(text.matches(of: /\n|[:?.]\s+/).isEmpty, "\(text.debugDescription)")
      }
    }
    // The short questions that skip the search.
    #expect(!InlineCode.mayHaveSeparator("Name the colour of the sea in one word.", lineBreaks: true))
    #expect(!InlineCode.mayHaveSeparator("What is 2+2?", lineBreaks: true))
    #expect(InlineCode.mayHaveSeparator("Why? print(1)", lineBreaks: false))
    #expect(InlineCode.mayHaveSeparator("x = 1\ny = 2", lineBreaks: true))
    #expect(!InlineCode.mayHaveSeparator("x = 1\ny = 2", lineBreaks: false))
  }

  /// The compiled patterns are shared by every run: runs at once read code the same way as one run alone.
  @Test func runsAtOnceReadCodeAsOneRunDoes() async {
    let texts = Self.separatorCorpus + ["total = add(total, price)", "print('abc'[::-1])", "x => x * 2; y == 3"]
    let alone = texts.map { InlineCode.isCode($0) }
    let together = await withTaskGroup(of: [Bool].self) { group in
      for _ in 0..<16 { group.addTask { texts.map { InlineCode.isCode($0) } } }
      return await group.reduce(into: [[Bool]]()) { $0.append($1) }
    }
    #expect(together.count == 16)
    #expect(together.allSatisfy { $0 == alone })
    #expect(alone.contains(true) && alone.contains(false))
  }
}
