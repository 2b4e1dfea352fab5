import Foundation

/// Where run records and model switches live: the operations every run store offers, whatever holds the data.
///
/// ``RunStore`` keeps them in the local SQLite file; `PostgresRunStore` (the `AgentsStorePostgres` module) in a
/// PostgreSQL database shared by several processes. Both pass the same test suite; the ``UsageReport`` is
/// computed from what they return (``usageReport(matching:limit:)``), so it is the same for both.
public protocol RunStorage: Sendable {
  /// Saves several run records in one transaction; returns how many were new (a run id already saved is skipped).
  @discardableResult
  func record(contentsOf runs: [RunRecord]) async throws -> Int

  /// Saves a model switch event.
  func record(_ event: ModelSwitch) async throws

  /// Returns the run records that match `filter`, newest first, at most `limit` of them.
  func runs(matching filter: RunFilter, limit: Int) async throws -> [RunRecord]

  /// Counts the run records that match `filter`.
  func count(matching filter: RunFilter) async throws -> Int

  /// The model switches in `filter`'s time window (and of its agent, when it names one), newest first.
  func modelSwitches(matching filter: RunFilter) async throws -> [ModelSwitch]

  /// Deletes run records and model switches older than `date`; returns how many run records went.
  @discardableResult
  func deleteRecords(before date: Date) async throws -> Int

}

extension RunStorage {
  /// Saves one run record (with its tool calls) in one transaction; returns false if its run id was already saved.
  @discardableResult
  public func record(_ run: RunRecord) async throws -> Bool {
    try await record(contentsOf: [run]) == 1
  }

  /// Every run record, newest first, at most 100.
  public func runs() async throws -> [RunRecord] {
    try await runs(matching: RunFilter(), limit: 100)
  }

  /// The run records that match `filter`, newest first, at most 100.
  public func runs(matching filter: RunFilter) async throws -> [RunRecord] {
    try await runs(matching: filter, limit: 100)
  }

  /// The newest `limit` run records.
  public func runs(limit: Int) async throws -> [RunRecord] {
    try await runs(matching: RunFilter(), limit: limit)
  }

  /// Counts every run record.
  public func count() async throws -> Int {
    try await count(matching: RunFilter())
  }

  /// The usage report over every run, with the top 10 of each ranking.
  public func usageReport() async throws -> UsageReport {
    try await usageReport(matching: RunFilter(), limit: 10)
  }

  /// The usage report over the runs matching `filter`, with the top 10 of each ranking.
  public func usageReport(matching filter: RunFilter) async throws -> UsageReport {
    try await usageReport(matching: filter, limit: 10)
  }

  /// Deletes every run record and model switch; returns how many run records went.
  @discardableResult
  public func deleteAllRecords() async throws -> Int {
    try await deleteRecords(before: .distantFuture)
  }
}

/// Checks shared by every run store, so both refuse the same records with the same words.
package enum RunArguments {
  /// Refuses a record without identity or with negative counts.
  package static func validate(_ run: RunRecord) throws(StoreError) {
    if run.runID.isEmpty || run.agent.isEmpty || run.model.isEmpty {
      throw StoreError(
        .invalidArgument, "a run record needs a run id, an agent name and a model name; nothing was saved")
    }
    if run.inputTokens < 0 || run.outputTokens < 0 || run.turns < 0 || run.duration < .zero {
      throw StoreError(
        .invalidArgument,
        "run \(run.runID) has a negative token count, turn count or duration; nothing was saved")
    }
  }

  /// Refuses a negative listing limit.
  package static func validate(limit: Int) throws(StoreError) {
    guard limit >= 0 else { throw StoreError(.invalidArgument, "a run limit must be zero or more, got \(limit)") }
  }

  /// Refuses a ranking limit below 1.
  package static func validate(rankingLimit limit: Int) throws(StoreError) {
    guard limit > 0 else { throw StoreError(.invalidArgument, "a ranking limit must be at least 1, got \(limit)") }
  }
}
