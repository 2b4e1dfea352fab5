import Foundation

extension RunStorage {
  /// Computes the usage report over the runs matching `filter`; rankings keep the top `limit` names.
  ///
  /// Every store computes it the same way, from the matching records and model switches, so SQLite and
  /// PostgreSQL give identical reports.
  public func usageReport(matching filter: RunFilter, limit: Int) async throws -> UsageReport {
    try RunArguments.validate(rankingLimit: limit)
    let records = try await runs(matching: filter, limit: Int(Int32.max))
    let switches = try await modelSwitches(matching: filter)
    return UsageReport(filter: filter, records: records, switches: switches, limit: limit)
  }

  /// The usage report over every run, with the top `limit` names in each ranking.
  public func usageReport(limit: Int) async throws -> UsageReport {
    try await usageReport(matching: RunFilter(), limit: limit)
  }
}

extension UsageReport {
  /// The report over `records` (the runs in the window) and `switches` (newest first).
  init(filter: RunFilter, records: [RunRecord], switches: [ModelSwitch], limit: Int) {
    var byAgent: [String: [RunRecord]] = [:]
    for record in records { byAgent[record.agent, default: []].append(record) }
    let agents = byAgent.map { agent, runs in AgentStatistics(agent: agent, runs: runs) }
      .sorted { ($0.runs, $1.agent) > ($1.runs, $0.agent) }
    self.init(
      filter: filter,
      agents: agents,
      mostUsedAgents: agents.prefix(limit).map { UsageCount(name: $0.agent, count: $0.runs) },
      mostUsedModels: Self.ranking(records.map(\.model), limit: limit),
      mostUsedTools: Self.ranking(records.flatMap(\.toolCalls), limit: limit),
      errorsByKind: Self.ranking(records.filter { !$0.succeeded }.map { $0.errorKind ?? "unknown" }, limit: limit),
      recentModelSwitches: Array(switches.prefix(limit)),
      totals: Totals(records: records, modelSwitches: switches.count))
  }

  /// Names by how often they occur, most first (ties by name), the top `limit`.
  private static func ranking(_ names: [String], limit: Int) -> [UsageCount] {
    var counts: [String: Int] = [:]
    for name in names { counts[name, default: 0] += 1 }
    return counts.map { UsageCount(name: $0.key, count: $0.value) }
      .sorted { ($0.count, $1.name) > ($1.count, $0.name) }
      .prefix(limit).map { $0 }
  }
}

extension UsageReport.AgentStatistics {
  /// The figures of one agent's `runs`; latencies count successful runs not served from the cache.
  init(agent: String, runs: [RunRecord]) {
    let timed = runs.filter { $0.succeeded && !$0.servedFromCache }
    let durations = timed.map(\.duration).sorted()
    let firstTokens = timed.compactMap(\.timeToFirstToken).sorted()
    self.init(
      agent: agent, runs: runs.count, successes: runs.count { $0.succeeded },
      cachedRuns: runs.count { $0.servedFromCache }, truncatedRuns: runs.count { $0.truncated },
      medianLatency: Percentile.nearestRank(50, of: durations), p95Latency: Percentile.nearestRank(95, of: durations),
      medianTimeToFirstToken: Percentile.nearestRank(50, of: firstTokens),
      inputTokens: runs.reduce(0) { $0 + $1.inputTokens }, outputTokens: runs.reduce(0) { $0 + $1.outputTokens })
  }
}

extension UsageReport.Totals {
  /// The totals over `records`, with `modelSwitches` switches in the window.
  init(records: [RunRecord], modelSwitches: Int) {
    self.init()
    runs = records.count
    successes = records.count { $0.succeeded }
    cachedRuns = records.count { $0.servedFromCache }
    truncatedRuns = records.count { $0.truncated }
    inputTokens = records.reduce(0) { $0 + $1.inputTokens }
    outputTokens = records.reduce(0) { $0 + $1.outputTokens }
    turns = records.reduce(0) { $0 + $1.turns }
    toolCalls = records.reduce(0) { $0 + $1.toolCalls.count }
    self.modelSwitches = modelSwitches
    firstRun = records.map(\.startedAt).min()
    lastRun = records.map(\.startedAt).max()
  }
}
