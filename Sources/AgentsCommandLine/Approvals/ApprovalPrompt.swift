/// The question `agents chat` asks before a tool call that needs approval runs:
///
/// ```
/// Allow read_file(path: "secrets.env")? [y]es / [n]o / [a]lways
/// ```
///
/// A call's proposed change (a diff from `write_file` or `apply_patch`) is shown first, and arguments too long
/// for one line are printed in full above the question. `y` runs the call, `a` runs it and every later call of
/// the same tool in this answer (and, through ``ChatManager``, for the rest of the chat's session), `n` refuses it (`n <reason>` also tells the model why); Ctrl-C or end of input
/// refuses. Everything shown goes through the console, so arguments and diffs never reach the terminal as
/// control sequences.
@MemberwiseInit
package struct ApprovalPrompt: Sendable {
  /// Where the question is shown.
  package var console: Console
  /// Where the answer is read.
  package var input: any LineInput

  /// The longest diff shown, in lines; the rest is counted.
  static let previewLineLimit = 200
  /// The longest call shown inside the question itself.
  static let inlineCallLimit = 80

  /// Asks about each pending call; `beforeAsking` runs first (to end a streamed line).
  package func approvals(beforeAsking: @escaping @Sendable () -> Void = {}) -> ConversationApprovals {
    ConversationApprovals { item in
      beforeAsking()
      return await ask(item)
    }
  }

  /// Shows `item` and reads the answer.
  package func ask(_ item: ToolApprovalItem) async -> ConversationApprovals.Answer {
    let style = console.style
    if let preview = item.preview, !preview.isEmpty { console.print(Self.render(preview: preview, style: style)) }
    let call = Self.describe(item.call)
    let inline = !call.contains("\n") && call.count <= Self.inlineCallLimit
    if !inline { console.print(style.bold(call)) }
    let question = "Allow \(inline ? call : item.toolName + "(…)")? [y]es / [n]o / [a]lways "
    for _ in 0..<3 {
      switch await input.readLine(prompt: style.bold(question)) {
      case .line(let line):
        if let answer = Self.answer(line, toolName: item.toolName) { return answer }
        console.print(style.dim("Answer y (run it), n (do not run it; 'n <reason>' tells the model why) or a (always)."))
      case .interrupt, .end:
        console.print(style.dim("(not allowed)"))
        return .reject(message: nil, always: false)
      }
    }
    return .reject(message: nil, always: false)
  }

  /// The answer `line` gives, or `nil` when it is not one.
  static func answer(_ line: String, toolName: String) -> ConversationApprovals.Answer? {
    let text = line.trimmingWhitespace()
    let word = text.prefix { $0.isLetter }.lowercased()
    let rest = text.dropFirst(word.count).drop { $0 == "," || $0 == ":" || $0.isWhitespace }
    switch word {
    case "y", "yes": return rest.isEmpty ? .approve(always: false) : nil
    case "a", "always": return rest.isEmpty ? .approve(always: true) : nil
    case "n", "no":
      guard !rest.isEmpty else { return .reject(message: nil, always: false) }
      return .reject(
        message: "The user did not allow this call of '\(toolName)', so it did not run. They said: \(rest)",
        always: false)
    default: return nil
    }
  }

  /// `tool(name: value, …)` with each argument as JSON, in full; the raw text when it is not a JSON object.
  static func describe(_ call: ToolCall) -> String {
    guard case .object(let object)? = try? JSONValue.parse(call.arguments) else {
      return "\(call.name)(\(call.arguments))"
    }
    let arguments = object.map { key, value in "\(key): \(value.jsonString)" }
    return "\(call.name)(\(arguments.joined(separator: ", ")))"
  }

  /// A diff with added lines green and removed lines red, cut at ``previewLineLimit`` lines.
  static func render(preview: String, style: TextStyle) -> String {
    let lines = preview.split(separator: "\n", omittingEmptySubsequences: false).dropLast(preview.hasSuffix("\n") ? 1 : 0)
    var shown = lines.prefix(previewLineLimit).map { line -> String in
      if line.hasPrefix("+++") || line.hasPrefix("---") { return style.bold(String(line)) }
      if line.hasPrefix("+") { return style.green(String(line)) }
      if line.hasPrefix("-") { return style.red(String(line)) }
      if line.hasPrefix("@@") { return style.dim(String(line)) }
      return String(line)
    }
    if lines.count > previewLineLimit { shown.append(style.dim("… \(lines.count - previewLineLimit) more lines")) }
    return shown.joined(separator: "\n")
  }
}
