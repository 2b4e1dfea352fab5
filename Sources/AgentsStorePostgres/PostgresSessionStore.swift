import AgentsStore
import Foundation
import Logging
import PostgresNIO

/// Conversation history in PostgreSQL: the ``SessionStorage`` that several processes share, with the same
/// semantics as the SQLite ``SessionStore`` (tested by the same suite).
///
/// Get one from ``PostgresStore/sessions``. Adding items is one transaction; items are ordered by a sequence,
/// so the history of a session reads back in the order its turns were saved.
public struct PostgresSessionStore: SessionStorage {
  /// The database the sessions live in.
  public let store: PostgresStore
  private let clock: @Sendable () -> Date

  /// Creates a view of the sessions in `store`; `clock` stamps new items (the wall clock by default).
  public init(store: PostgresStore, clock: @escaping @Sendable () -> Date = { Date() }) {
    self.store = store
    self.clock = clock
  }

  /// The newest `limit` items of the session (all when nil), oldest first.
  public func items(in sessionID: String, limit: Int?) async throws -> [StoredSessionItem] {
    try SessionArguments.validate(sessionID)
    try SessionArguments.validate(limit: limit)
    return try await store.read("reading session \(sessionID)") { connection, logger in
      let rows: PostgresRowSequence
      if let limit {
        rows = try await connection.query(
          """
          SELECT id, message_data, created_at FROM (
            SELECT id, message_data, created_at FROM agent_messages WHERE session_id = \(sessionID)
            ORDER BY id DESC LIMIT \(limit)) newest
          ORDER BY id
          """, logger: logger)
      } else {
        rows = try await connection.query(
          "SELECT id, message_data, created_at FROM agent_messages WHERE session_id = \(sessionID) ORDER BY id",
          logger: logger)
      }
      var items: [StoredSessionItem] = []
      for try await (id, text, createdAt) in rows.decode((Int64, String, Double).self) {
        items.append(StoredSessionItem(id: id, json: Data(text.utf8), createdAt: Date(timeIntervalSince1970: createdAt)))
      }
      return items
    }
  }

  /// Appends `items` to the session in one transaction, creating the session if new.
  public func addItems(_ items: [Data], to sessionID: String) async throws {
    try SessionArguments.validate(items: items, for: sessionID)
    guard !items.isEmpty else { return }
    let now = clock().timeIntervalSince1970
    try await store.transaction("saving \(items.count) items to session \(sessionID)") { connection, logger in
      try await Self.insert(items, into: sessionID, at: now, connection, logger)
    }
  }

  /// Appends one turn's items and records it under `key`, in one transaction; when the session already has a turn
  /// with that key (saved earlier, or by a concurrent request that commits first), saves nothing and returns it.
  public func addTurn(_ items: [Data], to sessionID: String, key: String, response: Data) async throws -> SessionTurn? {
    try SessionArguments.validate(items: items, for: sessionID)
    try SessionArguments.validate(key: key)
    let now = clock().timeIntervalSince1970
    let saved = try await store.transaction("saving a turn of \(items.count) items to session \(sessionID)") {
      connection, logger -> Bool in
      try await Self.touch(sessionID, at: now, connection, logger)
      // A concurrent insert of the same key waits here until the other transaction ends, then finds the row.
      let inserted = try await connection.query(
        """
        INSERT INTO agent_session_turns (session_id, turn_key, response, created_at)
        VALUES (\(sessionID), \(key), \(response), \(now)) ON CONFLICT (session_id, turn_key) DO NOTHING RETURNING 1
        """, logger: logger
      ).collect()
      guard !inserted.isEmpty else { return false }
      try await Self.insertMessages(items, into: sessionID, at: now, connection, logger)
      return true
    }
    return saved ? nil : try await turn(key, in: sessionID)
  }

  /// The turn recorded under `key` in the session, or nil.
  public func turn(_ key: String, in sessionID: String) async throws -> SessionTurn? {
    try SessionArguments.validate(sessionID)
    return try await store.read("reading a turn of session \(sessionID)") { connection, logger in
      let rows = try await connection.query(
        "SELECT response, created_at FROM agent_session_turns WHERE session_id = \(sessionID) AND turn_key = \(key)",
        logger: logger)
      for try await (response, createdAt) in rows.decode((Data, Double).self) {
        return SessionTurn(key: key, response: response, createdAt: Date(timeIntervalSince1970: createdAt))
      }
      return nil
    }
  }

