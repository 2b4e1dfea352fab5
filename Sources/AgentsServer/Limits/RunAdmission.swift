import Synchronization
import WireCore

/// How many agent runs the server does at once, and how many it lets wait: the per-server concurrency limit
/// towards the model server, with a bounded first-in, first-out queue in front of it.
///
/// A request is admitted when a run slot is free, else it waits in the queue; when the queue is full too, it is
/// refused at once (429 with `Retry-After`) instead of piling up. A waiting request whose client disconnects
/// leaves the queue without taking a slot.
final class RunAdmission: Sendable {
  /// Why a request was not admitted.
  enum Refusal: Error, Sendable, Hashable {
    /// Every slot is busy and the queue is full; retry after this many seconds.
    case queueFull(retryAfter: Int)
    /// The request was cancelled while it waited.
    case cancelled
  }

  /// Runs at once; 0 means no limit (and no queue).
  let maximumRunning: Int
  /// Requests that may wait for a slot.
  let maximumQueued: Int

  private let limiter = RequestLimiter()
  private let pending = Atomic<Int>(0)
  /// The mean duration of recent runs in seconds (an exponential average), for `Retry-After`.
  private let averageRunSeconds = Mutex<Double>(1)

  init(maximumRunning: Int, maximumQueued: Int) {
    self.maximumRunning = max(0, maximumRunning)
    self.maximumQueued = max(0, maximumQueued)
  }

  /// Requests running now.
  var running: Int { maximumRunning == 0 ? pending.load(ordering: .relaxed) : limiter.runningCount }
  /// Requests waiting now.
  var queued: Int { maximumRunning == 0 ? 0 : limiter.waitingCount }

  /// Waits for a run slot; the returned permit gives it back when released (or deallocated).
  ///
  /// - Throws: ``Refusal/queueFull(retryAfter:)`` at once when the queue is full; ``Refusal/cancelled`` when the
  ///   task is cancelled while it waits.
  func admit() async throws(Refusal) -> Permit {
    let now = pending.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue
    guard maximumRunning > 0 else { return Permit(admission: self, slot: nil) }
    if now > maximumRunning + maximumQueued {
      pending.wrappingSubtract(1, ordering: .acquiringAndReleasing)
      throw .queueFull(retryAfter: retryAfter(waiting: now - maximumRunning))
    }
    do {
      return Permit(admission: self, slot: try await limiter.acquire(limit: maximumRunning))
    } catch {
      pending.wrappingSubtract(1, ordering: .acquiringAndReleasing)
      throw .cancelled
    }
  }

  /// Seconds until a place is likely free: the queue ahead divided among the slots, times the recent mean run
  /// duration, rounded up; at least 1.
  private func retryAfter(waiting: Int) -> Int {
    let mean = averageRunSeconds.withLock { $0 }
    let estimate = Double(waiting) / Double(max(1, maximumRunning)) * mean
    return max(1, Int(estimate.rounded(.up)))
  }

  fileprivate func finished(after seconds: Double?) {
    pending.wrappingSubtract(1, ordering: .acquiringAndReleasing)
    if let seconds { averageRunSeconds.withLock { $0 = $0 * 0.8 + seconds * 0.2 } }
  }

  /// One admitted request's place; released once.
  final class Permit: Sendable {
    private let admission: RunAdmission
    private let slot: RequestLimiter.Permit?
    private let released = Atomic<Bool>(false)
    private let start = ContinuousClock.now

    fileprivate init(admission: RunAdmission, slot: RequestLimiter.Permit?) {
      self.admission = admission
      self.slot = slot
    }

    /// Gives the place back; later calls do nothing.
    func release() {
      guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
      slot?.release()
      let elapsed = ContinuousClock.now - start
      admission.finished(after: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    deinit { release() }
  }
}
