import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// Receives one response where AsyncHTTPClient reads it: its delegate API calls this, on the connection's event loop,
/// with the head, each part of the body and the end, and each part goes straight to the ``ResponseBody``'s consumer.
///
/// AsyncHTTPClient's async API costs more per request and per chunk: it starts an unstructured task per request for
/// its cancellation handler (a pool thread woken for every model call), and its body is an async sequence that a task
/// of ours had to copy into the ``ResponseBody`` (two jobs per chunk). Here a chunk read from the socket resumes the
/// body's consumer in the same loop turn, and nothing else wakes.
///
/// Limits: the first byte is bounded by a timer on the ``HTTPTransport/timers`` loop that fails the request; the idle
/// and overall limits by a ``Watchdog`` started with the head. Cancelling the task that waits for the head, the
/// watchdog tripping, or the consumer dropping the body (unless it discarded the remainder first) cancel the request.
final class ResponseReceiver: Sendable {
  private let parts: BodyPartStream
  private let url: String
  private let timeouts: OllamaConfig.Timeouts
  private let budget: RequestBudget?
  private let progress: BodyProgress
  private let timers: any EventLoop
  private let permit: RequestLimiter.Permit?
  private let watchdog: Watchdog
  private let state: Mutex<State>

  /// Where the wait for the head is.
  private enum Head {
    case notStarted
    /// It failed before the wait began (its task was cancelled first).
    case failedEarly(any Error)
    case waiting(CheckedContinuation<HTTPResponseHead, any Error>)
    case done
  }

  private struct State {
    var head = Head.notStarted
    var headTimer: Scheduled<Void>?
    /// Cancels the request (AsyncHTTPClient's task) with an error; `nil` until the request has been sent.
    var failRequest: (@Sendable (any Error) -> Void)?
    /// A failure asked for before the request was sent.
    var pendingFailure: (any Error)?
    var detector: BodyProgress.Detector?
    var dropped = 0
    /// The consumer dropped the body or was cancelled: the stream ends as cancelled, never with the request's error.
    var consumerGone = false
    var ended = false
    var remainderTimer: Scheduled<Void>?
  }

  /// A receiver for a request to `url` and the body it feeds; `permit` (its concurrency slot) is released once the body has been read,
  /// failed, timed out or been cancelled, or at once when its consumer stops after discarding the remainder. Chunks
  /// that `progress` counts (for an event-stream response; any chunk otherwise) reset the idle timer.
  ///
  /// The receiver does not keep the body: once its consumer drops it (and with it the stream), the stream ends as
  /// cancelled, which is how the receiver learns that the consumer stopped.
  static func make(
    url: String, timeouts: OllamaConfig.Timeouts, overallDeadline: NIODeadline?, budget: RequestBudget?,
    progress: BodyProgress, timers: any EventLoop, permit: RequestLimiter.Permit?
  ) -> (ResponseReceiver, ResponseBody) {
    let parts = BodyPartStream()
    let remainder = ResponseBody.Remainder()
    let receiver = ResponseReceiver(
      parts: parts, remainder: remainder, url: url, timeouts: timeouts, overallDeadline: overallDeadline,
      budget: budget, progress: progress, timers: timers, permit: permit)
    return (receiver, ResponseBody(parts: parts, url: url, remainder: remainder))
  }

  private init(
    parts: BodyPartStream, remainder: ResponseBody.Remainder,
    url: String, timeouts: OllamaConfig.Timeouts, overallDeadline: NIODeadline?, budget: RequestBudget?,
    progress: BodyProgress, timers: any EventLoop, permit: RequestLimiter.Permit?
  ) {
    self.parts = parts
    self.url = url
    self.timeouts = timeouts
    self.budget = budget
    self.progress = progress
    self.timers = timers
    self.permit = permit
    self.watchdog = Watchdog(idle: timeouts.idle, deadline: overallDeadline, eventLoop: timers)
    self.state = Mutex(State())
    parts.setTerminationHandler { [self] termination in
      guard termination == .cancelled else { return }
      consumerStopped(discarded: remainder.discarded.load(ordering: .acquiring))
    }
  }

