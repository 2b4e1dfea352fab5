import Foundation

/// `agents stats`: what the recorded runs say about agents, models, tools and errors.
package struct StatsCommand: Sendable {
  /// The shared services.
  package var services: AppServices

  /// Creates the command.
  package init(services: AppServices) { self.services = services }

  /// Prints the report (or one JSON object) and returns the exit status.
  package func run(json asJSON: Bool) async -> Int32 {
    let console = services.console
    guard let runStore = services.runStore else {
      let cause = services.storeProblem?.message ?? "there is no data directory; set AGENTS_HOME (or HOME)"
      let error = AppError(.storeUnavailable, "no statistics: \(cause)")
      console.error(error)
      return error.exitStatus
    }
    if let problem = services.storeProblem {
      console.warn("new runs are not recorded: \(problem.message)")
    }
    let report: UsageReport
    do {
      report = try await runStore.usageReport()
    } catch {
      let appError = AppError(.runFailed, "cannot read the statistics: \(error)")
      console.error(appError)
      return appError.exitStatus
    }
    if asJSON {
      let catalog = services.factory().catalog
      console.print(Self.json(report, agentID: { catalog.definition(named: $0)?.id }).jsonString)
    } else {
      for line in Self.lines(report, style: console.style) { console.print(line) }
    }
    return 0
  }

  /// The report as JSON: `totals`, `agents`, `models`, `tools`, `errors`. Each agent has `agent` (its id, as the
  /// other commands name it, or null for an agent no longer configured) and `agent_name` (the name runs record).
  static func json(_ report: UsageReport, agentID: (String) -> String?) -> JSONValue {
    func counts(_ list: [UsageReport.UsageCount]) -> JSONValue {
      .array(list.map { .object(["name": .string($0.name), "count": .int($0.count)]) })
    }
    func milliseconds(_ duration: Duration?) -> JSONValue {
      duration.map { .double(($0.seconds * 1000).rounded()) } ?? .null
    }
    let totals = report.totals
    return .object([
      "totals": .object([
        "runs": .int(totals.runs), "successes": .int(totals.successes), "failures": .int(totals.failures),
        "truncated": .int(totals.truncatedRuns),
        "input_tokens": .int(totals.inputTokens), "output_tokens": .int(totals.outputTokens),
        "turns": .int(totals.turns), "tool_calls": .int(totals.toolCalls),
        "model_switches": .int(totals.modelSwitches),
      ]),
      "agents": .array(
        report.agents.map { agent in
          .object([
            "agent": agentID(agent.agent).map(JSONValue.string) ?? .null, "agent_name": .string(agent.agent),
            "runs": .int(agent.runs), "successes": .int(agent.successes),
            "truncated": .int(agent.truncatedRuns),
            "success_rate": .double((agent.successRate * 1000).rounded() / 1000),
            "p50_ms": milliseconds(agent.medianLatency), "p95_ms": milliseconds(agent.p95Latency),
            "ttft_p50_ms": milliseconds(agent.medianTimeToFirstToken),
            "input_tokens": .int(agent.inputTokens), "output_tokens": .int(agent.outputTokens),
          ])
        }),
      "models": counts(report.mostUsedModels),
      "tools": counts(report.mostUsedTools),
      "errors": counts(report.errorsByKind),
    ])
  }

  /// The report as text: a per-agent table, then totals and rankings.
  static func lines(_ report: UsageReport, style: TextStyle) -> [String] {
    guard report.totals.runs > 0 else {
      return ["No runs recorded yet. Runs of 'agents ask' and 'agents chat' are recorded as they happen."]
    }
    func seconds(_ duration: Duration?) -> String { duration.map { String(format: "%.2fs", $0.seconds) } ?? "-" }
    var table = TextTable(
      headers: ["AGENT", "RUNS", "SUCCESS", "CUT", "P50", "P95", "TTFT P50", "TOKENS IN", "TOKENS OUT"],
      alignments: [.left, .right, .right, .right, .right, .right, .right, .right, .right])
    for agent in report.agents {
      table.add([
        agent.agent, "\(agent.runs)", String(format: "%.0f%%", agent.successRate * 100), "\(agent.truncatedRuns)",
        seconds(agent.medianLatency),
        seconds(agent.p95Latency), seconds(agent.medianTimeToFirstToken), "\(agent.inputTokens)",
        "\(agent.outputTokens)",
      ])
    }
    let totals = report.totals
    var lines = table.render(style: style)
    lines.append("")
    lines.append(
      "\(DisplayFormat.count(totals.runs, "run")), \(totals.failures) failed, \(totals.truncatedRuns) cut off, "
        + "\(DisplayFormat.count(totals.inputTokens + totals.outputTokens, "token")), "
        + "\(DisplayFormat.count(totals.toolCalls, "tool call")), "
        + "\(DisplayFormat.count(totals.modelSwitches, "model switch", "model switches"))")
    func ranking(_ title: String, _ list: [UsageReport.UsageCount]) {
      guard !list.isEmpty else { return }
      lines.append("\(title): " + list.map { "\($0.name) (\($0.count))" }.joined(separator: ", "))
    }
    ranking("models", report.mostUsedModels)
    ranking("tools", report.mostUsedTools)
    ranking("errors", report.errorsByKind)
    return lines
  }
}
