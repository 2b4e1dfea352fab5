import Foundation
import GRDB

extension RunStore {
  /// Computes the usage report over the runs matching `filter`; rankings keep the top `limit` names.
  public func usageReport(matching filter: RunFilter = RunFilter(), limit: Int = 10) async throws -> UsageReport {
    guard limit > 0 else { throw StoreError(.invalidArgument, "a ranking limit must be at least 1, got \(limit)") }
    return try await database.read("computing usage statistics") { db in
      let condition = filter.sqlCondition()
      let runCondition = filter.sqlCondition(table: "r")
      let switches = filter.switchCondition()
      let agentStatistics = try RunStore.agentStatistics(db, condition)
      return UsageReport(
        filter: filter,
        agents: agentStatistics,
        mostUsedAgents: agentStatistics.prefix(limit).map { .init(name: $0.agent, count: $0.runs) },
        mostUsedModels: try RunStore.ranking(
          db, sql: "SELECT model AS name, COUNT(*) AS n FROM runs WHERE \(condition.sql) GROUP BY model",
          condition.arguments, limit: limit),
        mostUsedTools: try RunStore.ranking(
          db,
          sql: """
            SELECT t.name AS name, COUNT(*) AS n FROM run_tool_calls t JOIN runs r ON r.id = t.run_row
            WHERE \(runCondition.sql) GROUP BY t.name
            """,
          runCondition.arguments, limit: limit),
        errorsByKind: try RunStore.ranking(
          db,
          sql: """
            SELECT error_kind AS name, COUNT(*) AS n FROM runs
            WHERE success = 0 AND \(condition.sql) GROUP BY error_kind
            """,
          condition.arguments, limit: limit),
        recentModelSwitches: try Row.fetchAll(
          db,
          sql: "SELECT * FROM model_switches WHERE \(switches.sql) ORDER BY at DESC, id DESC LIMIT ?",
          arguments: switches.arguments + [limit]
        ).map {
          ModelSwitch(
            at: Date(timeIntervalSince1970: $0["at"]), agent: $0["agent"], fromModel: $0["from_model"],
            toModel: $0["to_model"], reason: $0["reason"])
        },
        totals: try RunStore.totals(db, condition, runCondition, switches))
    }
  }

  private static func agentStatistics(
    _ db: Database, _ condition: (sql: String, arguments: StatementArguments)
  ) throws -> [UsageReport.AgentStatistics] {
    var statistics = try Row.fetchAll(
      db,
      sql: """
        SELECT agent, COUNT(*) AS runs, SUM(success) AS successes, SUM(from_cache) AS cached,
               SUM(truncated) AS truncated, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens
        FROM runs WHERE \(condition.sql) GROUP BY agent ORDER BY runs DESC, agent
        """,
      arguments: condition.arguments
    ).map {
      UsageReport.AgentStatistics(
        agent: $0["agent"], runs: $0["runs"], successes: $0["successes"], cachedRuns: $0["cached"],
        truncatedRuns: $0["truncated"], inputTokens: $0["input_tokens"], outputTokens: $0["output_tokens"])
    }
    let latencies = try samples(db, column: "duration_ms", condition)
    let firstTokens = try samples(db, column: "first_token_ms", condition)
    for index in statistics.indices {
      let agent = statistics[index].agent
      let durations = latencies[agent] ?? []
      statistics[index].medianLatency = Percentile.nearestRank(50, of: durations).map { .milliseconds($0) }
      statistics[index].p95Latency = Percentile.nearestRank(95, of: durations).map { .milliseconds($0) }
      statistics[index].medianTimeToFirstToken = Percentile.nearestRank(50, of: firstTokens[agent] ?? [])
        .map { .milliseconds($0) }
    }
    return statistics
  }

  /// Sorted values of `column` per agent, over successful runs not served from cache.
  private static func samples(
    _ db: Database, column: String, _ condition: (sql: String, arguments: StatementArguments)
  ) throws -> [String: [Double]] {
    var result: [String: [Double]] = [:]
    let rows = try Row.fetchCursor(
      db,
      sql: """
        SELECT agent, \(column) AS value FROM runs
        WHERE success = 1 AND from_cache = 0 AND \(column) IS NOT NULL AND \(condition.sql)
        ORDER BY agent, \(column)
        """,
      arguments: condition.arguments)
    while let row = try rows.next() {
      result[row["agent"], default: []].append(row["value"])
    }
    return result
  }

  private static func ranking(
    _ db: Database, sql: String, _ arguments: StatementArguments, limit: Int
  ) throws -> [UsageReport.UsageCount] {
    try Row.fetchAll(db, sql: sql + " ORDER BY n DESC, name LIMIT ?", arguments: arguments + [limit])
      .map { .init(name: $0["name"], count: $0["n"]) }
  }

  private static func totals(
    _ db: Database,
    _ condition: (sql: String, arguments: StatementArguments),
    _ runCondition: (sql: String, arguments: StatementArguments),
    _ switches: (sql: String, arguments: StatementArguments)
  ) throws -> UsageReport.Totals {
    var totals = UsageReport.Totals()
    if let row = try Row.fetchOne(
      db,
      sql: """
        SELECT COUNT(*) AS runs, COALESCE(SUM(success), 0) AS successes, COALESCE(SUM(from_cache), 0) AS cached,
               COALESCE(SUM(truncated), 0) AS truncated,
               COALESCE(SUM(input_tokens), 0) AS input_tokens, COALESCE(SUM(output_tokens), 0) AS output_tokens,
               COALESCE(SUM(turns), 0) AS turns, MIN(started_at) AS first_run, MAX(started_at) AS last_run
        FROM runs WHERE \(condition.sql)
        """,
      arguments: condition.arguments)
    {
      totals.runs = row["runs"]
      totals.successes = row["successes"]
      totals.cachedRuns = row["cached"]
      totals.truncatedRuns = row["truncated"]
      totals.inputTokens = row["input_tokens"]
      totals.outputTokens = row["output_tokens"]
      totals.turns = row["turns"]
      totals.firstRun = (row["first_run"] as Double?).map(Date.init(timeIntervalSince1970:))
      totals.lastRun = (row["last_run"] as Double?).map(Date.init(timeIntervalSince1970:))
    }
    totals.toolCalls =
      try Int.fetchOne(
        db, sql: "SELECT COUNT(*) FROM run_tool_calls t JOIN runs r ON r.id = t.run_row WHERE \(runCondition.sql)",
        arguments: runCondition.arguments) ?? 0
    totals.modelSwitches =
      try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM model_switches WHERE \(switches.sql)", arguments: switches.arguments)
      ?? 0
    return totals
  }
}
