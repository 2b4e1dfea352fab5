import Foundation
import GRDB
import WireCore

/// Run records and model switch events kept in the local SQLite store, for `agents stats` and `agents runs`: the
/// SQLite ``RunStorage``.
@MemberwiseInit
public struct RunStore: RunStorage {
  /// The database the records live in.
  public let database: AgentsDatabase

  /// Saves several run records in one transaction; returns how many were new.
  @discardableResult
  public func record(contentsOf runs: [RunRecord]) async throws -> Int {
    guard !runs.isEmpty else { return 0 }
    for run in runs { try RunArguments.validate(run) }
    return try await database.write("saving \(runs.count) run records") { db in
      var inserted = 0
      for run in runs where try RunStore.insert(run, db) { inserted += 1 }
      return inserted
    }
  }

  /// Saves a model switch event.
  public func record(_ event: ModelSwitch) async throws {
    try await database.write("saving a model switch of agent \(event.agent)") { db in
      try db.execute(
        sql: "INSERT INTO model_switches (at, agent, from_model, to_model, reason) VALUES (?, ?, ?, ?, ?)",
        arguments: [event.at.timeIntervalSince1970, event.agent, event.fromModel, event.toModel, event.reason])
    }
  }

  /// Returns the run records that match `filter`, newest first, at most `limit` of them.
  public func runs(matching filter: RunFilter, limit: Int) async throws -> [RunRecord] {
    try RunArguments.validate(limit: limit)
    return try await database.read("listing runs") { db in
      let condition = filter.runCondition()
      let rows = try Row.fetchAll(
        db,
        sql: "SELECT * FROM runs WHERE \(condition.sql) ORDER BY started_at DESC, id DESC LIMIT ?",
        arguments: condition.arguments + [limit])
      let tools = try RunStore.toolCalls(for: rows.map { $0["id"] as Int64 }, db)
      return rows.map { RunStore.record($0, toolCalls: tools[$0["id"] as Int64] ?? []) }
    }
  }

  /// Counts the run records that match `filter`.
  public func count(matching filter: RunFilter) async throws -> Int {
    try await database.read("counting runs") { db in
      let condition = filter.runCondition()
      return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs WHERE \(condition.sql)", arguments: condition.arguments)
        ?? 0
    }
  }

  /// The model switches in `filter`'s time window (and of its agent, when it names one), newest first.
  public func modelSwitches(matching filter: RunFilter) async throws -> [ModelSwitch] {
    try await database.read("listing model switches") { db in
      let condition = filter.switchCondition()
      return try Row.fetchAll(
        db, sql: "SELECT * FROM model_switches WHERE \(condition.sql) ORDER BY at DESC, id DESC",
        arguments: condition.arguments
      ).map {
        ModelSwitch(
          at: Date(timeIntervalSince1970: $0["at"]), agent: $0["agent"], fromModel: $0["from_model"],
          toModel: $0["to_model"], reason: $0["reason"])
      }
    }
  }

  /// Deletes run records and model switches older than `date`; returns how many run records went.
  @discardableResult
  public func deleteRecords(before date: Date) async throws -> Int {
    try await database.write("deleting old run records") { db in
      try db.execute(sql: "DELETE FROM runs WHERE started_at < ?", arguments: [date.timeIntervalSince1970])
      let deleted = db.changesCount
      try db.execute(sql: "DELETE FROM model_switches WHERE at < ?", arguments: [date.timeIntervalSince1970])
      return deleted
    }
  }

  private static func insert(_ run: RunRecord, _ db: Database) throws -> Bool {
    try db.execute(
      sql: """
        INSERT INTO runs (run_id, agent, model, server, session_id, started_at, duration_ms, first_token_ms,
                          input_tokens, output_tokens, turns, success, error_kind, from_cache, truncated,
                          finish_reason)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(run_id) DO NOTHING
        """,
      arguments: [
        run.runID, run.agent, run.model, run.server, run.sessionID, run.startedAt.timeIntervalSince1970,
        run.duration.milliseconds, run.timeToFirstToken?.milliseconds, run.inputTokens, run.outputTokens,
        run.turns, run.succeeded, run.succeeded ? nil : (run.errorKind ?? "unknown"), run.servedFromCache,
        run.truncated, run.finishReason,
      ])
    guard db.changesCount > 0 else { return false }
    let row = db.lastInsertedRowID
    let insertTool = try db.cachedStatement(sql: "INSERT INTO run_tool_calls (run_row, position, name) VALUES (?, ?, ?)")
    for (position, name) in run.toolCalls.enumerated() {
      try insertTool.execute(arguments: [row, position, name])
    }
    return true
  }

  private static func toolCalls(for rows: [Int64], _ db: Database) throws -> [Int64: [String]] {
    guard !rows.isEmpty else { return [:] }
    var result: [Int64: [String]] = [:]
    let bindMarkers = Array(repeating: "?", count: rows.count).joined(separator: ",")
    let toolRows = try Row.fetchAll(
      db,
      sql: "SELECT run_row, name FROM run_tool_calls WHERE run_row IN (\(bindMarkers)) ORDER BY run_row, position",
      arguments: StatementArguments(rows))
    for row in toolRows { result[row["run_row"], default: []].append(row["name"]) }
    return result
  }

  private static func record(_ row: Row, toolCalls: [String]) -> RunRecord {
    let firstToken: Double? = row["first_token_ms"]
    return RunRecord(
      runID: row["run_id"], agent: row["agent"], model: row["model"], server: ServerAddress(row["server"] as String),
      sessionID: row["session_id"], startedAt: Date(timeIntervalSince1970: row["started_at"]),
      duration: .milliseconds(row["duration_ms"] as Double), timeToFirstToken: firstToken.map { .milliseconds($0) },
      inputTokens: row["input_tokens"], outputTokens: row["output_tokens"], turns: row["turns"],
      toolCalls: toolCalls, succeeded: row["success"], errorKind: row["error_kind"],
      servedFromCache: row["from_cache"], truncated: row["truncated"], finishReason: row["finish_reason"])
  }
}
