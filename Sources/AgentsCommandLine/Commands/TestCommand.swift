import Foundation
import Synchronization

/// `agents test`: runs the predefined scenarios (or a scenario file's) against the server, optionally several
/// times, scores each answer and reports pass rates; writes the report to a results file per model.
package struct TestCommand: Sendable {
  /// What to run and where the report goes.
  package struct Options: Sendable {
    /// Only this agent's scenarios; `nil` runs all of them.
    package var agentID: String?
    /// How many times each scenario runs (at least 1).
    package var repeats: Int
    /// Print one JSON object instead of the table.
    package var json: Bool
    /// A scenario file to run instead of the built-in scenarios (see ``TestScenarioFile``).
    package var scenarioFile: String?
    /// Where to write the JSON report; `nil` writes `test-results/<model>.json` in the data directory.
    package var resultsPath: String?
    /// Print the selected scenarios in the scenario-file format (JSON) instead of running them.
    package var listsScenarios: Bool
    /// Tools whose calls run without asking (`--approve TOOL`); calls of other tools that need approval are
    /// refused, and the model is told nobody can approve them. Recorded in the report.
    package var approvedTools: [String]

    /// Creates options.
    package init(
      agentID: String? = nil, repeats: Int = 1, json: Bool = false, scenarioFile: String? = nil,
      resultsPath: String? = nil,
      listsScenarios: Bool = false, approvedTools: [String] = []
    ) {
      self.approvedTools = approvedTools
      self.listsScenarios = listsScenarios
      self.agentID = agentID
      self.repeats = repeats
      self.json = json
      self.scenarioFile = scenarioFile
      self.resultsPath = resultsPath
    }
  }

  /// The largest `--repeat`.
  package static let maximumRepeats = 1000

  /// The shared services.
  package var services: AppServices

  /// Creates the command.
  package init(services: AppServices) { self.services = services }

  /// The scenarios `options` select.
  package func scenarios(_ options: Options) throws(AppError) -> [TestScenario] {
    let catalog = services.factory().catalog
    var scenarios: [TestScenario]
    if let file = options.scenarioFile {
      scenarios = try TestScenarioFile.load(path: file)
      for scenario in scenarios { _ = try catalog.definition(id: scenario.agentID) }
      if let agentID = options.agentID {
        let id = try catalog.definition(id: agentID).id
        scenarios = scenarios.filter { $0.agentID == id }
      }
    } else if let agentID = options.agentID {
      scenarios = TestScenarios.scenarios(for: try catalog.definition(id: agentID).id)
    } else {
      scenarios = TestScenarios.builtIn
    }
    guard !scenarios.isEmpty else {
      throw AppError(
        .usage, "no scenario in \(options.scenarioFile ?? "the built-in set") is for agent '\(options.agentID ?? "")'")
    }
    return scenarios
  }

  /// Runs every scenario `repeats` times, round after round (so a change in the machine's load spreads over all
  /// scenarios), one run at a time.
  ///
  /// - Parameter progress: Called with each result as it is known.
  package func results(
    _ scenarios: [TestScenario], repeats: Int, approving approvedTools: [String] = [],
    progress: @Sendable (TestResult) -> Void = { _ in }
  ) async throws(AppError) -> [TestResult] {
    let factory = services.factory()
    var conversation = services.conversation
    conversation.runStore = nil  // test runs are not usage
    // Nobody can approve a run of code during a test unless `--approve run_code` gave consent before it; without
    // it, code questions are answered as before, without the forced run.
    if let tool = conversation.runner.configuration.codeRunningTool, !approvedTools.contains(tool.name) {
      conversation.runner.configuration.codeRunningTool = nil
    }
    let modelFacts = services.modelFacts
    var results: [TestResult] = []
    for round in 1...max(1, repeats) {
      for scenario in scenarios {
        if Task.isCancelled { throw AppError(.interrupted, "interrupted") }
        let agent = try factory.makeAgent(id: scenario.agentID)
        // As ask and chat do: the model's context length and, for a name without a size, the size the server reports.
        let outcome = await services.alone {
          await conversation.ask(
            agent, input: scenario.prompt, maxTurns: Runner.defaultMaxTurns, streamed: true,
            approvals: .approvingUnattended(Set(approvedTools)), preparing: { try await modelFacts.apply(to: agent) })
        }
        if let error = outcome.error, [.interrupted, .serverUnavailable, .modelNotFound].contains(error.code) {
          // Nothing else can pass against a missing server or model: stop with its error.
          throw error
        }
        var result = Self.evaluate(scenario, outcome)
        result.round = round
        progress(result)
        results.append(result)
      }
    }
    return results
  }

  /// Scores one outcome against its scenario's validators.
  static func evaluate(_ scenario: TestScenario, _ outcome: ConversationOutcome) -> TestResult {
    let time = outcome.result.executionTime
    var result: TestResult
    if let error = outcome.error {
      result = TestResult(
        testName: scenario.name, agentID: scenario.agentID, success: false, responseTime: time, responseQuality: 0,
        error: error.description)
    } else {
      let failures = scenario.validators.compactMap { $0.check(outcome.result) }
      let quality =
        scenario.validators.isEmpty
        ? 1 : Double(scenario.validators.count - failures.count) / Double(scenario.validators.count)
      result = TestResult(
        testName: scenario.name, agentID: scenario.agentID, success: failures.isEmpty, responseTime: time,
        responseQuality: quality, error: failures.isEmpty ? nil : failures.joined(separator: "; "))
    }
    if outcome.result.truncated { result.cut = outcome.result.finishReason ?? "length" }
    result.model = outcome.result.model
    result.answeredBy = outcome.result.agentName
    result.toolsCalled = outcome.result.toolCalls.map(\.name)
    result.answer = outcome.result.finalOutput
    return result
  }

  /// Runs, prints the table (or one JSON object), writes the results file; returns the exit status.
  package func run(_ options: Options) async -> Int32 {
    let console = services.console
    if options.listsScenarios {
      do throws(AppError) {
        console.print(TestScenarioFile.json(try scenarios(options)).jsonString)
        return 0
      } catch {
        console.error(error)
        return error.exitStatus
      }
    }
    let showsProgress = !options.json && console.interactive
    let startedAt = Date()
    let scenarios: [TestScenario]
    do throws(AppError) {
      guard (1...Self.maximumRepeats).contains(options.repeats) else {
        throw AppError(.usage, "--repeat must be between 1 and \(Self.maximumRepeats), but is \(options.repeats)")
      }
      scenarios = try self.scenarios(options)
    } catch {
      console.error(error)
      return error.exitStatus
    }
    let total = scenarios.count * options.repeats
    // The results file is rewritten after every run, so an interrupted or failed run keeps what it measured.
    let file = ResultsFile(
      options: options, plannedRuns: total, startedAt: startedAt, defaultModel: services.settings.defaultModel,
      server: services.settings.baseURL, defaultPath: defaultResultsPath(for:), console: console)
    var stopped: AppError?
    do throws(AppError) {
      _ = try await results(scenarios, repeats: options.repeats, approving: options.approvedTools) { result in
        let done = file.record(result)
        guard showsProgress else { return }
        let mark = result.success ? "✓" : "✗"
        let cut = result.cut.map { " (answer cut off: \($0))" } ?? ""
        let time = String(format: "%.1fs", result.responseTime)
        console.err.write(console.style.dim("\(mark) \(result.testName) [\(done)/\(total)] \(time)\(cut)") + "\n")
      }
    } catch {
      stopped = error
    }
    guard var report = file.report else {
      if let stopped { console.error(stopped) }
      return stopped?.exitStatus ?? 0
    }
    if let stopped {
      report.stopReason = stopped.description
      file.write(report)
    }
    if options.json {
      console.print(report.json.jsonString)
    } else {
      for line in report.lines(style: console.style) { console.print(line) }
      if let path = file.path { console.print(console.style.dim("results: \(path)")) }
    }
    if let stopped {
      if !options.json || stopped.code != .interrupted { console.error(stopped) }
      return stopped.exitStatus
    }
    return report.allPassed ? 0 : AppError.Code.runFailed.exitStatus
  }

  /// `<data directory>/test-results/<model>.json`, or `nil` without a data directory.
  func defaultResultsPath(for model: String) -> String? {
    services.dataDirectoryPath.map { $0 + "/test-results/" + TestReport.fileName(forModel: model) }
  }
}
