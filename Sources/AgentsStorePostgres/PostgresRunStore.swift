import AgentsStore
import Foundation
import Logging
import PostgresNIO
import WireCore

/// Run records and model switches in PostgreSQL: the ``RunStorage`` that several processes share, with the same
/// semantics as the SQLite ``RunStore`` (tested by the same suite, and the same ``UsageReport``).
///
/// Get one from ``PostgresStore/runs``.
@MemberwiseInit
public struct PostgresRunStore: RunStorage {
  /// The database the records live in.
  public let store: PostgresStore

  /// Saves several run records in one transaction; returns how many were new.
  @discardableResult
  public func record(contentsOf runs: [RunRecord]) async throws -> Int {
    guard !runs.isEmpty else { return 0 }
    for run in runs { try RunArguments.validate(run) }
    return try await store.transaction("saving \(runs.count) run records") { connection, logger in
      var inserted = 0
      for run in runs where try await Self.insert(run, connection, logger) { inserted += 1 }
      return inserted
    }
  }

  /// Saves a model switch event.
  public func record(_ event: ModelSwitch) async throws {
    try await store.transaction("saving a model switch of agent \(event.agent)") { connection, logger in
      try await connection.query(
        """
        INSERT INTO model_switches (at, agent, from_model, to_model, reason)
        VALUES (\(event.at.timeIntervalSince1970), \(event.agent), \(event.fromModel), \(event.toModel), \(event.reason))
        """, logger: logger)
    }
  }

  /// The run records that match `filter`, newest first, at most `limit` of them.
  public func runs(matching filter: RunFilter, limit: Int) async throws -> [RunRecord] {
    try RunArguments.validate(limit: limit)
    return try await store.read("listing runs") { connection, logger in
      var query = Self.query(
        """
        SELECT id, run_id, agent, model, server, session_id, started_at, duration_ms, first_token_ms, input_tokens,
               output_tokens, turns, success, error_kind, from_cache, truncated, finish_reason
        FROM runs WHERE \\(condition) ORDER BY started_at DESC, id DESC LIMIT \\(next)
        """, filter.runCondition())
      query.binds.append(limit)
      var rows: [(Int64, RunRecord)] = []
      for try await row in try await connection.query(query, logger: logger) {
        rows.append(try Self.record(row))
      }
      let tools = try await Self.toolCalls(for: rows.map(\.0), connection, logger)
      return rows.map { id, record in
        var record = record
        record.toolCalls = tools[id] ?? []
        return record
      }
    }
  }

  /// Counts the run records that match `filter`.
  public func count(matching filter: RunFilter) async throws -> Int {
    try await store.read("counting runs") { connection, logger in
      let query = Self.query("SELECT COUNT(*) FROM runs WHERE \\(condition)", filter.runCondition())
      for try await count in try await connection.query(query, logger: logger).decode(Int64.self) { return Int(count) }
      return 0
    }
  }

  /// The model switches in `filter`'s window (and of its agent), newest first.
  public func modelSwitches(matching filter: RunFilter) async throws -> [ModelSwitch] {
    try await store.read("listing model switches") { connection, logger in
      let query = Self.query(
        "SELECT at, agent, from_model, to_model, reason FROM model_switches WHERE \\(condition) ORDER BY at DESC, id DESC",
        filter.switchCondition())
      var switches: [ModelSwitch] = []
      for try await (at, agent, from, to, reason) in try await connection.query(query, logger: logger)
        .decode((Double, String, String, String, String).self)
      {
        switches.append(
          ModelSwitch(at: Date(timeIntervalSince1970: at), agent: agent, fromModel: from, toModel: to, reason: reason))
      }
      return switches
    }
  }

  /// Deletes run records and model switches older than `date`; returns how many run records went.
  @discardableResult
  public func deleteRecords(before date: Date) async throws -> Int {
    let seconds = date.timeIntervalSince1970
    return try await store.transaction("deleting old run records") { connection, logger in
      let deleted = try await connection.query("DELETE FROM runs WHERE started_at < \(seconds) RETURNING 1", logger: logger)
        .collect().count
      try await connection.query("DELETE FROM model_switches WHERE at < \(seconds)", logger: logger)
      return deleted
    }
  }

