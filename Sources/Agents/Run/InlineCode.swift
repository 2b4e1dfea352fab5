import Synchronization

/// Code written straight into a user's message in a language the message does not name, shown to a small model as
/// a fenced block labelled with the language its syntax points to.
///
/// People paste code into a question without saying what it is: `Find the bug: for i in 0...items.count { … }`. A
/// small code model then guesses the language, often wrongly, and answers about that one. Measured on
/// Qwen2.5-Coder-0.5B (a Swift loop's off-by-one): plain 0 of 3 answers found the bug, fenced without a language
/// 0 of 5, fenced as ```` ```swift ```` 3 of 3; so the label is what helps. Where the prose names the language
/// (`What does this Python code print? …`) the message is left alone: fencing it anyway measured worse on such
/// questions (the model described the code instead of giving its output).
/// ``ToolCallingStrategy/constrained`` sends such messages as the prose, then the fenced code; the run's history
/// keeps what the user wrote.
///
/// The language is the one whose markers the code has most of, when exactly one language leads (`def …:` Python,
/// `console.log` and `=>` JavaScript, `$0`, `...` ranges and `for … in … {` Swift, `fn` and `println!` Rust, …);
/// without a clear leader the message is left alone too.
enum InlineCode {
  /// The message as the model should read it: the prose and the code fenced with its language, or `nil` when the
  /// message holds no unmarked code after its prose, already uses backticks, names its language, or the code's
  /// language is not clear.
  static func fenced(_ message: String) -> String? {
    guard !message.contains("`"), let (prose, code) = split(message), language(namedIn: prose) == nil,
      let label = language(of: code)
    else { return nil }
    return "\(prose)\n```\(label)\n\(code)\n```"
  }

  /// `items` with every user message that holds unmarked code replaced by its ``fenced(_:)`` form.
  static func fencingUserMessages(_ items: [Item]) -> [Item] {
    items.map { item in
      guard case .message(var message) = item, message.role == .user, let text = fenced(message.content) else {
        return item
      }
      message.content = text
      return .message(message)
    }
  }

  /// The message split into its prose and the code that follows it: after the first line when the lines after it
  /// are code, else after the first `: `, `? ` or `. ` whose right side is code. The prose must have no code
  /// syntax (calls, member access, subscripts, braces, assignments) of its own.
  static func split(_ message: String) -> (prose: String, code: String)? {
    let text = trimmed(message[...])
    if let newline = text.firstIndex(of: "\n") {
      let prose = trimmed(text[..<newline])
      let code = trimmed(text[text.index(after: newline)...])
      guard !prose.isEmpty, isCode(code), signals(in: prose, of: structure) == 0 else { return nil }
      return (prose, code)
    }
    guard mayHaveSeparator(text, lineBreaks: false) else { return nil }
    for separator in text.matches(of: /[:?.]\s+/) {
      let prose = trimmed(text[..<separator.range.upperBound])
      guard signals(in: prose, of: structure) == 0 else { return nil }
      let code = String(text[separator.range.upperBound...])
      if isCode(code) { return (prose, code) }
    }
    return nil
  }

  /// Whether `text` reads as code: at least two kinds of code syntax (a call, member access, a subscript, braces,
  /// an assignment or arrow, a statement keyword, a string literal), so arithmetic such as `sqrt(144) + 15% of 80`
  /// and English with an `if` or a `for` in it are not code.
  static func isCode(_ text: String) -> Bool { signals(in: text, of: structure + words) >= 2 }

  /// Kinds of syntax that prose does not have: a call, member access, a subscript, braces, an assignment or arrow.
  static let structure: [String] = [
    #"[A-Za-z_]\w*\("#, #"[A-Za-z_)\]]\.[A-Za-z_]"#, #"\w\["#, #"[{}]"#, #"[^=!<>]=[^=]|=>|->|;|=="#,
  ]
  /// Kinds of syntax that prose may have too: a statement keyword, a string literal.
  private static let words: [String] = [
    #"(?i)\b(def|return|for|while|if|let|var|const|func|fn|function|class|import|select|from|where|elif|end)\b"#,
    #"'[^']*'|"[^"]*""#,
  ]

  /// `text` without leading and trailing whitespace. (It was `drop(while:)` on a doubly reversed slice, whose
  /// generic types the Swift runtime instantiated on first use: 0.5 ms of CPU in every small-model question.)
  private static func trimmed(_ text: Substring) -> String {
    String(text.trimmingWhitespace())
  }

