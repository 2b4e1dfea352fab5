import Agents
import Foundation

/// A ``Session`` kept in the local SQLite store: conversation history that survives restarts and can be shared
/// by several processes.
///
/// Semantics follow the Python SDK's `SQLiteSession`: ``items(limit:)`` returns the newest items in chronological
/// order, ``popItem()`` removes the newest, ``clear()`` deletes the session. Each ``addItems(_:)`` call (the
/// runner makes one per successful run) is one transaction, so a crash never leaves half a turn behind.
public struct SQLiteSession: Session {
  /// The session's identifier.
  public let sessionID: String
  /// The store the items live in.
  public let store: SessionStore
  /// The limit used when ``items(limit:)`` is called without one (the Python SDK's `SessionSettings.limit`);
  /// nil keeps the whole history.
  public var defaultLimit: Int?

  /// Creates a session view over `store`; nothing is written until items are added.
  public init(sessionID: String, store: SessionStore, defaultLimit: Int? = nil) {
    self.sessionID = sessionID
    self.store = store
    self.defaultLimit = defaultLimit
  }

  /// Creates a session in `database`.
  public init(sessionID: String, database: AgentsDatabase, defaultLimit: Int? = nil) {
    self.init(sessionID: sessionID, store: SessionStore(database: database), defaultLimit: defaultLimit)
  }

  /// The newest `limit` items (``defaultLimit`` when nil), oldest first.
  public func items(limit: Int? = nil) async throws -> [Item] {
    let stored = try await store.items(in: sessionID, limit: limit ?? defaultLimit)
    let decoder = JSONDecoder()
    return try stored.map { try decode($0, with: decoder) }
  }

  /// Appends `items` in one transaction.
  public func addItems(_ items: [Item]) async throws {
    let encoder = JSONEncoder()
    let encoded = try items.enumerated().map { index, item in
      do {
        return try encoder.encode(item)
      } catch {
        throw StoreError(
          .encoding, "item \(index) for session \(sessionID) could not be encoded (\(error)); nothing was saved")
      }
    }
    try await store.addItems(encoded, to: sessionID)
  }

  /// Removes and returns the newest item, or nil when the session is empty.
  public func popItem() async throws -> Item? {
    guard let stored = try await store.popItem(from: sessionID) else { return nil }
    return try decode(stored, with: JSONDecoder())
  }

  /// Deletes the session and all its items.
  public func clear() async throws {
    try await store.deleteSession(sessionID)
  }

  private func decode(_ stored: StoredSessionItem, with decoder: JSONDecoder) throws -> Item {
    do {
      return try decoder.decode(Item.self, from: stored.json)
    } catch {
      throw StoreError(
        .corruptItem,
        "item \(stored.id) of session \(sessionID) is not a conversation item (\(error)); it was written by "
          + "another program or an incompatible version; export the session to inspect it, or delete it")
    }
  }
}
