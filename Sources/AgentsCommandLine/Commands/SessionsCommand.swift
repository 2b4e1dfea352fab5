import Foundation

/// `agents sessions list|show|export|rm`: the saved chat sessions, outside the chat.
package struct SessionsCommand: Sendable {
  /// How `export` writes a session.
  package enum ExportFormat: String, Sendable, CaseIterable {
    /// A Markdown document, answers headed by the agent and model that gave them (as `/save`).
    case markdown
    /// The `ollama-agents.session` JSON document with every stored item.
    case json
  }

  /// The shared services.
  package var services: AppServices

  /// Creates the command.
  package init(services: AppServices) { self.services = services }

  /// Lists the sessions, most recently updated first; returns the exit status.
  package func list(json: Bool) async -> Int32 {
    await run { store throws(AppError) in
      let sessions = try await Self.read { try await store.sessions() }
      let console = services.console
      if json {
        console.print(
          JSONValue.array(
            sessions.map { summary in
              [
                "session_id": .string(summary.sessionID), "items": .int(summary.itemCount),
                "created_at": .string(summary.createdAt.formatted(.iso8601)),
                "updated_at": .string(summary.updatedAt.formatted(.iso8601)),
              ]
            }
          ).jsonString)
        return
      }
      guard !sessions.isEmpty else {
        console.print(
          console.style.dim("No saved sessions. 'agents chat --session NAME' starts one; every chat saves its own."))
        return
      }
      var table = TextTable(headers: ["SESSION", "ITEMS", "UPDATED"])
      for summary in sessions {
        table.add([summary.sessionID, "\(summary.itemCount)", DisplayFormat.date(summary.updatedAt)])
      }
      for line in table.render(style: console.style) { console.print(line) }
    }
  }

  /// Prints a session's conversation with the agent and model of each answer (as `/history`).
  package func show(_ sessionID: String) async -> Int32 {
    await run { store throws(AppError) in
      try await requireSession(sessionID, in: store)
      let entries = try await Self.read {
        try await ChatTranscript.entries(of: sessionID, sessionStore: store, runStore: services.runStore)
      }
      for line in ChatTranscript.lines(of: entries, style: services.console.style) { services.console.print(line) }
    }
  }

  /// Writes a session to standard output as Markdown or JSON.
  package func export(_ sessionID: String, format: ExportFormat) async -> Int32 {
    await run { store throws(AppError) in
      try await requireSession(sessionID, in: store)
      switch format {
      case .markdown:
        let entries = try await Self.read {
          try await ChatTranscript.entries(of: sessionID, sessionStore: store, runStore: services.runStore)
        }
        services.console.out.write(ChatTranscript.markdown(of: entries, sessionID: sessionID))
      case .json:
        let data = try await Self.read { try await store.export(sessionID) } ?? Data()
        services.console.print(String(decoding: data, as: UTF8.self))
      }
    }
  }

  /// Deletes sessions; every id must exist (nothing is deleted otherwise).
  package func remove(_ sessionIDs: [String]) async -> Int32 {
    await run { store throws(AppError) in
      var counts: [Int] = []
      for id in sessionIDs { counts.append(try await requireSession(id, in: store).itemCount) }
      for (id, count) in zip(sessionIDs, counts) {
        _ = try await Self.read { try await store.deleteSession(id) }
        services.console.print("Deleted session \(id) (\(DisplayFormat.count(count, "item"))).")
      }
    }
  }

  /// The session's summary.
  ///
  /// - Throws: ``AppError`` `usage` naming the closest saved ids when there is no such session.
  @discardableResult
  private func requireSession(_ sessionID: String, in store: SessionStore) async throws(AppError) -> SessionSummary {
    if let summary = try await Self.read({ try await store.summary(of: sessionID) }) { return summary }
    let ids = (try? await store.sessions().map(\.sessionID)) ?? []
    let close = Suggestions.closest(to: sessionID, in: ids)
    throw AppError(
      .usage, "there is no saved session '\(sessionID)'",
      fix: close.isEmpty
        ? "'agents sessions list' shows the saved ones" : "did you mean \(close.joined(separator: " or "))?")
  }

  private func run(_ body: (SessionStore) async throws(AppError) -> Void) async -> Int32 {
    do throws(AppError) {
      guard let store = services.sessionStore else {
        let cause = services.storeProblem?.message ?? "there is no data directory"
        throw AppError(
          .storeUnavailable, "sessions cannot be read: \(cause)", fix: "set AGENTS_HOME to a writable directory")
      }
      try await body(store)
      return 0
    } catch {
      services.console.error(error)
      return error.exitStatus
    }
  }

  private static func read<Value>(_ body: () async throws -> Value) async throws(AppError) -> Value {
    do {
      return try await body()
    } catch {
      throw AppError.from(error)
    }
  }
}
