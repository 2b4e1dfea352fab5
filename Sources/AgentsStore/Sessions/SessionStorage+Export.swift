import Foundation
import WireCore

extension SessionStore {
  /// The `format` field of an exported session document.
  public static let exportFormat = "ollama-agents.session"
  /// The version of the export document layout.
  public static let exportVersion = 1
}

extension SessionStorage {
  /// Exports a session as one JSON document, or returns nil when no session has that id.
  ///
  /// The document is `{"format": "ollama-agents.session", "version": 1, "session_id": …, "created_at": …,
  /// "updated_at": …, "items": [ … ]}` with ISO 8601 UTC times and the items exactly as they were stored.
  public func export(_ sessionID: String) async throws -> Data? {
    guard let summary = try await summary(of: sessionID) else { return nil }
    let items = try await items(in: sessionID)
    var exported: [JSONValue] = []
    exported.reserveCapacity(items.count)
    for item in items {
      do {
        exported.append(try JSONValue.parse(item.json))
      } catch {
        throw StoreError(
          .corruptItem,
          "item \(item.id) of session \(sessionID) is not valid JSON (\(error)); the database was edited "
            + "outside ollama-agents; delete that row or the session")
      }
    }
    let document: JSONValue = [
      "format": .string(SessionStore.exportFormat),
      "version": .int(SessionStore.exportVersion),
      "session_id": .string(summary.sessionID),
      "created_at": .string(summary.createdAt.formatted(.iso8601)),
      "updated_at": .string(summary.updatedAt.formatted(.iso8601)),
      "items": .array(exported),
    ]
    return Data(document.jsonBytes)
  }
}
