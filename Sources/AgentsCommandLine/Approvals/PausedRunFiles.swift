import Foundation

/// The files `agents ask` keeps for runs that stopped at tool calls waiting for approval: one JSON run state per
/// paused run under `<data directory>/paused-runs/`, signed with a key kept in `<data directory>/run-state.key`.
///
/// Both are readable by the user only (0600). The signature is an HMAC-SHA-256 under that key, so a state edited
/// by hand or by a tool (which would not know the key) is refused on `--resume`; a state saved by another version
/// of `agents` is refused too.
@MemberwiseInit
package struct PausedRunFiles: Sendable {
  /// The metadata key holding the agent id the run was asked of.
  static let agentKey = "agents.agent"
  /// The metadata key holding the question, for reports.
  static let promptKey = "agents.prompt"
  /// The metadata key holding the session id, when the run was asked with `--session`.
  static let sessionKey = "agents.session"

  /// The data directory.
  package var directory: String

  var keyPath: String { directory + "/run-state.key" }
  var runsDirectory: String { directory + "/paused-runs" }

  /// The signing key, created (32 random bytes, mode 0600) on first use.
  func key() throws(AppError) -> RunStateKey {
    let manager = FileManager.default
    if !manager.fileExists(atPath: keyPath) {
      do {
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
      } catch {
        throw unusable("the data directory '\(directory)' cannot be created: \(error.localizedDescription)")
      }
      // Created exclusively: when two processes race, the loser reads the winner's key below.
      _ = manager.createFile(
        atPath: keyPath, contents: Data(RunStateKey.random().bytes), attributes: [.posixPermissions: 0o600])
    }
    guard let data = manager.contents(atPath: keyPath) else {
      throw unusable("the run state key '\(keyPath)' cannot be read")
    }
    do {
      return try RunStateKey(bytes: data)
    } catch {
      throw unusable("the run state key '\(keyPath)' is damaged (\(data.count) bytes); delete it (paused runs saved with it can then not be resumed)")
    }
  }

  /// Saves `state` as a new file (or over `path`, when continuing a run saved there); returns its path.
  package func save(_ state: RunState, replacing path: String? = nil) throws(AppError) -> String {
    let key = try key()
    let text: String
    do {
      text = try state.jsonString(key: key)
    } catch {
      throw unusable("the run state cannot be encoded: \(error)")
    }
    let manager = FileManager.default
    do {
      try manager.createDirectory(atPath: runsDirectory, withIntermediateDirectories: true)
    } catch {
      throw unusable("'\(runsDirectory)' cannot be created: \(error.localizedDescription)")
    }
    let target = path ?? runsDirectory + "/" + Self.newName()
    let temporary = target + ".tmp-\(getpid())"
    guard manager.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]),
      rename(temporary, target) == 0
    else {
      try? manager.removeItem(atPath: temporary)
      throw unusable("'\(target)' cannot be written")
    }
    return target
  }

  /// Reads the state saved at `path`, for the run that started with the agent `makeAgent` builds from the
  /// saved agent id.
  ///
  /// - Throws: ``AppError`` `invalid_input` when the file is missing, unreadable, changed, signed with another key
  ///   or saved by another version.
  package func load(_ path: String, makeAgent: (String) throws(AppError) -> Agent) throws(AppError) -> RunState {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw AppError(
        .invalidInput, "the paused run '\(path)' cannot be read (no such file, or not readable)",
        fix: "give the state_file path that 'agents ask --json' printed")
    }
    let text = String(decoding: data, as: UTF8.self)
    // The agent id is read before the check only to build the agent; the check then covers it too.
    let agentID = (try? JSONValue.parse(text))?["state"]?["metadata"]?[Self.agentKey]?.stringValue ?? ""
    guard !agentID.isEmpty else {
      throw AppError(.invalidInput, "'\(path)' is not a paused run saved by 'agents ask'")
    }
    let agent = try makeAgent(agentID)
    do {
      return try RunState(json: text, startingAgent: agent, key: try key())
    } catch let error as AppError {
      throw error
    } catch {
      throw AppError.from(error)
    }
  }

  /// Deletes a state file once its run finished.
  package func remove(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
  }

  private static func newName() -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    return "run-\(formatter.string(from: Date()))-\(suffix).json"
  }

  private func unusable(_ message: String) -> AppError {
    AppError(.storeUnavailable, "the paused run cannot be saved: \(message)")
  }
}