  /// Whether `text` may hold a separator between prose and code: a line feed (when `lineBreaks`), or `:`, `?` or
  /// `.` with anything after it. Every match of `[:?.]\s+` or `\n` needs one, so text without one is not searched:
  /// a regular expression literal is compiled again each time it is used, which made up most of the CPU a run
  /// spent preparing a model call for a short question (`Name the colour of the sea in one word.`).
  static func mayHaveSeparator(_ text: some StringProtocol, lineBreaks: Bool) -> Bool {
    var afterPunctuation = false
    for byte in text.utf8 {
      if afterPunctuation || lineBreaks && byte == UInt8(ascii: "\n") { return true }
      afterPunctuation = byte == UInt8(ascii: ":") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: ".")
    }
    return false
  }

  static func signals(in text: String, of kinds: [String]) -> Int {
    kinds.filter { matches($0, text) }.count
  }

  /// Whether `pattern` (a regular expression) matches in `text`. Each pattern is compiled once: compiling it for every
  /// call was about 12 million instructions per model call for a message with a separator (`. `, `: `, `? `, a line
  /// break), which ``signals(in:of:)`` checks once per separator.
  private static func matches(_ pattern: String, _ text: String) -> Bool {
    compiled.withLock { cache in
      if cache[pattern] == nil {
        guard let regex = try? Regex(pattern) else { return false }
        cache[pattern] = regex
      }
      return text.contains(cache[pattern]!)
    }
  }

  /// The patterns compiled so far. `Regex` values are not `Sendable`: they are kept, and matched, under this lock.
  private static let compiled = Mutex<[String: Regex<AnyRegexOutput>]>([:])

  /// Languages by the names people write, lowercased, with the fence label of each.
  private static let names: [(name: String, label: String)] = [
    ("swift", "swift"), ("python", "python"), ("javascript", "javascript"), ("js", "javascript"),
    ("typescript", "typescript"), ("java", "java"), ("kotlin", "kotlin"), ("go", "go"), ("golang", "go"),
    ("rust", "rust"), ("ruby", "ruby"), ("php", "php"), ("c", "c"), ("c++", "cpp"), ("cpp", "cpp"),
    ("c#", "csharp"), ("sql", "sql"), ("bash", "bash"), ("shell", "bash"), ("haskell", "haskell"),
    ("scala", "scala"), ("perl", "perl"), ("lua", "lua"), ("r", "r"), ("dart", "dart"), ("elixir", "elixir"),
  ]

  /// The language `prose` names as a word (`this Swift loop`, `in C++`), or `nil`.
  static func language(namedIn prose: String) -> String? {
    let words = prose.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "+" || $0 == "#") }
    // "Go" and "R" are also ordinary words: they count only next to "code", "program", "function" and the like.
    let ambiguous: Set<String> = ["go", "r", "c"]
    let nouns: Set<String> = ["code", "program", "function", "loop", "snippet", "script", "query", "line", "class"]
    for (index, word) in words.enumerated() {
      guard let entry = names.first(where: { $0.name == word }) else { continue }
      if ambiguous.contains(entry.name) {
        let next = index + 1 < words.count ? String(words[index + 1]) : ""
        let previous = index > 0 ? String(words[index - 1]) : ""
        guard nouns.contains(next) || previous == "in" else { continue }
      }
      return entry.label
    }
    return nil
  }

  /// Syntax that belongs to one language more than the others.
  private static let markers: [(label: String, patterns: [String])] = [
    (
      "python",
      [#"\bdef \w+\(.*\)\s*:"#, #"\belif\b"#, #"\blen\("#, #"\brange\("#, #"\bself\."#, #":\s*$"#, #"\bNone\b"#]
    ),
    (
      "swift",
      [
        #"\$0"#, #"\.\.\.|\.\.<"#, #"\bfunc \w+\(.*\)\s*(->|\{)"#, #"\bfor \w+ in [^{]+\{"#, #"\bguard\b"#,
        #"\.count\b"#,
      ]
    ),
    (
      "javascript",
      [#"console\.log"#, #"\bfunction\b"#, #"=>"#, #"==="#, #"\b(let|const|var) \w+ = [^;]*;"#, #"\.length\b"#]
    ),
    ("rust", [#"\bfn \w+\("#, #"\w!\("#, #"\blet mut\b"#, #"&str\b"#, #"\bimpl\b"#]),
    ("go", [#":="#, #"\bfmt\."#, #"\[\]\w+"#, #"\bpackage \w+"#, #"\bfunc \w+\(\w+ \[?\]?\w+"#]),
    ("java", [#"System\.out\."#, #"\bpublic static\b"#, #"\bString\[\]"#]),
    ("c", [#"#include"#, #"\bprintf\("#, #"\bint main\("#, #"\bmalloc\("#]),
    ("cpp", [#"std::"#, #"\bcout\b"#]),
    ("ruby", [#"\bputs\b"#, #"\|\w+\|"#, #"\bdo\b"#, #"\bend\b"#]),
    ("sql", [#"(?i)^\s*(select|insert|update|delete|create)\b"#, #"(?i)\bfrom \w+"#]),
    ("bash", [#"^\s*\$ "#, #"\becho\b"#, #"\|\s*grep\b"#, #"#!\/bin\/"#]),
  ]

  /// The language whose markers `code` has most of, when exactly one has the most; `nil` otherwise.
  static func language(of code: String) -> String? {
    let scores = markers.map { entry in (entry.label, entry.patterns.filter { matches($0, code) }.count) }
    guard let best = scores.map(\.1).max(), best > 0 else { return nil }
    let leaders = scores.filter { $0.1 == best }
    return leaders.count == 1 ? leaders[0].0 : nil
  }
}
