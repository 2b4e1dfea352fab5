import Foundation

/// The chat's input history between runs: one JSON string per line in `chat_history` in the data directory, so
/// multi-line messages survive intact. The Up arrow recalls lines from earlier chats, as in a shell.
///
/// The file is private to the user (mode 0600); slash commands are kept too, and nothing is written for piped
/// chats. A history that cannot be read or written is ignored: it never stops the chat.
package struct InputHistoryFile: Sendable {
  /// The file's path.
  package let path: String
  /// The most entries kept; older ones are dropped when the file grows past twice this.
  package let limit: Int

  /// The history file in `directory` (the data directory).
  package init(directory: String, limit: Int = 1000) {
    self.path = directory + "/chat_history"
    self.limit = limit
  }

  /// The entries, oldest first (at most ``limit``).
  package func load() -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    let entries = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line -> String? in
      guard let value = try? JSONValue.parse(String(line)) else { return nil }
      return value.stringValue
    }
    return Array(entries.suffix(limit))
  }

  /// Appends `entry`; rewrites the file with the newest ``limit`` entries when it has grown past twice that.
  package func append(_ entry: String) {
    guard !entry.trimmingWhitespace().isEmpty else { return }
    let line = JSONValue.string(entry).jsonString + "\n"
    let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { return }
    _ = TerminalIO.write(line, to: descriptor)
    close(descriptor)
    compactIfNeeded()
  }

  private func compactIfNeeded() {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let size = attributes[.size] as? Int, size > limit * 200
    else { return }
    let entries = load()
    guard entries.count >= limit else { return }
    let text = entries.map { JSONValue.string($0).jsonString }.joined(separator: "\n") + "\n"
    let temporary = path + ".tmp"
    guard
      FileManager.default.createFile(
        atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
    else { return }
    _ = rename(temporary, path)
  }
}
