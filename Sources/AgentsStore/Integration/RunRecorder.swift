import Agents
import Foundation
import Logging

/// Records runs: saves a ``RunRecord`` in the store, emits the ``AgentsMetrics`` and writes a log line.
///
/// Wrap a run with ``recording(agent:model:server:sessionID:runID:_:)`` to have its success or failure recorded
/// without changing how it returns or throws, or build a record yourself and pass it to ``record(_:)`` (for
/// streamed runs, once the final result arrives). The SDK stays free of storage and metrics dependencies.
public struct RunRecorder: Sendable {
  /// Where records are saved; nil records metrics and logs only.
  public let runs: (any RunStorage)?
  /// Where metrics go.
  public let metrics: AgentsMetricsRecorder
  /// Where log lines go.
  public let logger: Logger

  /// Creates a recorder.
  public init(
    runs: (any RunStorage)?, metrics: AgentsMetricsRecorder = AgentsMetricsRecorder(),
    logger: Logger = Logger(label: "ollama-agents.runs")
  ) {
    self.runs = runs
    self.metrics = metrics
    self.logger = logger
  }

  /// Emits metrics and a log line for `record`, then saves it.
  ///
  /// - Throws: ``StoreError`` when the record cannot be saved (metrics and the log line are emitted anyway).
  public func record(_ record: RunRecord) async throws {
    metrics.record(record)
    if logger.logLevel <= .info { log(record) }  // the metadata is not built for a line nobody writes
    try await runs?.record(record)
  }

  /// Writes the line about `record`.
  private func log(_ record: RunRecord) {
    var metadata: Logger.Metadata = [
      "run_id": "\(record.runID)", "agent": "\(record.agent)", "model": "\(record.model)",
      "duration_ms": "\(Int(record.duration.milliseconds.rounded()))", "turns": "\(record.turns)",
      "input_tokens": "\(record.inputTokens)", "output_tokens": "\(record.outputTokens)",
    ]
    if record.servedFromCache { metadata["cached"] = "true" }
    if let kind = record.errorKind {
      metadata["error_kind"] = "\(kind)"
      logger.info("run failed", metadata: metadata)
    } else {
      logger.info("run finished", metadata: metadata)
    }
  }

  /// Runs `body`, records its result or its failure, and returns or rethrows exactly what `body` did.
  ///
  /// A failure to save the record is logged as a warning and never replaces the run's own outcome.
  ///
  /// - Parameters:
  ///   - agent: the agent the run starts with.
  ///   - model: the model the agent is meant to use (recorded when the run fails before any model call).
  ///   - server: the model server's base URL; credentials are removed before it is stored.
  public func recording(
    agent: String, model: String, server: ServerAddress, sessionID: String? = nil, runID: String = RunRecord.newID(),
    _ body: () async throws -> RunResult
  ) async throws -> RunResult {
    let startedAt = Date()
    let clock = ContinuousClock()
    let start = clock.now
    var logger = self.logger
    logger[metadataKey: "run_id"] = "\(runID)"
    logger.debug("run started", metadata: ["agent": "\(agent)", "model": "\(model)"])
    do {
      let result = try await body()
      await save(
        RunRecord(
          result: result, runID: runID, agent: agent, server: server, sessionID: sessionID, startedAt: startedAt))
      return result
    } catch {
      await save(
        RunRecord(
          failure: error, runID: runID, agent: agent, model: model, server: server, sessionID: sessionID,
          startedAt: startedAt, duration: clock.now - start))
      throw error
    }
  }

  /// Logs and saves a change of an agent's model.
  public func recordModelSwitch(_ event: ModelSwitch) async throws {
    logger.debug(
      "model switched",
      metadata: [
        "agent": "\(event.agent)", "from": "\(event.fromModel)", "to": "\(event.toModel)", "reason": "\(event.reason)",
      ])
    try await runs?.record(event)
  }

  private func save(_ record: RunRecord) async {
    do {
      try await self.record(record)
    } catch {
      logger.warning(
        "could not save the run record", metadata: ["run_id": "\(record.runID)", "error": "\(error)"])
    }
  }
}
