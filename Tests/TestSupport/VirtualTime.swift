import NIOCore
import NIOEmbedded
import Synchronization
import Testing
import WireCore

/// Runs `body` with an event loop whose time is virtual (it starts at 0 and moves only by `advanceTime`). Give it to
/// ``WireCore/HTTPTransport/timerEventLoop`` (see ``WireCore/HTTPTransport/timed(by:)``) so a timeout test neither
/// waits for real time nor depends on how busy the machine is.
///
/// The loop is never shut down: work the test started may still cancel a timer on it after `body` returns (a
/// response body's receiver stopping its watchdog), and a `NIOAsyncTestingEventLoop` traps when a timer is cancelled after
/// its shutdown. The loops are kept until the process ends (a few hundred bytes each).
package func withVirtualTime<Result>(_ body: (NIOAsyncTestingEventLoop) async throws -> Result) async rethrows -> Result
{
  let loop = NIOAsyncTestingEventLoop()
  VirtualTimeLoops.keep(loop)
  return try await body(loop)
}

/// The loops of ``withVirtualTime(_:)``, alive until the process ends.
private enum VirtualTimeLoops {
  static let loops = Mutex<[NIOAsyncTestingEventLoop]>([])

  static func keep(_ loop: NIOAsyncTestingEventLoop) {
    loops.withLock { $0.append(loop) }
  }
}

extension HTTPTransport {
  /// A copy of this transport whose timeouts and retry waits run on `loop`'s clock.
  package func timed(by loop: any EventLoop) -> HTTPTransport {
    var transport = self
    transport.timerEventLoop = loop
    return transport
  }
}

/// Work started in its own task that can be asked whether it has finished, to check that a timeout has not fired
/// before its time.
package final class Pending<Success: Sendable>: Sendable {
  private final class Flag: Sendable {
    let value = Atomic(false)
  }

  private let task: Task<Success, any Error>
  private let finished = Flag()

  /// Starts `work`.
  package init(_ work: @escaping @Sendable () async throws -> Success) {
    let finished = self.finished
    task = Task {
      defer { finished.value.store(true, ordering: .releasing) }
      return try await work()
    }
  }

  /// Whether the work has returned or thrown, after giving other tasks a few turns to get there.
  package func hasFinished() async -> Bool {
    for _ in 0..<20 { await Task.yield() }
    return finished.value.load(ordering: .acquiring)
  }

  /// What the work returned, waiting for it.
  package var value: Success {
    get async throws { try await task.value }
  }

  /// Cancels the work.
  package func cancel() { task.cancel() }
}

/// Moves `clock` on by `before` (when given), expects `work` still to be running, then moves the clock the
/// `lastStep` further and expects `work` to end in a timeout in `phase` (and of `limit`, when given): the shape of
/// every "this limit fires then, and not a moment earlier" test. Returns the error for further checks.
@discardableResult
package func expectTimeout<Success: Sendable>(
  of work: Pending<Success>, on clock: NIOAsyncTestingEventLoop, before: TimeAmount? = nil,
  lastStep: TimeAmount = .seconds(1), phase: ModelServerError.TimeoutPhase, limit: Duration? = nil,
  sourceLocation: SourceLocation = #_sourceLocation
) async -> ModelServerError? {
  if let before { await clock.advanceTime(by: before) }
  #expect(await !work.hasFinished(), "it ended before its time", sourceLocation: sourceLocation)
  await clock.advanceTime(by: lastStep)
  let error = await expectError(.timedOut, sourceLocation: sourceLocation) { _ = try await work.value }
  #expect(error?.timeoutPhase == phase, sourceLocation: sourceLocation)
  if let limit { #expect(error?.timeoutLimit == limit, sourceLocation: sourceLocation) }
  return error
}
