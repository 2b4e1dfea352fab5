import Foundation

/// What `agents stats` shows: per-agent latency and success, most used agents, models and tools, errors,
/// model switches and totals over a window of run records.
public struct UsageReport: Sendable, Hashable {
  /// Latency and outcome figures for one agent.
  public struct AgentStatistics: Sendable, Hashable {
    /// The agent's name.
    public var agent: String
    /// Runs recorded.
    public var runs: Int
    /// Runs that produced a final output.
    public var successes: Int
    /// Runs answered from the response cache.
    public var cachedRuns: Int
    /// Runs whose final answer was cut (a token limit) or stopped for repeating itself.
    public var truncatedRuns: Int = 0
    /// Median run duration over successful runs not served from cache; nil when there are none.
    public var medianLatency: Duration?
    /// 95th percentile run duration over the same runs.
    public var p95Latency: Duration?
    /// Median time to first token over successful streamed runs not served from cache.
    public var medianTimeToFirstToken: Duration?
    /// Prompt tokens over all runs.
    public var inputTokens: Int
    /// Completion tokens over all runs.
    public var outputTokens: Int

    /// Runs that failed.
    public var failures: Int { runs - successes }
    /// The share of runs that succeeded, from 0 to 1 (0 when there are no runs).
    public var successRate: Double { runs == 0 ? 0 : Double(successes) / Double(runs) }
  }

  /// A name with how often it was used, for the "most used" rankings.
  public struct UsageCount: Sendable, Hashable {
    /// The agent, model, tool or error kind.
    public var name: String
    /// How many runs (or calls, for tools; or failures, for error kinds).
    public var count: Int
  }

  /// Figures over every run in the window.
  public struct Totals: Sendable, Hashable {
    /// Runs recorded.
    public var runs: Int = 0
    /// Runs that succeeded.
    public var successes: Int = 0
    /// Runs answered from the response cache.
    public var cachedRuns: Int = 0
    /// Runs whose final answer was cut (a token limit) or stopped for repeating itself.
    public var truncatedRuns: Int = 0
    /// Prompt tokens.
    public var inputTokens: Int = 0
    /// Completion tokens.
    public var outputTokens: Int = 0
    /// Model turns.
    public var turns: Int = 0
    /// Tool calls.
    public var toolCalls: Int = 0
    /// Model switches.
    public var modelSwitches: Int = 0
    /// The earliest run start in the window.
    public var firstRun: Date?
    /// The latest run start in the window.
    public var lastRun: Date?

    /// Runs that failed.
    public var failures: Int { runs - successes }

    /// Creates totals of zero, as for an empty window.
    public init() {}
  }

  /// The filter the report covers.
  public var filter: RunFilter
  /// One entry per agent, most runs first.
  public var agents: [AgentStatistics]
  /// Agents by number of runs, most first.
  public var mostUsedAgents: [UsageCount]
  /// Models by number of runs, most first.
  public var mostUsedModels: [UsageCount]
  /// Tools by number of calls, most first.
  public var mostUsedTools: [UsageCount]
  /// Failures by error kind, most frequent first.
  public var errorsByKind: [UsageCount]
  /// The most recent model switches, newest first.
  public var recentModelSwitches: [ModelSwitch]
  /// Figures over the whole window.
  public var totals: Totals
}

/// Nearest-rank percentiles over sorted samples.
enum Percentile {
  /// The `percent`-th percentile (0 < percent ≤ 100) of `sorted`, by the nearest-rank method; nil when empty.
  static func nearestRank<Value>(_ percent: Double, of sorted: [Value]) -> Value? {
    guard !sorted.isEmpty else { return nil }
    let rank = Int((percent / 100 * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
  }
}
