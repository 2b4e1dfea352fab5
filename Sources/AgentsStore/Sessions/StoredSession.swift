import Agents
import Foundation

/// A ``Session`` kept in a session store (``SessionStorage``): conversation history that survives restarts and can
/// be shared by several processes: in the local SQLite file (``SessionStore``, also known as ``SQLiteSession``)
/// or in PostgreSQL (`PostgresSessionStore`).
///
/// Semantics follow the Python SDK's `SQLiteSession`: ``items(limit:)`` returns the newest items in chronological
/// order, ``popItem()`` removes the newest, ``clear()`` deletes the session. Each ``addItems(_:)`` call (the
/// runner makes one per successful run) is one transaction, so a crash never leaves half a turn behind.
@MemberwiseInit
public struct StoredSession: Session {
  /// The session's identifier.
  public let sessionID: String
  /// The store the items live in.
  public let store: any SessionStorage
  /// The limit used when ``items(limit:)`` is called without one (the Python SDK's `SessionSettings.limit`);
  /// nil keeps the whole history.
  public var defaultLimit: Int?

  /// Creates a session in the SQLite `database`.
  public init(sessionID: String, database: AgentsDatabase, defaultLimit: Int? = nil) {
    self.init(sessionID: sessionID, store: SessionStore(database: database), defaultLimit: defaultLimit)
  }

  /// The newest `limit` items (``defaultLimit`` when nil), oldest first.
  public func items(limit: Int? = nil) async throws -> [Item] {
    try Self.decode(try await store.items(in: sessionID, limit: limit ?? defaultLimit), for: sessionID)
  }

  /// Appends `items` in one transaction.
  public func addItems(_ items: [Item]) async throws {
    try await store.addItems(Self.encode(items, for: sessionID), to: sessionID)
  }

  /// Each item's JSON encoding, as stores keep it.
  ///
  /// - Throws: ``StoreError`` `encoding` naming the item that cannot be encoded.
  public static func encode(_ items: [Item], for sessionID: String) throws(StoreError) -> [Data] {
    let encoder = JSONEncoder()
    var encoded: [Data] = []
    encoded.reserveCapacity(items.count)
    for (index, item) in items.enumerated() {
      do {
        encoded.append(try encoder.encode(item))
      } catch {
        throw StoreError(
          .encoding, "item \(index) for session \(sessionID) could not be encoded (\(error)); nothing was saved")
      }
    }
    return encoded
  }

  /// Decodes stored items back into conversation items.
  ///
  /// - Throws: ``StoreError`` `corruptItem` naming the first item that is not a conversation item.
  public static func decode(_ stored: [StoredSessionItem], for sessionID: String) throws(StoreError) -> [Item] {
    let decoder = JSONDecoder()
    var items: [Item] = []
    items.reserveCapacity(stored.count)
    for item in stored { items.append(try decode(item, with: decoder, for: sessionID)) }
    return items
  }

  /// Removes and returns the newest item, or nil when the session is empty.
  public func popItem() async throws -> Item? {
    guard let stored = try await store.popItem(from: sessionID) else { return nil }
    return try Self.decode(stored, with: JSONDecoder(), for: sessionID)
  }

  /// Deletes the session and all its items.
  public func clear() async throws {
    try await store.deleteSession(sessionID)
  }

  private static func decode(
    _ stored: StoredSessionItem, with decoder: JSONDecoder, for sessionID: String
  ) throws(StoreError) -> Item {
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

/// The Python SDK's name for a session kept in a local SQLite file: ``StoredSession`` over ``SessionStore``.
public typealias SQLiteSession = StoredSession
