import Foundation
import Synchronization

/// The results file of one `agents test` run. It is rewritten after every scenario run, so a run that is
/// interrupted (Ctrl-C) or stopped by a missing server keeps every result it measured.
final class ResultsFile: Sendable {
  private struct State {
    var results: [TestResult] = []
    var path: String?
    var failed = false
  }

  private let state = Mutex(State())
  private let options: TestCommand.Options
  private let plannedRuns: Int
  private let startedAt: Date
  private let defaultModel: String
  private let server: String
  private let defaultPath: @Sendable (String) -> String?
  private let console: Console

  /// Creates the file's writer; nothing is written before the first result.
  ///
  /// - Parameter defaultPath: Where the results of a model go when `options` names no file.
  init(
    options: TestCommand.Options, plannedRuns: Int, startedAt: Date, defaultModel: String, server: String,
    defaultPath: @escaping @Sendable (String) -> String?, console: Console
  ) {
    self.options = options
    self.plannedRuns = plannedRuns
    self.startedAt = startedAt
    self.defaultModel = defaultModel
    self.server = server
    self.defaultPath = defaultPath
    self.console = console
  }

  /// The report of the results so far, or `nil` before the first.
  var report: TestReport? { state.withLock { makeReport($0.results) } }

  /// The file written, or `nil` when there is none (no result yet, no data directory, or writing failed).
  var path: String? { state.withLock { $0.failed ? nil : $0.path } }

  /// Adds `result` and rewrites the file; returns how many results there are now.
  func record(_ result: TestResult) -> Int {
    state.withLock { state in
      state.results.append(result)
      if state.path == nil {
        state.path = options.resultsPath ?? defaultPath(result.model.isEmpty ? defaultModel : result.model)
      }
      if let report = makeReport(state.results) { write(report, state: &state) }
      return state.results.count
    }
  }

  /// Rewrites the file with `report` (the final one, e.g. with why the run stopped).
  func write(_ report: TestReport) {
    state.withLock { write(report, state: &$0) }
  }

  private func makeReport(_ results: [TestResult]) -> TestReport? {
    guard let first = results.first else { return nil }
    var report = TestReport(
      results: results, repeats: options.repeats, model: first.model.isEmpty ? defaultModel : first.model,
      server: server, startedAt: startedAt, plannedRuns: plannedRuns)
    report.approvedTools = options.approvedTools
    return report
  }

  private func write(_ report: TestReport, state: inout State) {
    guard let path = state.path, !state.failed else { return }
    do {
      let url = URL(fileURLWithPath: path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data((report.json.jsonString + "\n").utf8).write(to: url, options: .atomic)
    } catch {
      state.failed = true  // said once; the run goes on and the table is still printed
      console.warn("could not write the results file \(path): \(error.localizedDescription)")
    }
  }
}
