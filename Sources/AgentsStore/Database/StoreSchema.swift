import GRDB

/// The versioned schema of the store: an ordered list of migrations, recorded in SQLite's `user_version`.
///
/// Migrations run inside one `BEGIN IMMEDIATE` transaction, so when several processes open a fresh file at
/// once exactly one of them migrates and the others wait, then find the schema up to date. A database whose
/// version is newer than ``latestVersion`` was written by a newer build and is refused rather than damaged.
public enum StoreSchema {
  /// One step of the schema: the version it produces and the SQL that gets there from the previous version.
  struct Migration: Sendable {
    /// The `user_version` after this migration.
    var version: Int
    /// What the migration adds, for logs.
    var summary: String
    /// The statements to run.
    var sql: String
  }

  /// The schema version this build writes.
  public static var latestVersion: Int { migrations.last?.version ?? 0 }

  static let migrations: [Migration] = [
    Migration(
      version: 1, summary: "sessions and their items",
      sql: """
        CREATE TABLE agent_sessions (
          session_id TEXT PRIMARY KEY NOT NULL,
          created_at REAL NOT NULL,
          updated_at REAL NOT NULL
        );
        CREATE TABLE agent_messages (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          session_id TEXT NOT NULL REFERENCES agent_sessions(session_id) ON DELETE CASCADE,
          message_data TEXT NOT NULL,
          created_at REAL NOT NULL
        );
        CREATE INDEX agent_messages_by_session ON agent_messages(session_id, id);
        """),
    Migration(
      version: 2, summary: "run records, tool calls and model switches",
      sql: """
        CREATE TABLE runs (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          run_id TEXT NOT NULL UNIQUE,
          agent TEXT NOT NULL,
          model TEXT NOT NULL,
          server TEXT NOT NULL,
          session_id TEXT,
          started_at REAL NOT NULL,
          duration_ms REAL NOT NULL,
          first_token_ms REAL,
          input_tokens INTEGER NOT NULL,
          output_tokens INTEGER NOT NULL,
          turns INTEGER NOT NULL,
          success INTEGER NOT NULL,
          error_kind TEXT,
          from_cache INTEGER NOT NULL
        );
        CREATE INDEX runs_by_start ON runs(started_at);
        CREATE INDEX runs_by_agent ON runs(agent, started_at);
        CREATE TABLE run_tool_calls (
          run_row INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          name TEXT NOT NULL,
          PRIMARY KEY (run_row, position)
        );
        CREATE TABLE model_switches (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          at REAL NOT NULL,
          agent TEXT NOT NULL,
          from_model TEXT NOT NULL,
          to_model TEXT NOT NULL,
          reason TEXT NOT NULL
        );
        CREATE INDEX model_switches_by_time ON model_switches(at);
        """),
    Migration(
      version: 3, summary: "response cache",
      sql: """
        CREATE TABLE response_cache (
          key TEXT PRIMARY KEY NOT NULL,
          model TEXT NOT NULL,
          response BLOB NOT NULL,
          size INTEGER NOT NULL,
          created_at REAL NOT NULL,
          last_used_at REAL NOT NULL,
          hits INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX response_cache_by_use ON response_cache(last_used_at);
        """),
    Migration(
      version: 4, summary: "cut answers: a flag and the finish reason per run",
      sql: """
        ALTER TABLE runs ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE runs ADD COLUMN finish_reason TEXT;
        """),
    Migration(
      version: 5, summary: "session turns kept under a client's key",
      sql: """
        CREATE TABLE agent_session_turns (
          session_id TEXT NOT NULL REFERENCES agent_sessions(session_id) ON DELETE CASCADE,
          turn_key TEXT NOT NULL,
          response BLOB NOT NULL,
          created_at REAL NOT NULL,
          PRIMARY KEY (session_id, turn_key)
        );
        """),
  ]

  /// Reads the schema version recorded in the database (0 for a new file).
  static func version(_ db: Database) throws -> Int {
    try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
  }

  /// Brings the database up to `target` (the latest version by default) in one immediate transaction.
  ///
  /// Returns the migrations that ran. Must be called outside any transaction.
  @discardableResult
  static func migrate(_ db: Database, upTo target: Int = latestVersion, path: String) throws -> [Migration] {
    var applied: [Migration] = []
    try db.inTransaction(.immediate) {
      let current = try version(db)
      guard current <= latestVersion else {
        throw StoreError(
          .newerSchema,
          "the database \(path) has schema version \(current), but this build of ollama-agents only knows "
            + "versions up to \(latestVersion); upgrade ollama-agents, or set AGENTS_HOME to another directory")
      }
      for migration in migrations where migration.version > current && migration.version <= target {
        try db.execute(sql: migration.sql)
        try db.execute(sql: "PRAGMA user_version = \(migration.version)")
        applied.append(migration)
      }
      return .commit
    }
    return applied
  }
}
