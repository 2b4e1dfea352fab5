import Foundation

/// The outcome of an `agents test` run: every run of every scenario, summarised per scenario and per agent.
///
/// Pass rates are what matter on small local models, whose answers vary from run to run: `--repeat N` runs each
/// scenario N times and the report gives the share of runs that passed.
package struct TestReport: Sendable {
  /// One scenario's runs.
  package struct ScenarioSummary: Sendable, Hashable {
    /// The scenario's name.
    package var name: String
    /// The agent asked.
    package var agentID: String
    /// Runs made.
    package var runs: Int
    /// Runs that passed every check.
    package var passed: Int
    /// Mean seconds per run.
    package var meanTime: Double
    /// The distinct reasons runs failed, most frequent first.
    package var failures: [String]

    /// `passed / runs`, from 0 to 1.
    package var passRate: Double { runs == 0 ? 0 : Double(passed) / Double(runs) }
  }

  /// The runs of one agent's scenarios together.
  package struct GroupSummary: Sendable, Hashable {
    /// The agent.
    package var agentID: String
    /// Runs made.
    package var runs: Int
    /// Runs that passed.
    package var passed: Int
    /// Mean seconds per run.
    package var meanTime: Double

    /// `passed / runs`, from 0 to 1.
    package var passRate: Double { runs == 0 ? 0 : Double(passed) / Double(runs) }
  }

  /// Every run, in the order they ran.
  package var results: [TestResult]
  /// How many times each scenario was run.
  package var repeats: Int
  /// The model that answered (the default model, or the first run's).
  package var model: String
  /// The server's base URL.
  package var server: String
  /// When the run started.
  package var startedAt: Date
  /// How many runs were planned (scenarios × repeats); `nil` when unknown.
  package var plannedRuns: Int?
  /// Why the run stopped before its planned runs were made (e.g. "interrupted"); `nil` when it was not stopped.
  package var stopReason: String?
  /// The tools whose calls ran without a person's approval (`--approve`); calls of other tools that need
  /// approval were refused, and the model was told so.
  package var approvedTools: [String] = []

  /// Creates a report.
  package init(
    results: [TestResult], repeats: Int, model: String, server: String, startedAt: Date, plannedRuns: Int? = nil,
    stopReason: String? = nil
  ) {
    self.results = results
    self.repeats = repeats
    self.model = model
    self.server = server
    self.startedAt = startedAt
    self.plannedRuns = plannedRuns
    self.stopReason = stopReason
  }

  /// Whether every planned run was made and the run was not stopped.
  package var isComplete: Bool { stopReason == nil && results.count >= (plannedRuns ?? results.count) }

  /// One summary per scenario, in the order they first ran.
  package var scenarios: [ScenarioSummary] {
    grouped(by: \.testName).map { name, runs in
      var counts: [String: Int] = [:]
      for error in runs.compactMap(\.error) { counts[error, default: 0] += 1 }
      return ScenarioSummary(
        name: name, agentID: runs[0].agentID, runs: runs.count, passed: runs.filter(\.success).count,
        meanTime: BenchmarkStatistics.mean(runs.map(\.responseTime)) ?? 0,
        failures: counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map(\.key))
    }
  }

  /// One summary per agent, in the order their scenarios first ran.
  package var groups: [GroupSummary] {
    grouped(by: \.agentID).map { agent, runs in
      GroupSummary(
        agentID: agent, runs: runs.count, passed: runs.filter(\.success).count,
        meanTime: BenchmarkStatistics.mean(runs.map(\.responseTime)) ?? 0)
    }
  }

  /// How many runs' answers were cut off (answer-token limit or repetition).
  package var truncated: Int { results.filter { $0.cut != nil }.count }

  /// Whether every run passed.
  package var allPassed: Bool { results.allSatisfy(\.success) }

  private func grouped(by key: KeyPath<TestResult, String>) -> [(String, [TestResult])] {
    var order: [String] = []
    var runs: [String: [TestResult]] = [:]
    for result in results {
      if runs[result[keyPath: key]] == nil { order.append(result[keyPath: key]) }
      runs[result[keyPath: key], default: []].append(result)
    }
    return order.map { ($0, runs[$0]!) }
  }

  // MARK: Output

  /// The report as JSON: `results` and `totals` as before `--repeat` existed, plus per-scenario and per-agent
  /// pass rates and what was tested.
  package var json: JSONValue {
    let passed = results.filter(\.success).count
    let meanTime = BenchmarkStatistics.mean(results.map(\.responseTime)) ?? 0
    let meanQuality = BenchmarkStatistics.mean(results.map(\.responseQuality)) ?? 0
    return .object([
      "model": .string(model),
      "server": .string(server),
      "started_at": .string(ISO8601DateFormatter().string(from: startedAt)),
      "repeat": .int(repeats),
      "planned_runs": .int(plannedRuns ?? results.count),
      "complete": .bool(isComplete),
      "stopped": stopReason.map(JSONValue.string) ?? .null,
      "approved_tools": .array(approvedTools.map(JSONValue.string)),
      "scenarios": .array(
        scenarios.map { summary in
          .object([
            "name": .string(summary.name), "agent": .string(summary.agentID), "runs": .int(summary.runs),
            "passed": .int(summary.passed), "pass_rate": .double(Self.rate(summary.passRate)),
            "mean_time": .double(ConversationResult.rounded(summary.meanTime)),
            "failures": .array(summary.failures.map(JSONValue.string)),
          ])
        }),
      "agents": .array(
        groups.map { group in
          .object([
            "agent": .string(group.agentID), "runs": .int(group.runs), "passed": .int(group.passed),
            "pass_rate": .double(Self.rate(group.passRate)),
            "mean_time": .double(ConversationResult.rounded(group.meanTime)),
          ])
        }),
      "results": .array(results.map(\.json)),
      "totals": .object([
        "tests": .int(results.count), "passed": .int(passed), "failed": .int(results.count - passed),
        "truncated": .int(truncated),
        "pass_rate": .double(Self.rate(results.isEmpty ? 0 : Double(passed) / Double(results.count))),
        "mean_response_time": .double(ConversationResult.rounded(meanTime)),
        "mean_response_quality": .double((meanQuality * 100).rounded() / 100),
      ]),
    ])
  }

  /// The table `agents test` prints: one row per run when each scenario ran once, else one row per scenario
  /// with its pass rate; then the per-agent rates and the totals.
  package func lines(style: TextStyle) -> [String] {
    var lines: [String] = []
    if !approvedTools.isEmpty {
      lines.append("approved without asking (--approve): \(approvedTools.joined(separator: ", "))")
    }
    if repeats <= 1 {
      var table = TextTable(
        headers: ["TEST", "SUCCESS", "TIME", "QUALITY", "CUT", "ERROR"],
        alignments: [.left, .left, .right, .right, .left, .left])
      for result in results {
        table.add([
          result.testName, result.success ? "yes" : "no", String(format: "%.2fs", result.responseTime),
          String(format: "%.0f%%", result.responseQuality * 100), result.cut ?? "",
          result.error.map { RunEventPrinter.shorten($0, to: 100) } ?? "",
        ])
      }
      lines += table.render(style: style)
    } else {
      var table = TextTable(
        headers: ["TEST", "PASSED", "RATE", "MEAN TIME", "MOST FREQUENT FAILURE"],
        alignments: [.left, .right, .right, .right, .left])
      for summary in scenarios {
        table.add([
          summary.name, "\(summary.passed)/\(summary.runs)", Self.percent(summary.passRate),
          String(format: "%.2fs", summary.meanTime),
          summary.failures.first.map { RunEventPrinter.shorten($0, to: 80) } ?? "",
        ])
      }
      lines += table.render(style: style)
    }
    if groups.count > 1 || repeats > 1 {
      var table = TextTable(
        headers: ["AGENT", "PASSED", "RATE", "MEAN TIME"], alignments: [.left, .right, .right, .right])
      for group in groups {
        table.add([
          group.agentID, "\(group.passed)/\(group.runs)", Self.percent(group.passRate),
          String(format: "%.2fs", group.meanTime),
        ])
      }
      lines += [""] + table.render(style: style)
    }
    let passed = results.filter(\.success).count
    let meanTime = BenchmarkStatistics.mean(results.map(\.responseTime)) ?? 0
    let meanQuality = BenchmarkStatistics.mean(results.map(\.responseQuality)) ?? 0
    lines.append(
      "\n\(passed)/\(results.count) passed, \(truncated) answers cut off, mean time \(String(format: "%.2fs", meanTime)), "
        + "mean quality \(String(format: "%.0f%%", meanQuality * 100))")
    if let stopReason {
      lines.append("stopped after \(results.count) of \(plannedRuns ?? results.count) runs: \(stopReason)")
    }
    return lines
  }

  /// A rate rounded to three decimals for JSON.
  static func rate(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

  /// A rate as a whole percentage.
  static func percent(_ value: Double) -> String { String(format: "%.0f%%", value * 100) }

  /// The results file name for `model`: the name with characters outside `[A-Za-z0-9._-]` as `_`, then `.json`.
  package static func fileName(forModel model: String) -> String {
    let safe = model.map { character -> Character in
      character.isASCII && (character.isLetter || character.isNumber || "._-".contains(character)) ? character : "_"
    }
    return String(safe.isEmpty ? ["_"] : safe) + ".json"
  }
}
