import Foundation
import GRDB
import WireCore

/// One item of a stored session: its JSON text as it was added, with its position and time.
@MemberwiseInit
public struct StoredSessionItem: Sendable, Hashable {
  /// The row id; ids grow with insertion order across all sessions.
  public var id: Int64
  /// The item's JSON encoding, exactly as it was added.
  public var json: Data
  /// When the item was added.
  public var createdAt: Date
}

/// A stored session's identity, times and size, as `agents sessions list` shows it.
@MemberwiseInit
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

/// Conversation history kept in the local SQLite store, with the Python SDK's `SQLiteSession` semantics on JSON
/// items: the SQLite ``SessionStorage``.
///
/// Items are stored as JSON text keyed by session id and ordered by an auto-increment row id. Adding a batch
/// of items (a turn) is one transaction, so after a crash a session holds whole turns only.
public struct SessionStore: SessionStorage {
  /// The database the sessions live in.
  public let database: AgentsDatabase
  private let clock: @Sendable () -> Date

  /// Creates a view of the sessions in `database`; `clock` stamps new items (the wall clock by default).
  public init(database: AgentsDatabase, clock: @escaping @Sendable () -> Date = { Date() }) {
    self.database = database
    self.clock = clock
  }

  /// Returns the newest `limit` items of the session (all when `limit` is nil) in chronological order.
  public func items(in sessionID: String, limit: Int?) async throws -> [StoredSessionItem] {
    try SessionArguments.validate(sessionID)
    try SessionArguments.validate(limit: limit)
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
    try SessionArguments.validate(items: items, for: sessionID)
    guard !items.isEmpty else { return }
    let now = clock().timeIntervalSince1970
    try await database.write("saving \(items.count) items to session \(sessionID)") { db in
      try SessionStore.insert(items, into: sessionID, at: now, db)
    }
  }

  /// Appends one turn's items and records it under `key` with its `response`, in one transaction; when the
  /// session already has a turn with that key, saves nothing and returns that turn.
  public func addTurn(_ items: [Data], to sessionID: String, key: String, response: Data) async throws -> SessionTurn? {
    try SessionArguments.validate(items: items, for: sessionID)
    try SessionArguments.validate(key: key)
    let now = clock().timeIntervalSince1970
    return try await database.write("saving a turn of \(items.count) items to session \(sessionID)") { db in
      if let earlier = try SessionStore.turn(key, in: sessionID, db) { return earlier }
      try SessionStore.insert(items, into: sessionID, at: now, db)
      try db.execute(
        sql: "INSERT INTO agent_session_turns (session_id, turn_key, response, created_at) VALUES (?, ?, ?, ?)",
        arguments: [sessionID, key, response, now])
      return nil
    }
  }

  /// The turn recorded under `key` in the session, or nil.
  public func turn(_ key: String, in sessionID: String) async throws -> SessionTurn? {
    try SessionArguments.validate(sessionID)
    return try await database.read("reading a turn of session \(sessionID)") { db in
      try SessionStore.turn(key, in: sessionID, db)
    }
  }

  private static func insert(_ items: [Data], into sessionID: String, at now: Double, _ db: Database) throws {
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

  private static func turn(_ key: String, in sessionID: String, _ db: Database) throws -> SessionTurn? {
    try Row.fetchOne(
      db, sql: "SELECT response, created_at FROM agent_session_turns WHERE session_id = ? AND turn_key = ?",
      arguments: [sessionID, key]
    ).map { SessionTurn(key: key, response: $0["response"], createdAt: Date(timeIntervalSince1970: $0["created_at"])) }
  }

  /// Removes and returns the newest item of the session, or nil when it is empty.
  public func popItem(from sessionID: String) async throws -> StoredSessionItem? {
    try SessionArguments.validate(sessionID)
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
    try SessionArguments.validate(sessionID)
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
    try SessionArguments.validate(sessionID)
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
}
