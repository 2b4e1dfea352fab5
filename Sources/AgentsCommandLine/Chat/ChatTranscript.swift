import Foundation

/// One item of a conversation with who produced it: for answers, the agent and model that answered.
struct TranscriptEntry: Sendable, Hashable {
  /// The item.
  var item: Item
  /// `Math Tutor · qwen3:8b` for an answer whose run is recorded; `nil` otherwise.
  var speaker: String?
}

/// Renders a conversation for `/history`, `/save` and `agents sessions show|export`.
enum ChatTranscript {
  /// The session's items with the agent and model of each answer.
  ///
  /// Sessions store items, and the run records store which agent and model answered (with the session id), so each
  /// turn (the items one successful run saved, which share a timestamp) is matched with the successful run of the
  /// session that ended closest to it. Without a store, items come from the session alone and have no speaker.
  static func entries(of session: any Session, services: AppServices) async throws -> [TranscriptEntry] {
    guard let sessionStore = services.sessionStore, session is SQLiteSession else {
      return try await session.items(limit: nil).map { TranscriptEntry(item: $0, speaker: nil) }
    }
    return try await entries(of: session.sessionID, sessionStore: sessionStore, runStore: services.runStore)
  }

  /// The stored session's items with the agent and model of each answer.
  static func entries(of sessionID: String, sessionStore: SessionStore, runStore: RunStore?) async throws
    -> [TranscriptEntry]
  {
    let stored = try await sessionStore.items(in: sessionID)
    let items = try await SQLiteSession(sessionID: sessionID, store: sessionStore).items(limit: nil)
    let runs = (try? await runStore?.runs(matching: RunFilter(sessionID: sessionID), limit: 100_000)) ?? []
    let finished = runs.filter(\.succeeded).map { run in
      (end: run.startedAt.addingTimeInterval(run.duration.seconds), speaker: "\(run.agent) · \(run.model)")
    }
    var speakers: [Date: String] = [:]
    for turn in Set(stored.map(\.createdAt)) {
      let closest = finished.min { abs($0.end.timeIntervalSince(turn)) < abs($1.end.timeIntervalSince(turn)) }
      if let closest, abs(closest.end.timeIntervalSince(turn)) < 5 { speakers[turn] = closest.speaker }
    }
    return zip(items, stored).map { item, row in
      guard case .message(let message) = item, message.role == .assistant else {
        return TranscriptEntry(item: item, speaker: nil)
      }
      return TranscriptEntry(item: item, speaker: speakers[row.createdAt])
    }
  }

  /// One line (or block) per item for the terminal: `you: …`, `Math Tutor · qwen3:8b: …`, tool calls dimmed.
  static func lines(of entries: [TranscriptEntry], style: TextStyle) -> [String] {
    entries.compactMap { entry in
      switch entry.item {
      case .message(let message):
        switch message.role {
        case .user: return style.bold("you: ") + message.content
        case .assistant:
          return message.content.isEmpty ? nil : style.cyan("\(entry.speaker ?? "assistant"): ") + message.content
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

  /// The conversation as a Markdown document; answers are headed by the agent and model that gave them.
  static func markdown(of entries: [TranscriptEntry], sessionID: String) -> String {
    var text = "# Conversation \(sessionID)\n"
    for entry in entries {
      switch entry.item {
      case .message(let message) where !message.content.isEmpty:
        let heading = message.role == .user ? "You" : entry.speaker ?? message.role.rawValue.capitalized
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

  /// How many user and assistant messages with text the items hold (what "14 messages" counts).
  static func messageCount(_ items: [Item]) -> Int {
    items.filter { item in
      guard case .message(let message) = item else { return false }
      return message.role != .system && !message.content.isEmpty
    }.count
  }
}
