import Foundation
import GRDB
import WireCore

/// One item of a stored session: its JSON text as it was added, with its position and time.
public struct StoredSessionItem: Sendable, Hashable {
  /// The row id; ids grow with insertion order across all sessions.
  public var id: Int64
  /// The item's JSON encoding, exactly as it was added.
  public var json: Data
  /// When the item was added.
  public var createdAt: Date
}

/// A stored session's identity, times and size, as `agents sessions list` shows it.
public struct SessionSummary: Sendable, Hashable {
  /// The session id.
  public var sessionID: String
  /// When the first item was added.
  public var createdAt: Date
  /// When items were last added.
  public var updatedAt: Date
  /// How many items the session holds.
  public var itemCount: Int
}

/// Conversation history kept in the store, with the Python SDK's `SQLiteSession` semantics on JSON items.
///
/// Items are stored as JSON text keyed by session id and ordered by an auto-increment row id. Adding a batch
/// of items (a turn) is one transaction, so after a crash a session holds whole turns only.
public struct SessionStore: Sendable {
  /// The database the sessions live in.
  public let database: AgentsDatabase
  private let clock: @Sendable () -> Date

  /// Creates a view of the sessions in `database`; `clock` stamps new items (the wall clock by default).
  public init(database: AgentsDatabase, clock: @escaping @Sendable () -> Date = { Date() }) {
    self.database = database
    self.clock = clock
  }

  /// Returns the newest `limit` items of the session (all when `limit` is nil) in chronological order.
  public func items(in sessionID: String, limit: Int? = nil) async throws -> [StoredSessionItem] {
    try SessionStore.validate(sessionID)
    if let limit, limit < 0 {
      throw StoreError(.invalidArgument, "a session item limit must be zero or more, got \(limit)")
    }
    return try await database.read("reading session \(sessionID)") { db in
      let rows: [Row]
      if let limit {
        rows = try Row.fetchAll(
          db,
          sql: """
            SELECT id, message_data, created_at FROM agent_messages
            WHERE session_id = ? ORDER BY id DESC LIMIT ?
            """,
          arguments: [sessionID, limit]
        ).reversed()
      } else {
        rows = try Row.fetchAll(
          db,
          sql: "SELECT id, message_data, created_at FROM agent_messages WHERE session_id = ? ORDER BY id",
          arguments: [sessionID])
      }
      return rows.map(SessionStore.item)
    }
  }

  /// Appends `items` (each one JSON document) to the session in one transaction, creating the session if new.
  public func addItems(_ items: [Data], to sessionID: String) async throws {
    try SessionStore.validate(sessionID)
    guard !items.isEmpty else { return }
    for (index, item) in items.enumerated() {
      do {
        _ = try JSONValue.parse(item)
      } catch {
        throw StoreError(
          .encoding, "item \(index) added to session \(sessionID) is not valid JSON (\(error)); nothing was saved")
      }
    }
    let now = clock().timeIntervalSince1970
    try await database.write("saving \(items.count) items to session \(sessionID)") { db in
      try db.execute(
        sql: """
          INSERT INTO agent_sessions (session_id, created_at, updated_at) VALUES (?, ?, ?)
          ON CONFLICT(session_id) DO UPDATE SET updated_at = excluded.updated_at
          """,
        arguments: [sessionID, now, now])
      let insert = try db.cachedStatement(
        sql: "INSERT INTO agent_messages (session_id, message_data, created_at) VALUES (?, ?, ?)")
      for item in items {
        try insert.execute(arguments: [sessionID, String(decoding: item, as: UTF8.self), now])
      }
    }
  }

  /// Removes and returns the newest item of the session, or nil when it is empty.
  public func popItem(from sessionID: String) async throws -> StoredSessionItem? {
    try SessionStore.validate(sessionID)
    return try await database.write("removing the newest item of session \(sessionID)") { db in
      guard
        let row = try Row.fetchOne(
          db,
          sql: """
            SELECT id, message_data, created_at FROM agent_messages
            WHERE session_id = ? ORDER BY id DESC LIMIT 1
            """,
          arguments: [sessionID])
      else { return nil }
      let item = SessionStore.item(row)
      try db.execute(sql: "DELETE FROM agent_messages WHERE id = ?", arguments: [item.id])
      return item
    }
  }

  /// Deletes the session and all its items; returns whether it existed.
  @discardableResult
  public func deleteSession(_ sessionID: String) async throws -> Bool {
    try SessionStore.validate(sessionID)
    return try await database.write("deleting session \(sessionID)") { db in
      try db.execute(sql: "DELETE FROM agent_sessions WHERE session_id = ?", arguments: [sessionID])
      return db.changesCount > 0
    }
  }

  /// Lists every stored session, most recently updated first.
  public func sessions() async throws -> [SessionSummary] {
    try await database.read("listing sessions") { db in
      try Row.fetchAll(db, sql: SessionStore.summarySQL + " ORDER BY s.updated_at DESC, s.session_id")
        .map(SessionStore.summary)
    }
  }

  /// Returns the summary of one session, or nil when no session has that id.
  public func summary(of sessionID: String) async throws -> SessionSummary? {
    try SessionStore.validate(sessionID)
    return try await database.read("reading session \(sessionID)") { db in
      try Row.fetchOne(db, sql: SessionStore.summarySQL + " WHERE s.session_id = ?", arguments: [sessionID])
        .map(SessionStore.summary)
    }
  }

  private static let summarySQL = """
    SELECT s.session_id, s.created_at, s.updated_at,
           (SELECT COUNT(*) FROM agent_messages m WHERE m.session_id = s.session_id) AS item_count
    FROM agent_sessions s
    """

  private static func item(_ row: Row) -> StoredSessionItem {
    let text: String = row["message_data"]
    return StoredSessionItem(
      id: row["id"], json: Data(text.utf8), createdAt: Date(timeIntervalSince1970: row["created_at"]))
  }

  private static func summary(_ row: Row) -> SessionSummary {
    SessionSummary(
      sessionID: row["session_id"],
      createdAt: Date(timeIntervalSince1970: row["created_at"]),
      updatedAt: Date(timeIntervalSince1970: row["updated_at"]),
      itemCount: row["item_count"])
  }

  static func validate(_ sessionID: String) throws(StoreError) {
    guard !sessionID.isEmpty else {
      throw StoreError(.invalidArgument, "a session id must not be empty; pass a name such as \"default\"")
    }
  }
}
