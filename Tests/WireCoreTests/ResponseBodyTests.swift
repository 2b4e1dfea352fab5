import AsyncHTTPClient
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Synchronization
import TestSupport
import Testing

@testable import WireCore

/// How a ``ResponseReceiver`` hands a response to its ``ResponseBody``, and what happens to the request when the
/// consumer stops early: cancelled (the connection is closed), or read and dropped after
/// ``ResponseBody/discardRemainder()`` (the connection stays in the pool). The receiver is fed here as AsyncHTTPClient
/// feeds it, and time is virtual.
@Suite struct ResponseBodyTests {
  /// A request as the receiver sees it: the errors it was failed with, and the receiver.
  final class Exchange: Sendable {
    let receiver: ResponseReceiver
    /// The body, until a test takes it: the exchange must not keep it, as the transport does not.
    private let body: Mutex<ResponseBody?>
    private let failures = Mutex<[String]>([])
    private let sends = Atomic<Int>(0)
    /// What the request reports when it is failed, instead of the error it was failed with.
    private let reports: (any Error & Sendable)?

    init(
      timers: any EventLoop, timeouts: OllamaConfig.Timeouts = OllamaConfig.Timeouts(),
      overallDeadline: NIODeadline? = nil, permit: RequestLimiter.Permit? = nil, reports: (any Error & Sendable)? = nil
    ) {
      self.reports = reports
      let (receiver, body) = ResponseReceiver.make(
        url: "http://127.0.0.1:1/v1/chat/completions", timeouts: timeouts, overallDeadline: overallDeadline,
        budget: nil, progress: .serverSentEvents, timers: timers, permit: permit)
      self.receiver = receiver
      self.body = Mutex(body)
    }

    /// The body; only its taker holds it from then on.
    func takeBody() -> ResponseBody {
      body.withLock { body in
        defer { body = nil }
        return body!
      }
    }

    /// Waits for the head as the transport does; the request is "sent" at once. A failed request reports its error
    /// back, as AsyncHTTPClient does.
    func head(until deadline: NIODeadline) async throws -> HTTPResponseHead {
      try await receiver.head(until: deadline) { receiver in
        sends.add(1, ordering: .relaxed)
        return { [self] error in
          failures.withLock { $0.append("\(error)") }
          receiver.receiveError(reports ?? error)
        }
      }
    }

    /// The errors the request was failed with, in order.
    var failedWith: [String] { failures.withLock { $0 } }
    /// How many times the request was sent.
    var sent: Int { sends.load(ordering: .relaxed) }

    func send(_ text: String) { receiver.receiveBodyPart(ByteBuffer(string: text)) }
  }

  static let eventStreamHead = HTTPResponseHead(
    version: .http1_1, status: .ok, headers: ["content-type": "text/event-stream"])

  /// An exchange whose head has arrived.
  func started(
    _ loop: NIOAsyncTestingEventLoop, timeouts: OllamaConfig.Timeouts = OllamaConfig.Timeouts(),
    permit: RequestLimiter.Permit? = nil, reports: (any Error & Sendable)? = nil
  ) async throws -> Exchange {
    let exchange = Exchange(timers: loop, timeouts: timeouts, permit: permit, reports: reports)
    let head = Pending { try await exchange.head(until: loop.now + .seconds(60)) }
    #expect(await eventually { exchange.sent == 1 })
    exchange.receiver.receiveHead(Self.eventStreamHead)
    #expect(try await head.value.status == .ok)
    return exchange
  }

  /// Reads the first chunk of `body`, then drops it (and its iterator).
  func readFirstChunk(_ body: ResponseBody, discarding: Bool) async throws -> String? {
    var iterator = body.makeAsyncIterator()
    let first = try await iterator.next().map { String(buffer: $0) }
    if discarding { body.discardRemainder() }
    return first
  }

  @Test func chunksReachTheConsumerAsTheyArriveAndTheEndEndsTheBody() async throws {
    try await withVirtualTime { loop in
      let exchange = try await started(loop)
      exchange.send("data: {\"a\"")
      exchange.send(":1}\n\ndata: [DONE]\n\n")
      exchange.receiver.receiveEnd()
      var chunks: [String] = []
      for try await chunk in exchange.takeBody() { chunks.append(String(buffer: chunk)) }
      #expect(chunks == ["data: {\"a\"", ":1}\n\ndata: [DONE]\n\n"])
      #expect(exchange.failedWith.isEmpty)
    }
  }

  @Test func aConsumerThatStopsEarlyCancelsTheRequest() async throws {
    try await withVirtualTime { loop in
      let exchange = try await started(loop)
      exchange.send("data: [DONE]\n\n")
      #expect(try await readFirstChunk(exchange.takeBody(), discarding: false) == "data: [DONE]\n\n")
      #expect(await eventually { exchange.failedWith == ["\(HTTPClientError.cancelled)"] })
    }
  }

  @Test func aDiscardedRemainderIsReadToTheEndAndTheSlotIsFreeAtOnce() async throws {
    try await withVirtualTime { loop in
      let limiter = RequestLimiter()
      let permit = try await limiter.acquire(limit: 1)
      let exchange = try await started(loop, permit: permit)
      exchange.send("data: [DONE]\n\n")
      #expect(try await readFirstChunk(exchange.takeBody(), discarding: true) == "data: [DONE]\n\n")
      // The slot is free although the body has not ended: a second request may start.
      let second = try await limiter.acquire(limit: 1, deadline: .now + .seconds(10))
      second.release()
      exchange.send("0\r\n\r\n")
      exchange.receiver.receiveEnd()
      // The remainder's time limit was disarmed when the body ended: the request is never cancelled.
      await loop.advanceTime(by: ResponseBody.remainderTimeLimit.timeAmount + .seconds(1))
      #expect(exchange.failedWith.isEmpty)
    }
  }

