import NIOCore
import Synchronization

/// Watches one response body and trips when no bytes arrived for the idle timeout or the overall
/// deadline passed.
///
/// It is one timer on an event loop per request: each chunk only stores a timestamp (an atomic write),
/// and the timer, when it fires, either reschedules itself for the new expiry or trips. No task is
/// spawned per chunk. Time is the event loop's `now`, so on a `NIOAsyncTestingEventLoop` it is virtual and moves
/// only when a test advances it.
final class Watchdog: Sendable {
  /// Which limit tripped.
  enum Trip: Sendable, Equatable {
    case idle
    case deadline
  }

  private let idleNanoseconds: Int64
  private let deadline: NIODeadline?
  private let eventLoop: any EventLoop
  private let lastActivity: Atomic<Int64>
  private let state: Mutex<State>

  private struct State {
    var scheduled: Scheduled<Void>?
    var trip: Trip?
    var onTrip: (@Sendable (Trip) -> Void)?
    var stopped = false
  }

  /// Creates a stopped watchdog timed by `eventLoop`'s clock; call ``start(onTrip:)`` to arm it.
  init(idle: Duration, deadline: NIODeadline?, eventLoop: any EventLoop) {
    self.idleNanoseconds = idle.nanoseconds
    self.deadline = deadline
    self.eventLoop = eventLoop
    self.lastActivity = Atomic(eventLoop.now.uptimeNanoseconds.clampedToInt64)
    self.state = Mutex(State())
  }

  /// Which limit tripped, if one did.
  var trip: Trip? { state.withLock { $0.trip } }

  /// Arms the timer; `onTrip` runs once, on an event loop, when a limit is exceeded.
  func start(onTrip: @escaping @Sendable (Trip) -> Void) {
    touch()
    state.withLock { $0.onTrip = onTrip }
    schedule(at: nextExpiry())
  }

  /// Records that bytes arrived now.
  func touch() {
    lastActivity.store(eventLoop.now.uptimeNanoseconds.clampedToInt64, ordering: .relaxed)
  }

  /// Disarms the timer for good.
  func stop() {
    let scheduled = state.withLock { state -> Scheduled<Void>? in
      state.stopped = true
      state.onTrip = nil
      defer { state.scheduled = nil }
      return state.scheduled
    }
    scheduled?.cancel()
  }

  private func nextExpiry() -> NIODeadline {
    let idleExpiry = NIODeadline.uptimeNanoseconds(
      UInt64(lastActivity.load(ordering: .relaxed)) &+ UInt64(idleNanoseconds))
    guard let deadline else { return idleExpiry }
    return min(idleExpiry, deadline)
  }

  private func schedule(at expiry: NIODeadline) {
    let task = eventLoop.scheduleTask(deadline: expiry) { [self] in fire() }
    let keep = state.withLock { state -> Bool in
      guard !state.stopped, state.trip == nil else { return false }
      state.scheduled = task
      return true
    }
    if !keep { task.cancel() }
  }

  private func fire() {
    let now = eventLoop.now
    let trip: Trip?
    if let deadline, now >= deadline {
      trip = .deadline
    } else if now.uptimeNanoseconds.clampedToInt64 - lastActivity.load(ordering: .relaxed) >= idleNanoseconds {
      trip = .idle
    } else {
      trip = nil
    }
    guard let trip else {
      schedule(at: nextExpiry())
      return
    }
    let callback = state.withLock { state -> (@Sendable (Trip) -> Void)? in
      guard !state.stopped, state.trip == nil else { return nil }
      state.trip = trip
      state.scheduled = nil
      return state.onTrip
    }
    callback?(trip)
  }
}

extension UInt64 {
  var clampedToInt64: Int64 { self > UInt64(Int64.max) ? Int64.max : Int64(self) }
}

extension Duration {
  /// The duration in whole nanoseconds, clamped to `Int64`.
  var nanoseconds: Int64 {
    let (seconds, attoseconds) = components
    let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    if overflow { return seconds < 0 ? Int64.min : Int64.max }
    return scaled &+ attoseconds / 1_000_000_000
  }

  /// The duration as a NIO `TimeAmount`.
  var timeAmount: TimeAmount { .nanoseconds(nanoseconds) }
}

extension EventLoop {
  /// Suspends until `deadline` on this loop's clock (virtual on a testing event loop).
  ///
  /// - Throws: `CancellationError` when the task is cancelled first.
  func sleep(until deadline: NIODeadline) async throws(CancellationError) {
    let timer = scheduleTask(deadline: deadline) {}
    do {
      try await withTaskCancellationHandler {
        try await timer.futureResult.get()
      } onCancel: {
        timer.cancel()
      }
    } catch {
      throw CancellationError()
    }
  }
}
