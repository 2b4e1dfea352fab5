import AsyncHTTPClient
import NIOCore
import NIOPosix
import Synchronization
import TestSupport
import Testing

@testable import WireCore

/// What happens to the rest of a response body when its consumer stops early: cancelled (the connection is
/// closed), or read and dropped after ``ResponseBody/discardRemainder()`` (the connection stays in the pool).
@Suite struct ResponseBodyTests {
  /// How the reading of a ``Source`` ended.
  final class Ending: Sendable {
    let value = Mutex<String?>(nil)
  }

  /// A network body the test feeds chunk by chunk, and how its reading ended.
  struct Source: Sendable {
    let body: HTTPClientResponse.Body
    let continuation: AsyncStream<ByteBuffer>.Continuation
    private let ending = Ending()

    init() {
      let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
      body = .stream(stream)
      self.continuation = continuation
      let ending = self.ending
      continuation.onTermination = { termination in
        let end = if case .cancelled = termination { "cancelled" } else { "finished" }
        ending.value.withLock { $0 = end }
      }
    }

    /// `cancelled` when the reader gave up, `finished` when the body was read to its end; `nil` while reading.
    var end: String? { ending.value.withLock { $0 } }

    func send(_ text: String) { continuation.yield(ByteBuffer(string: text)) }
  }

  func responseBody(_ source: Source, permit: RequestLimiter.Permit? = nil) -> ResponseBody {
    ResponseBody(
      source.body, url: "http://127.0.0.1:1/v1/chat/completions", timeouts: OllamaConfig.Timeouts(),
      overallDeadline: nil,
      eventLoop: MultiThreadedEventLoopGroup.singleton.any(), permit: permit)
  }

  /// Reads the first chunk of `body`, then drops it (and its iterator).
  func readFirstChunk(_ body: ResponseBody, discarding: Bool) async throws -> String? {
    var iterator = body.makeAsyncIterator()
    let first = try await iterator.next().map { String(buffer: $0) }
    if discarding { body.discardRemainder() }
    return first
  }

  @Test func aConsumerThatStopsEarlyCancelsTheRead() async throws {
    let source = Source()
    source.send("data: [DONE]\n\n")
    #expect(try await readFirstChunk(responseBody(source), discarding: false) == "data: [DONE]\n\n")
    #expect(await eventually(within: .seconds(10)) { source.end == "cancelled" })
  }

  @Test func aDiscardedRemainderIsReadToTheEndAndTheSlotIsFreeAtOnce() async throws {
    let limiter = RequestLimiter()
    let permit = try await limiter.acquire(limit: 1)
    let source = Source()
    source.send("data: [DONE]\n\n")
    #expect(try await readFirstChunk(responseBody(source, permit: permit), discarding: true) == "data: [DONE]\n\n")
    // The slot is free although the body has not ended: a second request may start.
    let second = try await limiter.acquire(limit: 1, deadline: .now + .seconds(10))
    second.release()
    source.send("0\r\n\r\n")
    source.continuation.finish()
    #expect(await eventually(within: .seconds(10)) { source.end == "finished" })
  }

  @Test func aDiscardedRemainderThatNeverEndsIsCancelledAfterTheTimeLimit() async throws {
    let source = Source()
    source.send("data: [DONE]\n\n")
    _ = try await readFirstChunk(responseBody(source), discarding: true)
    #expect(await eventually(within: ResponseBody.remainderTimeLimit + .seconds(30)) { source.end == "cancelled" })
  }
}
