import Foundation
import Synchronization

extension ChatManager {
  /// `/history`: the conversation so far, each answer labelled with the agent and model that gave it.
  func showHistory() async {
    let console = services.console
    let session = state.withLock { $0.session }
    do {
      let lines = ChatTranscript.lines(of: try await ChatTranscript.entries(of: session, services: services), style: console.style)
      console.print(lines.isEmpty ? console.style.dim("(no messages yet)") : lines.joined(separator: "\n"))
    } catch {
      report(AppError.from(error))
    }
  }

  /// `/clear`: a new conversation in a new session; the old one stays saved and `/session ID` returns to it.
  func startNewConversation() async {
    let old = state.withLock { $0.session }
    let id = await unusedSessionID()
    let session: any Session = (try? Self.session(id, services: services)) ?? InMemorySession(sessionID: id)
    state.withLock { $0.session = session }
    let count = (try? await old.items(limit: nil).count) ?? 0
    if old is InMemorySession || count == 0 {
      confirm("New conversation (session \(id)).")
    } else {
      confirm("New conversation (session \(id)). The previous one is kept: /session \(old.sessionID) returns to it.")
    }
  }

  /// `/session`: the current session, its size and how to switch.
  func showSession() async {
    let console = services.console
    let session = state.withLock { $0.session }
    let count = (try? await session.items(limit: nil)).map(ChatTranscript.messageCount) ?? 0
    let saved = session is InMemorySession ? " (not saved)" : ""
    console.print("session \(session.sessionID): \(DisplayFormat.count(count, "message"))\(saved)")
    console.print(console.style.dim("/sessions lists the saved ones; /session ID switches; /clear starts a new one."))
  }

  /// `/session ID`: resumes a saved session; an id that is not saved yet is created only when the user says so (a
  /// piped chat creates it: there is nobody to ask).
  func switchSession(to id: String) async {
    do {
      let session = try Self.session(id, services: services)
      let count = ChatTranscript.messageCount(try await session.items(limit: nil))
      if count == 0, options.interactive {
        let question = "No saved session '\(id)'. Start a new conversation with that name? [y/N] "
        guard case .line(let answer) = await input.readLine(prompt: question),
          ["y", "yes"].contains(answer.trimmingWhitespace().lowercased())
        else {
          confirm("Staying in session \(state.withLock { $0.session.sessionID }).")
          return
        }
      }
      state.withLock { $0.session = session }
      confirm(count == 0 ? "Started session \(id)." : "Resumed session \(id): \(DisplayFormat.count(count, "message")).")
    } catch {
      report(AppError.from(error))
    }
  }

  /// At the start of an interactive chat: says how much of a resumed session there is.
  func announceResumedSession() async {
    guard options.sessionID != nil else { return }
    let session = state.withLock { $0.session }
    guard let items = try? await session.items(limit: nil), !items.isEmpty else { return }
    confirm("Resumed session \(session.sessionID): \(DisplayFormat.count(ChatTranscript.messageCount(items), "message")).")
  }

  /// `/sessions`: the saved sessions, the current one starred.
  func listSessions() async {
    let console = services.console
    guard let store = services.sessionStore else {
      let cause = services.storeProblem?.message ?? "there is no data directory"
      report(AppError(.storeUnavailable, "sessions are not saved: \(cause)", fix: "set AGENTS_HOME to a writable directory"))
      return
    }
    do {
      let current = state.withLock { $0.session.sessionID }
      let sessions = try await store.sessions()
      if sessions.isEmpty { console.print(console.style.dim("(no saved sessions)")) }
      for summary in sessions {
        let marker = summary.sessionID == current ? "*" : " "
        console.print(
          "\(marker) \(summary.sessionID)  "
            + console.style.dim(
              "\(DisplayFormat.count(summary.itemCount, "item")), updated \(DisplayFormat.date(summary.updatedAt))"))
      }
    } catch {
      report(AppError.from(error))
    }
  }

  /// `/save FILE`: the conversation as Markdown, written through ``SafeFileWriter``: an existing file is replaced only
  /// with `/save!` or when the user answers yes at a terminal; links, FIFOs and devices are refused.
  func save(to path: String, replacing: Bool) async {
    let session = state.withLock { $0.session }
    do {
      let entries = try await ChatTranscript.entries(of: session, services: services)
      let markdown = Data(ChatTranscript.markdown(of: entries, sessionID: session.sessionID).utf8)
      var replace = replacing
      let expanded = (path as NSString).expandingTildeInPath
      if !replace, options.interactive, case .regularFile = try SafeFileWriter.inspect(expanded) {
        guard case .line(let answer) = await input.readLine(prompt: "\(expanded) exists. Replace it? [y/N] "),
          ["y", "yes"].contains(answer.trimmingWhitespace().lowercased())
        else {
          confirm("Not saved.")
          return
        }
        replace = true
      }
      let written = try SafeFileWriter.write(markdown, to: path, replacing: replace)
      confirm("Saved \(DisplayFormat.count(entries.count, "item")) to \(written).")
    } catch {
      report(AppError.from(error))
    }
  }

  /// A new session id such as `chat-20261206-143005` not yet used in the store (`-2`, `-3`, … when it is).
  func unusedSessionID() async -> String {
    let base = Self.newSessionID()
    let taken = Set((try? await services.sessionStore?.sessions().map(\.sessionID)) ?? [])
      .union([state.withLock { $0.session.sessionID }])
    var candidate = base
    var suffix = 2
    while taken.contains(candidate) {
      candidate = "\(base)-\(suffix)"
      suffix += 1
    }
    return candidate
  }

  /// A session id from the current time, `chat-20261206-143005`.
  static func newSessionID() -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    return "chat-" + formatter.string(from: Date())
  }

  /// The stored session `id`.
  ///
  /// - Throws: ``AppError`` `store_unavailable` when the store cannot be written (see
  ///   ``AppServices/requireSessionStore(for:)``).
  static func session(_ id: String, services: AppServices) throws(AppError) -> any Session {
    SQLiteSession(sessionID: id, store: try services.requireSessionStore(for: id))
  }
}
