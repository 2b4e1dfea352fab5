import Foundation

/// `agents test`: runs the predefined scenarios against the server and reports each result.
package struct TestCommand: Sendable {
  /// The shared services.
  package var services: AppServices

  /// Creates the command.
  package init(services: AppServices) { self.services = services }

  /// Runs every scenario of `agentID` (all built-in scenarios when `nil`), one after another.
  ///
  /// - Parameter progress: Called with each result as it is known.
  package func results(
    agentID: String?, progress: @Sendable (TestResult) -> Void = { _ in }
  ) async throws(AppError) -> [TestResult] {
    let factory = services.factory()
    let scenarios: [TestScenario]
    if let agentID {
      scenarios = TestScenarios.scenarios(for: try factory.catalog.definition(id: agentID).id)
    } else {
      scenarios = TestScenarios.builtIn
    }
    var conversation = services.conversation
    conversation.runStore = nil  // test runs are not usage
    var results: [TestResult] = []
    for scenario in scenarios {
      if Task.isCancelled { throw AppError(.interrupted, "interrupted") }
      let agent = try factory.makeAgent(id: scenario.agentID)
      let outcome = await conversation.ask(agent, input: scenario.prompt, maxTurns: Runner.defaultMaxTurns, streamed: true)
      if let error = outcome.error, [.interrupted, .serverUnavailable, .modelNotFound].contains(error.code) {
        // Nothing else can pass against a missing server or model: stop with its error.
        throw error
      }
      let result = Self.evaluate(scenario, outcome)
      progress(result)
      results.append(result)
    }
    return results
  }

  /// Scores one outcome against its scenario's validators.
  static func evaluate(_ scenario: TestScenario, _ outcome: ConversationOutcome) -> TestResult {
    let time = outcome.result.executionTime
    if let error = outcome.error {
      return TestResult(
        testName: scenario.name, agentID: scenario.agentID, success: false, responseTime: time, responseQuality: 0,
        error: error.description)
    }
    let failures = scenario.validators.compactMap { $0.check(outcome.result) }
    let quality = scenario.validators.isEmpty
      ? 1 : Double(scenario.validators.count - failures.count) / Double(scenario.validators.count)
    var result = TestResult(
      testName: scenario.name, agentID: scenario.agentID, success: failures.isEmpty, responseTime: time,
      responseQuality: quality, error: failures.isEmpty ? nil : failures.joined(separator: "; "))
    if outcome.result.truncated { result.cut = outcome.result.finishReason ?? "length" }
    return result
  }

  /// Runs and prints the table (or one JSON object); returns the exit status.
  package func run(agentID: String?, json asJSON: Bool) async -> Int32 {
    let console = services.console
    let showsProgress = !asJSON && console.interactive
    let results: [TestResult]
    do {
      results = try await self.results(agentID: agentID) { result in
        if showsProgress {
          let cut = result.cut.map { " (answer cut off: \($0))" } ?? ""
          console.err.write(console.style.dim("\(result.success ? "✓" : "✗") \(result.testName)\(cut)") + "\n")
        }
      }
    } catch {
      console.error(error)
      return error.exitStatus
    }
    let passed = results.filter(\.success).count
    let meanTime = BenchmarkStatistics.mean(results.map(\.responseTime)) ?? 0
    let meanQuality = BenchmarkStatistics.mean(results.map(\.responseQuality)) ?? 0
    if asJSON {
      console.print(
        JSONValue.object([
          "results": .array(results.map(\.json)),
          "totals": .object([
            "tests": .int(results.count), "passed": .int(passed), "failed": .int(results.count - passed),
            "truncated": .int(results.filter { $0.cut != nil }.count),
            "mean_response_time": .double(ConversationResult.rounded(meanTime)),
            "mean_response_quality": .double((meanQuality * 100).rounded() / 100),
          ]),
        ]).jsonString)
    } else {
      var table = TextTable(
        headers: ["TEST", "SUCCESS", "TIME", "QUALITY", "CUT", "ERROR"],
        alignments: [.left, .left, .right, .right, .left, .left])
      for result in results {
        table.add([
          result.testName, result.success ? "yes" : "no",
          String(format: "%.2fs", result.responseTime), String(format: "%.0f%%", result.responseQuality * 100),
          result.cut ?? "",
          result.error.map { RunEventPrinter.shorten($0, to: 100) } ?? "",
        ])
      }
      for line in table.render(style: console.style) { console.print(line) }
      console.print(
        "\n\(passed)/\(results.count) passed, \(results.filter { $0.cut != nil }.count) answers cut off, mean time "
          + "\(String(format: "%.2fs", meanTime)), mean quality \(String(format: "%.0f%%", meanQuality * 100))")
    }
    return Self.exitStatus(results)
  }

  /// 0 when every scenario passed, else the run-failure status (1).
  static func exitStatus(_ results: [TestResult]) -> Int32 {
    results.allSatisfy(\.success) ? 0 : AppError.Code.runFailed.exitStatus
  }
}