  @Test func aDiscardedRemainderThatNeverEndsIsCancelledAfterTheTimeLimit() async throws {
    try await withVirtualTime { loop in
      let exchange = try await started(loop)
      exchange.send("data: [DONE]\n\n")
      _ = try await readFirstChunk(exchange.takeBody(), discarding: true)
      await loop.advanceTime(by: ResponseBody.remainderTimeLimit.timeAmount - .milliseconds(1))
      exchange.send(": still going\n\n")
      #expect(exchange.failedWith.isEmpty)
      await loop.advanceTime(by: .milliseconds(1))
      #expect(exchange.failedWith == ["\(HTTPClientError.cancelled)"])
    }
  }

  @Test func aDiscardedRemainderLongerThanTheLimitIsCancelled() async throws {
    try await withVirtualTime { loop in
      let exchange = try await started(loop)
      exchange.send("data: [DONE]\n\n")
      _ = try await readFirstChunk(exchange.takeBody(), discarding: true)
      exchange.send(String(repeating: "x", count: ResponseBody.remainderByteLimit))
      #expect(exchange.failedWith.isEmpty)
      exchange.send("x")
      #expect(exchange.failedWith == ["\(HTTPClientError.cancelled)"])
    }
  }

  @Test func noHeadBeforeTheDeadlineFailsTheWaitAndCancelsTheRequest() async throws {
    try await withVirtualTime { loop in
      let exchange = Exchange(timers: loop)
      let head = Pending { try await exchange.head(until: loop.now + .seconds(30)) }
      #expect(await eventually { exchange.sent == 1 })
      await loop.advanceTime(by: .seconds(29))
      #expect(await !head.hasFinished())
      await loop.advanceTime(by: .seconds(1))
      await #expect(throws: HTTPClientError.deadlineExceeded) { try await head.value }
      #expect(exchange.failedWith == ["\(HTTPClientError.cancelled)"])
      // A head that arrives after all is ignored.
      exchange.receiver.receiveHead(Self.eventStreamHead)
    }
  }

  @Test func cancellingTheWaitCancelsTheRequest() async throws {
    try await withVirtualTime { loop in
      let exchange = Exchange(timers: loop)
      let head = Task { try await exchange.head(until: loop.now + .seconds(30)) }
      #expect(await eventually { exchange.sent == 1 })
      head.cancel()
      await #expect(throws: CancellationError.self) { try await head.value }
      #expect(exchange.failedWith == ["\(HTTPClientError.cancelled)"])
    }
  }

  @Test func aWaitCancelledBeforeItBeginsSendsNothing() async throws {
    try await withVirtualTime { loop in
      let exchange = Exchange(timers: loop)
      let head = Task {
        withUnsafeCurrentTask { $0?.cancel() }
        return try await exchange.head(until: loop.now + .seconds(30))
      }
      await #expect(throws: CancellationError.self) { try await head.value }
      #expect(exchange.sent == 0)
    }
  }

  @Test func anErrorBeforeTheHeadEndsTheWait() async throws {
    try await withVirtualTime { loop in
      let exchange = Exchange(timers: loop)
      let head = Pending { try await exchange.head(until: loop.now + .seconds(30)) }
      #expect(await eventually { exchange.sent == 1 })
      exchange.receiver.receiveError(HTTPClientError.remoteConnectionClosed)
      await #expect(throws: HTTPClientError.remoteConnectionClosed) { try await head.value }
      // Its timer was disarmed: nothing is cancelled later.
      await loop.advanceTime(by: .seconds(60))
      #expect(exchange.failedWith.isEmpty)
    }
  }

  @Test func onlyRealEventsKeepAStreamFromItsIdleTimeout() async throws {
    try await withVirtualTime { loop in
      let exchange = try await started(loop, timeouts: OllamaConfig.Timeouts(idle: .seconds(10)))
      let rest = Pending { for try await _ in exchange.takeBody() {} }
      await loop.advanceTime(by: .seconds(9))
      exchange.send("data: {}\n\n")
      await loop.advanceTime(by: .seconds(9))
      exchange.send(": keep-alive\n\n")
      #expect(exchange.failedWith.isEmpty)
      await loop.advanceTime(by: .seconds(1))
      #expect(exchange.failedWith == ["\(HTTPClientError.cancelled)"])
      let error = await expectError(.timedOut) { try await rest.value }
      #expect(error?.timeoutPhase == .idle)
    }
  }

  /// The request's failure may reach the receiver (on the loop) before the stream has ended as cancelled: the reader
  /// still sees cancellation, not the failure (seen as a flaky Ctrl-C in TerminalChatTests).
  @Test func aCancelledReaderSeesCancellationWhateverTheRequestReportsAsItStops() async throws {
    try await withVirtualTime { loop in
      let exchange = try await started(loop, reports: HTTPClientError.remoteConnectionClosed)
      exchange.send("data: {}\n\n")
      let (firstChunk, arrived) = AsyncStream<Void>.makeStream()
      let reader = Task { [body = exchange.takeBody()] in
        for try await _ in body { arrived.yield() }
      }
      for await _ in firstChunk { break }
      reader.cancel()
      _ = await expectError(.cancelled) { try await reader.value }
      #expect(exchange.failedWith == ["\(HTTPClientError.cancelled)"])
    }
  }
}
