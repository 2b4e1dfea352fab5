/// A command typed at the chat prompt, starting with `/`.
package enum SlashCommand: Sendable, Equatable {
  case help
  case agents
  case agent(String)
  case model(String)
  case history
  case clear
  case save(String)
  /// `/save! FILE`: save, replacing an existing regular file.
  case saveReplacing(String)
  case sessions
  case session(String)
  case stats
  case quit
  /// A command that needs an argument but got none; the payload is the command's usage line.
  case missingArgument(usage: String)
  /// Not a known command; the payload is what was typed, the second a suggestion suffix.
  case unknown(String, suggestion: String)

  /// Each command's usage and one-line description, in `/help` order.
  package static let reference: [(usage: String, summary: String)] = [
    ("/help", "show this help"),
    ("/agents", "list the agents"),
    ("/agent ID", "switch to another agent; the conversation continues"),
    ("/model NAME", "switch the model (checked against the installed models)"),
    ("/history", "show the conversation so far"),
    ("/clear", "forget the conversation and start afresh"),
    ("/save FILE", "save the conversation as Markdown (/save! FILE replaces an existing file)"),
    ("/sessions", "list saved sessions"),
    ("/session ID", "switch to a saved session, or start a new one with that id"),
    ("/stats", "show this chat's requests, tokens and latency"),
    ("/quit", "leave (also Ctrl-D, or Ctrl-C at an empty prompt)"),
  ]

  /// The command names, for suggestions.
  static let names = ["help", "agents", "agent", "model", "history", "clear", "save", "sessions", "session", "stats", "quit", "exit"]

  /// Parses a line: `nil` when it is not a command (does not start with `/`).
  ///
  /// A line starting with `//` is not a command either; the chat sends it with one `/` removed, so
  /// prompts that begin with a slash can still be typed.
  package static func parse(_ line: String) -> SlashCommand? {
    let trimmed = line.trimmingWhitespace()
    guard trimmed.hasPrefix("/"), !trimmed.hasPrefix("//") else { return nil }
    let body = trimmed.dropFirst()
    let name = body.prefix(while: { !$0.isWhitespace }).lowercased()
    let argument = String(body.dropFirst(name.count)).trimmingWhitespace()
    switch name {
    case "help", "?", "h": return .help
    case "agents": return .agents
    case "agent": return argument.isEmpty ? .missingArgument(usage: "/agent ID") : .agent(argument)
    case "model": return argument.isEmpty ? .missingArgument(usage: "/model NAME") : .model(argument)
    case "history": return .history
    case "clear": return .clear
    case "save": return argument.isEmpty ? .missingArgument(usage: "/save FILE") : .save(argument)
    case "save!": return argument.isEmpty ? .missingArgument(usage: "/save! FILE") : .saveReplacing(argument)
    case "sessions": return .sessions
    case "session": return argument.isEmpty ? .missingArgument(usage: "/session ID") : .session(argument)
    case "stats": return .stats
    case "quit", "exit", "q", "bye": return .quit
    default:
      let close = Suggestions.closest(to: name, in: names).map { "'/\($0)'" }
      return .unknown("/" + name, suggestion: close.isEmpty ? "" : " (did you mean \(close.joined(separator: " or "))?)")
    }
  }
}
