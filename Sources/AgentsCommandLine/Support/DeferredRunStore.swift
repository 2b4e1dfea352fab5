import Foundation
import Synchronization

/// Run records saved to the data directory's store, which is opened only when the first record is saved.
///
/// Opening the store writes to it and waits for the disk: SQLite recreates the WAL file that the last process
/// removed and syncs it and its directory, and ``AgentsDatabase/checkWritable()`` commits a write (two `fdatasync`
/// calls, 3–50 ms on the development machine's disk depending on what else writes to it, plus the CPU of setting up
/// the connection). `agents ask` without a session needs the store only to record the run once the answer is there,
/// so ``AppBootstrap`` hands it this instead of opening the store before the question: nothing but the question runs
/// before the first token, and the open does not take CPU from a model server computing the answer on the same
/// cores. When the store cannot be opened or written, the record is not saved, as when it was opened first
/// (``RunRecorder`` drops a failed save; the answer is unaffected).
package final class DeferredRunStore: RunStorage {
  /// What opening the store gave.
  package struct Opened: Sendable {
    /// The database, or `nil` when it could not be opened.
    package var database: AgentsDatabase?
    /// Why the database cannot be written (or opened), when it cannot.
    package var problem: StoreError?

    /// Creates the result of an open.
    package init(database: AgentsDatabase?, problem: StoreError?) {
      self.database = database
      self.problem = problem
    }
  }

  private enum State {
    case notStarted(@Sendable () -> Opened)
    case opening([CheckedContinuation<Opened, Never>])
    case opened(Opened)
  }

  private let state: Mutex<State>

  /// A store that `open` opens, on a new thread (it blocks on the disk, so not on one of the few threads of Swift's
  /// cooperative pool), when it is first used.
  package init(opening open: @escaping @Sendable () -> Opened) {
    state = Mutex(.notStarted(open))
  }

  /// The store, opened now if it was not yet.
  package func opened() async -> Opened {
    await withCheckedContinuation { continuation in
      let (done, open) = state.withLock { state -> (Opened?, (@Sendable () -> Opened)?) in
        switch state {
        case .opened(let opened):
          return (opened, nil)
        case .notStarted(let open):
          state = .opening([continuation])
          return (nil, open)
        case .opening(var waiting):
          waiting.append(continuation)
          state = .opening(waiting)
          return (nil, nil)
        }
      }
      if let done { continuation.resume(returning: done) }
      if let open { Thread.detachNewThread { [self] in finish(open()) } }
    }
  }

  /// Waits for an open that has started to finish (so that the process does not exit while SQLite sets the file
  /// up); starts none.
  package func settle() async {
    guard state.withLock({ if case .notStarted = $0 { false } else { true } }) else { return }
    _ = await opened()
  }

  private func finish(_ opened: Opened) {
    let waiting = state.withLock { state -> [CheckedContinuation<Opened, Never>] in
      guard case .opening(let waiting) = state else { return [] }
      state = .opened(opened)
      return waiting
    }
    for continuation in waiting { continuation.resume(returning: opened) }
  }

  private func store() async throws(StoreError) -> RunStore {
    let opened = await opened()
    guard let database = opened.database else {
      throw opened.problem ?? StoreError(.noDataDirectory, "there is no data directory")
    }
    return RunStore(database: database)
  }

  /// Saves several run records in one transaction once the store is open; returns how many were new.
  @discardableResult
  package func record(contentsOf runs: [RunRecord]) async throws -> Int {
    try await store().record(contentsOf: runs)
  }

  /// Saves a model switch event once the store is open.
  package func record(_ event: ModelSwitch) async throws {
    try await store().record(event)
  }

  /// The run records that match `filter`, newest first, at most `limit` of them.
  package func runs(matching filter: RunFilter, limit: Int) async throws -> [RunRecord] {
    try await store().runs(matching: filter, limit: limit)
  }

  /// Counts the run records that match `filter`.
  package func count(matching filter: RunFilter) async throws -> Int {
    try await store().count(matching: filter)
  }

  /// The model switches in `filter`'s time window, newest first.
  package func modelSwitches(matching filter: RunFilter) async throws -> [ModelSwitch] {
    try await store().modelSwitches(matching: filter)
  }

  /// Deletes run records and model switches older than `date`; returns how many run records went.
  @discardableResult
  package func deleteRecords(before date: Date) async throws -> Int {
    try await store().deleteRecords(before: date)
  }
}