  /// Removes and returns the newest item of the session, or nil when it is empty.
  public func popItem(from sessionID: String) async throws -> StoredSessionItem? {
    try SessionArguments.validate(sessionID)
    return try await store.transaction("removing the newest item of session \(sessionID)") { connection, logger in
      let rows = try await connection.query(
        """
        DELETE FROM agent_messages WHERE id = (
          SELECT id FROM agent_messages WHERE session_id = \(sessionID) ORDER BY id DESC LIMIT 1 FOR UPDATE)
        RETURNING id, message_data, created_at
        """, logger: logger)
      for try await (id, text, createdAt) in rows.decode((Int64, String, Double).self) {
        return StoredSessionItem(id: id, json: Data(text.utf8), createdAt: Date(timeIntervalSince1970: createdAt))
      }
      return nil
    }
  }

  /// Deletes the session, its items and its turns; returns whether it existed.
  @discardableResult
  public func deleteSession(_ sessionID: String) async throws -> Bool {
    try SessionArguments.validate(sessionID)
    return try await store.transaction("deleting session \(sessionID)") { connection, logger in
      let rows = try await connection.query(
        "DELETE FROM agent_sessions WHERE session_id = \(sessionID) RETURNING 1", logger: logger
      ).collect()
      return !rows.isEmpty
    }
  }

  /// Lists every stored session, most recently updated first.
  public func sessions() async throws -> [SessionSummary] {
    try await store.read("listing sessions") { connection, logger in
      try await Self.summaries(
        connection.query(
          PostgresQuery(unsafeSQL: Self.summarySQL + " ORDER BY s.updated_at DESC, s.session_id"), logger: logger))
    }
  }

  /// The summary of one session, or nil when no session has that id.
  public func summary(of sessionID: String) async throws -> SessionSummary? {
    try SessionArguments.validate(sessionID)
    return try await store.read("reading session \(sessionID)") { connection, logger in
      var bindings = PostgresBindings()
      bindings.append(sessionID)
      return try await Self.summaries(
        connection.query(PostgresQuery(unsafeSQL: Self.summarySQL + " WHERE s.session_id = $1", binds: bindings), logger: logger)
      ).first
    }
  }

  private static let summarySQL = """
    SELECT s.session_id, s.created_at, s.updated_at,
           (SELECT COUNT(*) FROM agent_messages m WHERE m.session_id = s.session_id) AS item_count
    FROM agent_sessions s
    """

  private static func summaries(_ rows: PostgresRowSequence) async throws -> [SessionSummary] {
    var summaries: [SessionSummary] = []
    for try await (id, created, updated, count) in rows.decode((String, Double, Double, Int64).self) {
      summaries.append(
        SessionSummary(
          sessionID: id, createdAt: Date(timeIntervalSince1970: created), updatedAt: Date(timeIntervalSince1970: updated),
          itemCount: Int(count)))
    }
    return summaries
  }

  private static func insert(
    _ items: [Data], into sessionID: String, at now: Double, _ connection: PostgresConnection, _ logger: Logger
  ) async throws {
    try await touch(sessionID, at: now, connection, logger)
    try await insertMessages(items, into: sessionID, at: now, connection, logger)
  }

  /// Creates the session or marks it updated.
  private static func touch(
    _ sessionID: String, at now: Double, _ connection: PostgresConnection, _ logger: Logger
  ) async throws {
    try await connection.query(
      """
      INSERT INTO agent_sessions (session_id, created_at, updated_at) VALUES (\(sessionID), \(now), \(now))
      ON CONFLICT (session_id) DO UPDATE SET updated_at = excluded.updated_at
      """, logger: logger)
  }

  /// Inserts the items in order with one statement.
  private static func insertMessages(
    _ items: [Data], into sessionID: String, at now: Double, _ connection: PostgresConnection, _ logger: Logger
  ) async throws {
    guard !items.isEmpty else { return }
    let texts = items.map { String(decoding: $0, as: UTF8.self) }
    try await connection.query(
      """
      INSERT INTO agent_messages (session_id, message_data, created_at)
      SELECT \(sessionID), item, \(now) FROM unnest(\(texts)::text[]) WITH ORDINALITY AS batch(item, position)
      ORDER BY position
      """, logger: logger)
  }
}
