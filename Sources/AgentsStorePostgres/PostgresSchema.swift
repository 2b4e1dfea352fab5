import AgentsStore
import Logging
import PostgresNIO

/// The store's tables in PostgreSQL: the same tables, columns and meaning as the SQLite store
/// (`StoreSchema`), with PostgreSQL types, versioned in the table `agents_schema`.
///
/// Migrations run in one transaction under an advisory lock on the schema's name, so when several replicas
/// start against a fresh database exactly one creates the tables and the others wait, then find them current.
/// Times are seconds since 1970 (`DOUBLE PRECISION`), as in SQLite, so both stores return identical records.
public enum PostgresSchema {
  /// The schema version this build writes.
  public static var latestVersion: Int { migrations.count }

  /// The statements that bring version `index` to `index + 1`.
  static let migrations: [String] = [
    """
    CREATE TABLE agent_sessions (
      session_id TEXT PRIMARY KEY,
      created_at DOUBLE PRECISION NOT NULL,
      updated_at DOUBLE PRECISION NOT NULL
    );
    CREATE TABLE agent_messages (
      id BIGSERIAL PRIMARY KEY,
      session_id TEXT NOT NULL REFERENCES agent_sessions(session_id) ON DELETE CASCADE,
      message_data TEXT NOT NULL,
      created_at DOUBLE PRECISION NOT NULL
    );
    CREATE INDEX agent_messages_by_session ON agent_messages(session_id, id);
    CREATE TABLE agent_session_turns (
      session_id TEXT NOT NULL REFERENCES agent_sessions(session_id) ON DELETE CASCADE,
      turn_key TEXT NOT NULL,
      response BYTEA NOT NULL,
      created_at DOUBLE PRECISION NOT NULL,
      PRIMARY KEY (session_id, turn_key)
    );
    CREATE TABLE runs (
      id BIGSERIAL PRIMARY KEY,
      run_id TEXT NOT NULL UNIQUE,
      agent TEXT NOT NULL,
      model TEXT NOT NULL,
      server TEXT NOT NULL,
      session_id TEXT,
      started_at DOUBLE PRECISION NOT NULL,
      duration_ms DOUBLE PRECISION NOT NULL,
      first_token_ms DOUBLE PRECISION,
      input_tokens BIGINT NOT NULL,
      output_tokens BIGINT NOT NULL,
      turns BIGINT NOT NULL,
      success BOOLEAN NOT NULL,
      error_kind TEXT,
      from_cache BOOLEAN NOT NULL
    );
    CREATE INDEX runs_by_start ON runs(started_at);
    CREATE INDEX runs_by_agent ON runs(agent, started_at);
    CREATE TABLE run_tool_calls (
      run_row BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      name TEXT NOT NULL,
      PRIMARY KEY (run_row, position)
    );
    CREATE TABLE model_switches (
      id BIGSERIAL PRIMARY KEY,
      at DOUBLE PRECISION NOT NULL,
      agent TEXT NOT NULL,
      from_model TEXT NOT NULL,
      to_model TEXT NOT NULL,
      reason TEXT NOT NULL
    );
    CREATE INDEX model_switches_by_time ON model_switches(at);
    """,
    """
    ALTER TABLE runs ADD COLUMN truncated BOOLEAN NOT NULL DEFAULT FALSE;
    ALTER TABLE runs ADD COLUMN finish_reason TEXT;
    """,
  ]

  /// Creates `schema` if needed and runs the migrations it lacks; returns the versions applied.
  ///
  /// Must run inside a transaction (the advisory lock is released when it ends).
  static func migrate(_ connection: PostgresConnection, schema: String, logger: Logger) async throws -> [Int] {
    // `schema` is a checked plain identifier (PostgresLocation), so it can be written into the statements.
    try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(schema)))", logger: logger)
    try await connection.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema)", logger: logger)
    try await connection.query("SET LOCAL search_path TO \(unescaped: schema)", logger: logger)
    try await connection.query(
      "CREATE TABLE IF NOT EXISTS agents_schema (version INTEGER NOT NULL)", logger: logger)
    var current = 0
    for try await version in try await connection.query("SELECT version FROM agents_schema", logger: logger)
      .decode(Int.self)
    {
      current = version
    }
    guard current <= latestVersion else {
      throw StoreError(
        .newerSchema,
        "the PostgreSQL schema '\(schema)' has version \(current), but this build of ollama-agents only knows "
          + "versions up to \(latestVersion); upgrade ollama-agents, or use another schema (?schema=…)")
    }
    var applied: [Int] = []
    for (index, sql) in migrations.enumerated() where index + 1 > current {
      for statement in sql.split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
        try await connection.query(PostgresQuery(unsafeSQL: String(statement)), logger: logger)
      }
      applied.append(index + 1)
    }
    if current == 0 {
      try await connection.query("INSERT INTO agents_schema (version) VALUES (\(latestVersion))", logger: logger)
    } else if !applied.isEmpty {
      try await connection.query("UPDATE agents_schema SET version = \(latestVersion)", logger: logger)
    }
    return applied
  }
}
