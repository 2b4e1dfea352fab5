import Foundation

/// Renders a conversation for `/history` and `/save`.
enum ChatTranscript {
  /// One line (or block) per item for the terminal: `you: …`, `assistant: …`, tool calls dimmed.
  static func lines(of items: [Item], style: TextStyle) -> [String] {
    items.compactMap { item in
      switch item {
      case .message(let message):
        switch message.role {
        case .user: return style.bold("you: ") + message.content
        case .assistant: return message.content.isEmpty ? nil : style.cyan("assistant: ") + message.content
        default: return style.dim("\(message.role.rawValue): \(message.content)")
        }
      case .toolCall(let call):
        return style.dim("  ⚙ \(call.name) \(call.arguments)")
      case .toolOutput(let output):
        return style.dim("  → " + RunEventPrinter.shorten(output.output.replacing("\n", with: " "), to: 160))
      case .reasoning:
        return nil
      }
    }
  }

  /// The conversation as a Markdown document.
  static func markdown(of items: [Item], sessionID: String) -> String {
    var text = "# Conversation \(sessionID)\n"
    for item in items {
      switch item {
      case .message(let message) where !message.content.isEmpty:
        let heading = message.role == .user ? "You" : message.role.rawValue.capitalized
        text += "\n## \(heading)\n\n\(message.content)\n"
      case .toolCall(let call):
        text += "\n> Tool call `\(call.name)` with `\(call.arguments)`\n"
      case .toolOutput(let output):
        text += "\n> Tool output:\n>\n" + output.output.split(separator: "\n", omittingEmptySubsequences: false)
          .map { "> \($0)" }.joined(separator: "\n") + "\n"
      default:
        continue
      }
    }
    return text
  }
}
