import Foundation

/// A command typed at the chat prompt, starting with `/`.
package enum SlashCommand: Sendable, Equatable {
  case help
  case agents
  /// `/agent ID` switches; `/agent` alone shows the current agent and the choices.
  case agent(String?)
  /// `/model NAME` switches; `/model` alone shows the current model and the installed ones.
  case model(String?)
  /// `/tools`: the current agent's tools.
  case tools
  case history
  case clear
  case save(String)
  /// `/save! FILE`: save, replacing an existing regular file.
  case saveReplacing(String)
  case sessions
  /// `/session ID` switches (asking before it creates one); `/session` alone shows the current session.
  case session(String?)
  case stats
  /// `/stats on|off`: a line with tokens, tokens per second and time to first token after each answer.
  case statsLine(Bool)
  /// `/reasoning on|off` shows (dimmed) or hides the model's reasoning; `/reasoning` alone shows the setting.
  case reasoning(Bool?)
  /// `/guard on|off` turns the prompt-injection guard on or off; `/guard` alone shows its state.
  case promptGuard(Bool?)
  case quit
  /// A command given an argument it does not take; the payload is the message.
  case invalidArgument(String, usage: String)
  /// A command that needs an argument but got none; the payload is the command's usage line.
  case missingArgument(usage: String)
  /// Not a known command; the payload is what was typed, the second a suggestion suffix.
  case unknown(String, suggestion: String)

  /// Each command's usage and one-line description, in `/help` order.
  package static let reference: [(usage: String, summary: String)] = [
    ("/help", "show this help"),
    ("/agents", "list the agents"),
    ("/agent [ID]", "show the agent, or switch to another; the conversation continues"),
    ("/model [NAME]", "show the model and the installed ones, or switch (checked against them)"),
    ("/tools", "list the agent's tools as the model sees them (its own, handoffs, MCP) and which need approval"),
    ("/history", "show the conversation so far, with the agent and model of each answer"),
    ("/clear", "start a new conversation (the old one stays saved: /sessions)"),
    ("/save FILE", "save the conversation as Markdown (/save! FILE replaces an existing file)"),
    ("/sessions", "list saved sessions"),
    ("/session [ID]", "show the session, or switch to a saved one (asks before creating one)"),
    ("/guard [on|off]", "show or switch the prompt-injection guard"),
    ("/stats [on|off]", "show this chat's requests, tokens and latency; on: a stats line after each answer"),
    ("/reasoning [on|off]", "show the model's reasoning dimmed, or hide it"),
    ("/quit", "leave (also Ctrl-D, or Ctrl-C at an empty prompt)"),
    ("\"\"\"", "start or end a message of several lines"),
  ]

  /// `/help`: each command's usage, then its summary (dimmed); with `columns`, summaries are wrapped between words
  /// to fit, continued under the summary column rather than under the commands.
  package static func helpLines(columns: Int?, style: TextStyle) -> [String] {
    let width = reference.map(\.usage.count).max() ?? 0
    let indent = String(repeating: " ", count: width + 2)
    let room = columns.map { max($0 - indent.count, 20) } ?? Int.max
    return reference.flatMap { usage, summary in
      WordWrap.lines(summary, width: room).enumerated().map { index, part in
        (index == 0 ? usage.padding(toLength: indent.count, withPad: " ", startingAt: 0) : indent) + style.dim(part)
      }
    }
  }

  /// The command names, for suggestions.
  static let names = [
    "help", "agents", "agent", "model", "tools", "history", "clear", "save", "sessions", "session", "guard", "stats", "reasoning",
    "quit", "exit",
  ]

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
    case "agent": return .agent(argument.isEmpty ? nil : argument)
    case "model": return .model(argument.isEmpty ? nil : argument)
    case "tools": return .tools
    case "history": return .history
    case "clear": return .clear
    case "save": return argument.isEmpty ? .missingArgument(usage: "/save FILE") : .save(argument)
    case "save!": return argument.isEmpty ? .missingArgument(usage: "/save! FILE") : .saveReplacing(argument)
    case "sessions": return .sessions
    case "session": return .session(argument.isEmpty ? nil : argument)
    case "guard":
      return switchArgument(argument).map(SlashCommand.promptGuard) ?? invalidSwitch(argument, "/guard")
    case "stats":
      guard let on = switchArgument(argument) else { return invalidSwitch(argument, "/stats") }
      return on.map(SlashCommand.statsLine) ?? .stats
    case "reasoning", "think":
      return switchArgument(argument).map(SlashCommand.reasoning) ?? invalidSwitch(argument, "/reasoning")
    case "quit", "exit", "q", "bye": return .quit
    default:
      let close = Suggestions.closest(to: name, in: names).map { "'/\($0)'" }
      return .unknown("/" + name, suggestion: close.isEmpty ? "" : " (did you mean \(close.joined(separator: " or "))?)")
    }
  }

  /// `on`/`off` (or true/false, yes/no) as a Bool, `.some(nil)` for no argument, `nil` for anything else.
  private static func switchArgument(_ argument: String) -> Bool?? {
    switch argument.lowercased() {
    case "": return .some(nil)
    case "on", "true", "yes": return true
    case "off", "false", "no": return false
    default: return nil
    }
  }

  private static func invalidSwitch(_ argument: String, _ command: String) -> SlashCommand {
    .invalidArgument("\(command) takes on or off, not '\(argument)'", usage: "\(command) on")
  }
}
