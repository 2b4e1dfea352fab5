import Foundation
import GRDB

/// A model response kept in the local cache.
public struct CachedResponse: Sendable, Hashable {
  /// The request's key.
  public var key: CacheKey
  /// The model that produced the response.
  public var model: String
  /// The response as it was stored (the encoded model response).
  public var response: Data
  /// When the response was stored.
  public var createdAt: Date
  /// How many times the cache served it, including this time.
  public var hits: Int
}

/// The opt-in local cache of successful model responses, used as a fallback when the model server is unreachable.
///
/// Entries expire after ``Configuration/timeToLive``; the cache keeps at most ``Configuration/maximumEntries``
/// entries and ``Configuration/maximumBytes`` bytes, evicting the least recently used first.
public struct ResponseCache: Sendable {
  /// Limits of the cache.
  @MemberwiseInit
  public struct Configuration: Sendable, Hashable {
    /// The most entries kept.
    public var maximumEntries: Int = 1000
    /// The most response bytes kept; a single larger response is not cached.
    public var maximumBytes: Int = 64 * 1024 * 1024
    /// How long an entry may answer requests after it was stored.
    public var timeToLive: Duration = .seconds(7 * 86_400)
  }

  /// The size of the cache, as `agents cache` shows it.
  public struct Statistics: Sendable, Hashable {
    /// Entries stored (expired ones included until they are purged).
    public var entries: Int
    /// Response bytes stored.
    public var bytes: Int
    /// When the oldest entry was stored.
    public var oldest: Date?
    /// When the newest entry was stored.
    public var newest: Date?
  }

  /// The database the cache lives in.
  public let database: AgentsDatabase
  /// The cache's limits.
  public let configuration: Configuration
  private let clock: @Sendable () -> Date

  /// Creates a view of the cache in `database`; `clock` gives the current time (the wall clock by default).
  public init(
    database: AgentsDatabase, configuration: Configuration = Configuration(),
    clock: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.database = database
    self.configuration = configuration
    self.clock = clock
  }

  /// Stores `response` for `key`, replacing any earlier entry, then evicts expired and least recently used
  /// entries beyond the limits. Returns false (storing nothing) when the response alone exceeds the byte limit.
  @discardableResult
  public func store(_ response: Data, model: String, for key: CacheKey) async throws -> Bool {
    guard response.count <= configuration.maximumBytes else { return false }
    let now = clock().timeIntervalSince1970
    let limits = configuration
    let expiry = now - limits.timeToLive.timeInterval
    try await database.write("storing a cached response") { db in
      try db.execute(
        sql: """
          INSERT INTO response_cache (key, model, response, size, created_at, last_used_at, hits)
          VALUES (?, ?, ?, ?, ?, ?, 0)
          ON CONFLICT(key) DO UPDATE SET model = excluded.model, response = excluded.response,
            size = excluded.size, created_at = excluded.created_at, last_used_at = excluded.last_used_at, hits = 0
          """,
        arguments: [key.hex, model, response, response.count, now, now])
      try db.execute(sql: "DELETE FROM response_cache WHERE created_at < ?", arguments: [expiry])
      try db.execute(
        sql: """
          DELETE FROM response_cache WHERE key IN (
            SELECT key FROM response_cache ORDER BY last_used_at DESC, rowid DESC LIMIT -1 OFFSET ?)
          """,
        arguments: [max(0, limits.maximumEntries)])
      try db.execute(
        sql: """
          DELETE FROM response_cache WHERE key IN (
            SELECT key FROM (
              SELECT key, SUM(size) OVER (ORDER BY last_used_at DESC, rowid DESC ROWS UNBOUNDED PRECEDING) AS running
              FROM response_cache)
            WHERE running > ?)
          """,
        arguments: [limits.maximumBytes])
    }
    return true
  }

  /// Returns the unexpired response stored for `key` and marks it used, or nil when there is none.
  public func lookup(_ key: CacheKey) async throws -> CachedResponse? {
    let now = clock().timeIntervalSince1970
    let expiry = now - configuration.timeToLive.timeInterval
    return try await database.write("reading a cached response") { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT model, response, created_at, hits FROM response_cache WHERE key = ?",
          arguments: [key.hex])
      else { return nil }
      let createdAt: Double = row["created_at"]
      guard createdAt >= expiry else {
        try db.execute(sql: "DELETE FROM response_cache WHERE key = ?", arguments: [key.hex])
        return nil
      }
      try db.execute(
        sql: "UPDATE response_cache SET last_used_at = ?, hits = hits + 1 WHERE key = ?", arguments: [now, key.hex])
      return CachedResponse(
        key: key, model: row["model"], response: row["response"],
        createdAt: Date(timeIntervalSince1970: createdAt), hits: (row["hits"] as Int) + 1)
    }
  }

  /// Deletes every entry; returns how many there were.
  @discardableResult
  public func clear() async throws -> Int {
    try await database.write("clearing the response cache") { db in
      try db.execute(sql: "DELETE FROM response_cache")
      return db.changesCount
    }
  }

  /// Deletes expired entries; returns how many went.
  @discardableResult
  public func removeExpired() async throws -> Int {
    let expiry = clock().timeIntervalSince1970 - configuration.timeToLive.timeInterval
    return try await database.write("removing expired cached responses") { db in
      try db.execute(sql: "DELETE FROM response_cache WHERE created_at < ?", arguments: [expiry])
      return db.changesCount
    }
  }

  /// Counts the entries and bytes stored.
  public func statistics() async throws -> Statistics {
    try await database.read("reading response cache statistics") { db in
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT COUNT(*) AS entries, COALESCE(SUM(size), 0) AS bytes, MIN(created_at) AS oldest,
                 MAX(created_at) AS newest FROM response_cache
          """)
      return Statistics(
        entries: row?["entries"] ?? 0, bytes: row?["bytes"] ?? 0,
        oldest: (row?["oldest"] as Double?).map(Date.init(timeIntervalSince1970:)),
        newest: (row?["newest"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }
  }
}
