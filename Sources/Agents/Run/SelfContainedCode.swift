/// A user message that carries all the code it asks about and names no file: `What does this print?
/// print('abc'[::-1])`, `Find the bug:` followed by a pasted function, a question about a ```` ``` ````-fenced
/// block or a `` `code span` ``. Nothing in the user's workspace helps with such a question, and a small model that
/// sees tool definitions beside it answers worse: it writes a call (`{"name": "print", …}`) or reads the code
/// carelessly. Measured on Qwen2.5-Coder-0.5B (docs/small-models.md, session 8): the coding assistant's request
/// sent with and without its five workspace tools, the same message and sampling.
///
/// With ``ToolCallingStrategy/constrained``, the first model call about such a message offers no tools (see
/// ``Runner/Configuration/offersToolsForSelfContainedCode``). The rule knows nothing of the question: a message
/// counts when it has code (two kinds of code syntax, as ``InlineCode`` reads it) after prose that has none, or in
/// a fence or code span, and its prose names no file, path or project (`main.py`, `Sources/`, "the file", "my
/// project", "the repo"): such a message may be about the user's files, and keeps the tools.
enum SelfContainedCode {
  /// Whether `message` carries code and names no file.
  static func applies(to message: String) -> Bool {
    guard let prose = prose(of: message) else { return false }
    return !namesAFile(prose)
  }

  /// The text of `message` that is not code, or `nil` when the message holds no code.
  static func prose(of message: String) -> String? {
    if message.contains("`") {
      // Outside the fences and spans; code counts only when what is inside reads as code.
      let parts = message.split(separator: /`+/, omittingEmptySubsequences: false)
      let inside = parts.enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
      guard inside.contains(where: { InlineCode.isCode($0) }) else { return nil }
      return parts.enumerated().filter { $0.offset % 2 == 0 }.map { String($0.element) }.joined(separator: " ")
    }
    // Prose up to the first line break, `: `, `? ` or `. ` after which the rest is code; the prose itself has no
    // code syntax. A message that is nothing but code has no prose.
    // (Only when there may be a separator: see ``InlineCode/mayHaveSeparator(_:lineBreaks:)``.)
    if InlineCode.mayHaveSeparator(message, lineBreaks: true) {
      for separator in message.matches(of: /\n|[:?.]\s+/) {
        let prose = String(message[..<separator.range.lowerBound])
        guard InlineCode.signals(in: prose, of: InlineCode.structure) == 0 else { break }
        if InlineCode.isCode(String(message[separator.range.upperBound...])) { return prose }
      }
    }
    return startsAsCode(message) && InlineCode.isCode(message) ? "" : nil
  }

  /// Whether `message` asks what its code does: its prose names its output, result, value, an error or a bug
  /// (`What does this print?`, `Find the bug:`, `Why does this crash?`, `What is the value of x?`). Only the
  /// prose is read, and only for these words; what the question is about is not.
  static func asksWhatItDoes(_ message: String) -> Bool {
    guard let prose = prose(of: message) else { return false }
    let words = prose.lowercased().split { !$0.isLetter }
    return words.contains { behaviourWords.contains(String($0)) }
  }

  /// The language of the code in `message`: a fence's label, else the one the prose names, else the one its
  /// syntax points to (``InlineCode``); `nil` when none is clear.
  static func language(of message: String) -> String? {
    if let label = message.firstMatch(of: /```([A-Za-z+#]+)/)?.output.1 {
      return InlineCode.language(namedIn: String(label))
    }
    guard let prose = prose(of: message) else { return nil }
    if let named = InlineCode.language(namedIn: prose) { return named }
    let code: String
    if message.contains("`") {
      let parts = message.split(separator: /`+/, omittingEmptySubsequences: false)
      code = parts.enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }.joined(separator: "\n")
    } else {
      code = InlineCode.split(message)?.code ?? message
    }
    return InlineCode.language(of: code)
  }

  /// Words with which a question asks for what code does rather than for new code.
  private static let behaviourWords: Set<String> = [
    "print", "prints", "printed", "output", "outputs", "return", "returns", "returned", "result", "results",
    "value", "values", "evaluate", "evaluates", "bug", "bugs", "buggy", "wrong", "error", "errors", "crash",
    "crashes", "fail", "fails", "broken", "happen", "happens", "log", "logs", "show", "shows", "display",
    "displays",
  ]

  /// Whether `prose` refers to a file, a path or the user's project (then the workspace tools may be needed).
  static func namesAFile(_ prose: String) -> Bool {
    let lowered = prose.lowercased()
    let words = lowered.split { !($0.isLetter || $0.isNumber) }.map(String.init)
    if words.contains(where: workspaceWords.contains) { return true }
    // A path (`Sources/main.swift`, `./run.sh`, `~/notes`) or a file name with a usual extension (`main.py`).
    for token in prose.split(whereSeparator: \.isWhitespace) {
      let edges: Set<Character> = [".", ",", ";", ":", "!", "?", "(", ")", "[", "]", "'", "\"", "<", ">"]
      let token = String(String(token.drop(while: edges.contains).reversed().drop(while: edges.contains)).reversed())
      if token.contains("/") && token.contains(where: \.isLetter) { return true }
      guard let dot = token.lastIndex(of: "."), dot != token.startIndex else { continue }
      let stem = token[..<dot]
      let ext = token[token.index(after: dot)...].lowercased()
      // `Node.js`, `Vue.js`: a product, not a file.
      if ext == "js", stem.first?.isUppercase == true { continue }
      if fileExtensions.contains(ext), stem.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }) {
        return true
      }
    }
    return false
  }

  /// Whether `message` begins the way code does (a keyword, or an identifier followed by code syntax), so a
  /// message that is only code is told from a sentence.
  private static func startsAsCode(_ message: String) -> Bool {
    let first = message.drop(while: \.isWhitespace).prefix { !$0.isWhitespace }
    return first.contains(where: { "(=[{.;".contains($0) }) || codeKeywords.contains(first.lowercased())
  }

  private static let codeKeywords: Set<String> = [
    "def", "func", "fn", "function", "class", "struct", "let", "var", "const", "import", "for", "while", "if",
    "return", "print", "select", "public", "private", "static", "int", "void", "#include", "package", "use",
  ]

  /// Words that point at the user's files or project.
  private static let workspaceWords: Set<String> = [
    "file", "files", "folder", "folders", "directory", "directories", "project", "repo", "repository",
    "workspace", "codebase", "path",
  ]

  /// Extensions of source, data and documentation files.
  private static let fileExtensions: Set<String> = [
    "swift", "py", "js", "mjs", "ts", "tsx", "jsx", "java", "kt", "go", "rs", "rb", "php", "c", "h", "cc", "cpp",
    "hpp", "cs", "m", "sql", "sh", "bash", "zsh", "json", "yaml", "yml", "toml", "md", "txt", "html", "css",
    "xml", "csv", "ini", "cfg", "conf", "lock", "gradle", "env", "log",
  ]
}