  // MARK: Rows

  /// A query from `template`, where `\(condition)` stands for the filter's condition and `\(next)` for the next
  /// parameter number; the filter's values are bound in order.
  private static func query(_ template: String, _ condition: RunFilter.Condition) -> PostgresQuery {
    var sql = ""
    var number = 0
    for character in condition.sql {
      if character == "?" {
        number += 1
        sql += "$\(number)"
      } else {
        sql.append(character)
      }
    }
    var bindings = PostgresBindings()
    for value in condition.values {
      switch value {
      case .seconds(let seconds): bindings.append(seconds)
      case .text(let text): bindings.append(text)
      }
    }
    let text = template.replacingOccurrences(of: "\\(condition)", with: sql)
      .replacingOccurrences(of: "\\(next)", with: "$\(number + 1)")
    return PostgresQuery(unsafeSQL: text, binds: bindings)
  }

  private static func insert(_ run: RunRecord, _ connection: PostgresConnection, _ logger: Logger) async throws -> Bool {
    let errorKind = run.succeeded ? nil : (run.errorKind ?? "unknown")
    let firstToken = run.timeToFirstToken.map(\.milliseconds)
    let rows = try await connection.query(
      """
      INSERT INTO runs (run_id, agent, model, server, session_id, started_at, duration_ms, first_token_ms,
                        input_tokens, output_tokens, turns, success, error_kind, from_cache, truncated,
                        finish_reason)
      VALUES (\(run.runID), \(run.agent), \(run.model), \(run.server), \(run.sessionID),
              \(run.startedAt.timeIntervalSince1970), \(run.duration.milliseconds), \(firstToken),
              \(Int64(run.inputTokens)), \(Int64(run.outputTokens)), \(Int64(run.turns)), \(run.succeeded), \(errorKind),
              \(run.servedFromCache), \(run.truncated), \(run.finishReason))
      ON CONFLICT (run_id) DO NOTHING RETURNING id
      """, logger: logger)
    var row: Int64?
    for try await id in rows.decode(Int64.self) { row = id }
    guard let row else { return false }
    if !run.toolCalls.isEmpty {
      try await connection.query(
        """
        INSERT INTO run_tool_calls (run_row, position, name)
        SELECT \(row), position - 1, name FROM unnest(\(run.toolCalls)::text[]) WITH ORDINALITY AS calls(name, position)
        """, logger: logger)
    }
    return true
  }

  private static func toolCalls(
    for rows: [Int64], _ connection: PostgresConnection, _ logger: Logger
  ) async throws -> [Int64: [String]] {
    guard !rows.isEmpty else { return [:] }
    var result: [Int64: [String]] = [:]
    let query: PostgresQuery =
      "SELECT run_row, name FROM run_tool_calls WHERE run_row = ANY(\(rows)::bigint[]) ORDER BY run_row, position"
    for try await (row, name) in try await connection.query(query, logger: logger).decode((Int64, String).self) {
      result[row, default: []].append(name)
    }
    return result
  }

  private static func record(_ row: PostgresRow) throws -> (Int64, RunRecord) {
    let (
      id, runID, agent, model, server, sessionID, startedAt, durationMs, firstTokenMs, inputTokens, outputTokens, turns,
      success, errorKind, fromCache, truncated, finishReason
    ) = try row.decode(
      (
        Int64, String, String, String, String, String?, Double, Double, Double?, Int64, Int64, Int64, Bool, String?,
        Bool, Bool, String?
      ).self)
    return (
      id,
      RunRecord(
        runID: runID, agent: agent, model: model, server: ServerAddress(server), sessionID: sessionID,
        startedAt: Date(timeIntervalSince1970: startedAt), duration: .milliseconds(durationMs),
        timeToFirstToken: firstTokenMs.map { .milliseconds($0) }, inputTokens: Int(inputTokens),
        outputTokens: Int(outputTokens), turns: Int(turns), succeeded: success, errorKind: errorKind,
        servedFromCache: fromCache, truncated: truncated, finishReason: finishReason)
    )
  }
}