  /// Sends the request with `send` (which returns how to fail it) and waits for the response head until
  /// `deadline` on the timers' clock.
  ///
  /// - Throws: `HTTPClientError.deadlineExceeded` when the deadline passes first (the request is cancelled),
  ///   `CancellationError` when the waiting task is cancelled, or what AsyncHTTPClient reports.
  func head(
    until deadline: NIODeadline, send: (ResponseReceiver) -> @Sendable (any Error) -> Void
  ) async throws -> HTTPResponseHead {
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<HTTPResponseHead, any Error>) in
        // Armed before the request goes out, so it is running by the time the server sees the request.
        let timer = timers.scheduleTask(deadline: deadline) { [self] in
          failHead(HTTPClientError.deadlineExceeded)
        }
        let early = state.withLock { state -> (any Error)? in
          if case .failedEarly(let error) = state.head {
            state.head = .done
            return error
          }
          state.head = .waiting(waiter)
          state.headTimer = timer
          return nil
        }
        if let early {
          timer.cancel()
          waiter.resume(throwing: early)
          return
        }
        let failRequest = send(self)
        let pending = state.withLock { state -> (any Error)? in
          state.failRequest = failRequest
          return state.pendingFailure
        }
        if let pending { failRequest(pending) }
      }
    } onCancel: {
      failHead(CancellationError())
    }
  }

  /// The head wait ends with `error` (its deadline passed, its task was cancelled) and the request is cancelled.
  private func failHead(_ error: any Error) {
    let (waiter, failRequest) = state.withLock {
      state -> (CheckedContinuation<HTTPResponseHead, any Error>?, (@Sendable (any Error) -> Void)?) in
      switch state.head {
      case .notStarted:
        state.head = .failedEarly(error)
        return (nil, nil)
      case .waiting(let waiter):
        state.head = .done
        if state.failRequest == nil { state.pendingFailure = HTTPClientError.cancelled }
        return (waiter, state.failRequest)
      case .failedEarly, .done:
        return (nil, nil)
      }
    }
    failRequest?(HTTPClientError.cancelled)
    waiter?.resume(throwing: error)
  }

  /// Ends the wait for the head, if it is still waiting, and disarms its timer.
  private func takeHeadWaiter() -> CheckedContinuation<HTTPResponseHead, any Error>? {
    let (waiter, timer) = state.withLock {
      state -> (CheckedContinuation<HTTPResponseHead, any Error>?, Scheduled<Void>?) in
      defer { state.headTimer = nil }
      guard case .waiting(let waiter) = state.head else { return (nil, state.headTimer) }
      state.head = .done
      return (waiter, state.headTimer)
    }
    timer?.cancel()
    return waiter
  }

  /// The consumer stopped reading before the end: without a discarded remainder the request is cancelled; with
  /// one, the slot is given back now and the rest is read and dropped, for at most ``ResponseBody/remainderTimeLimit``.
  private func consumerStopped(discarded: Bool) {
    // Before the request is cancelled: its failure (on the loop, maybe before the stream has finished as cancelled)
    // must not reach a consumer that cancelled, as an error instead of the end.
    state.withLock { $0.consumerGone = true }
    guard discarded else {
      cancelRequest()
      return
    }
    permit?.release()
    let timer = timers.scheduleTask(in: ResponseBody.remainderTimeLimit.timeAmount) { [self] in cancelRequest() }
    let keep = state.withLock { state -> Bool in
      guard !state.ended else { return false }
      state.remainderTimer = timer
      return true
    }
    if !keep { timer.cancel() }
  }

  private func cancelRequest() {
    let failRequest = state.withLock { state in
      if state.failRequest == nil { state.pendingFailure = HTTPClientError.cancelled }
      return state.failRequest
    }
    failRequest?(HTTPClientError.cancelled)
  }

  /// The head arrived: the wait ends and the watchdog starts.
  func receiveHead(_ head: HTTPResponseHead) {
    let isEventStream = TransportResponse.contentType(of: head.headers, is: "text/event-stream")
    let progress = self.progress == .serverSentEvents && isEventStream ? self.progress : .anyBytes
    state.withLock { $0.detector = progress.makeDetector() }
    guard let waiter = takeHeadWaiter() else { return }  // the wait already failed: the request is being cancelled
    watchdog.start { [self] _ in cancelRequest() }
    waiter.resume(returning: head)
  }

  /// A part of the body arrived.
  func receiveBodyPart(_ part: ByteBuffer) {
    if state.withLock({ $0.detector?.isProgress(part) ?? true }) { watchdog.touch() }
    guard !parts.yield(part) else { return }
    // The consumer is gone: this is a discarded remainder; too long a remainder cancels the request.
    let tooLong = state.withLock { state in
      state.dropped += part.readableBytes
      return state.dropped > ResponseBody.remainderByteLimit
    }
    if tooLong { cancelRequest() }
  }

  /// The body ended.
  func receiveEnd() {
    end()
    parts.finish()
  }

  /// The request failed: before the head, the wait ends with `error`; after it, the body does, as a
  /// ``ModelServerError`` that says whether a limit tripped. Once the request has ended, later reports change nothing.
  func receiveError(_ error: any Error) {
    guard !state.withLock({ $0.ended }) else { return }
    if let waiter = takeHeadWaiter() {
      end()
      waiter.resume(throwing: error)
      return
    }
    let trip = watchdog.trip
    end()
    guard !state.withLock({ $0.consumerGone }) else { return }
    let mapped = ResponseBody.mapError(error, trip: trip, url: url, timeouts: timeouts)
    parts.finish(throwing: budget?.relabel(mapped) ?? mapped)
  }

  private func end() {
    watchdog.stop()
    let timer = state.withLock { state in
      state.ended = true
      defer { state.remainderTimer = nil }
      return state.remainderTimer
    }
    timer?.cancel()
    permit?.release()
  }
}

extension ResponseReceiver: HTTPClientResponseDelegate {
  typealias Response = Void

  func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
    receiveHead(head)
    return task.eventLoop.makeSucceededVoidFuture()
  }

  func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
    receiveBodyPart(buffer)
    return task.eventLoop.makeSucceededVoidFuture()
  }

  func didFinishRequest(task: HTTPClient.Task<Void>) throws {
    receiveEnd()
  }

  func didReceiveError(task: HTTPClient.Task<Void>, _ error: any Error) {
    receiveError(error)
  }
}
