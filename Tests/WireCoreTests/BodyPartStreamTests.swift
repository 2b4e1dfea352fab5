import NIOCore
import Synchronization
import Testing

@testable import WireCore

/// The body parts' stream keeps `AsyncThrowingStream`'s semantics: order, a failure once after the parts, the end for
/// a cancelled reader, and one termination report.
@Suite struct BodyPartStreamTests {
  /// The terminations a stream reported, in order.
  final class Terminations: Sendable {
    private let seen = Mutex<[BodyPartStream.Termination]>([])
    var all: [BodyPartStream.Termination] { seen.withLock { $0 } }
    func watch(_ stream: BodyPartStream) {
      stream.setTerminationHandler { termination in self.seen.withLock { $0.append(termination) } }
    }
  }

  struct Failure: Error, Equatable {}

  static func text(_ part: ByteBuffer?) -> String? { part.map { String(buffer: $0) } }

  @Test func partsArriveInOrderThenTheEnd() async throws {
    let stream = BodyPartStream()
    let terminations = Terminations()
    terminations.watch(stream)
    #expect(stream.yield(ByteBuffer(string: "a")))
    #expect(stream.yield(ByteBuffer(string: "b")))
    stream.finish()
    #expect(!stream.yield(ByteBuffer(string: "late")))
    #expect(Self.text(try await stream.next()) == "a")
    #expect(Self.text(try await stream.next()) == "b")
    #expect(try await stream.next() == nil)
    #expect(try await stream.next() == nil)
    #expect(terminations.all == [.finished])
  }

  @Test func aFailureComesOnceAfterThePartsBeforeIt() async throws {
    let stream = BodyPartStream()
    stream.yield(ByteBuffer(string: "a"))
    stream.finish(throwing: Failure())
    #expect(Self.text(try await stream.next()) == "a")
    await #expect(throws: Failure.self) { try await stream.next() }
    #expect(try await stream.next() == nil)
  }

  @Test func aWaitingReaderGetsThePartYieldedLaterAndTheFailure() async throws {
    let stream = BodyPartStream()
    let first = Task { try await stream.next() }
    while !Self.waits(stream) { await Task.yield() }
    stream.yield(ByteBuffer(string: "x"))
    #expect(Self.text(try await first.value) == "x")
    let second = Task { try await stream.next() }
    while !Self.waits(stream) { await Task.yield() }
    stream.finish(throwing: Failure())
    await #expect(throws: Failure.self) { try await second.value }
  }

  @Test func cancellingTheReaderEndsItsReadAndTheStream() async throws {
    let stream = BodyPartStream()
    let terminations = Terminations()
    terminations.watch(stream)
    let reader = Task { try await stream.next() }
    while !Self.waits(stream) { await Task.yield() }
    reader.cancel()
    #expect(try await reader.value == nil)
    #expect(!stream.yield(ByteBuffer(string: "dropped")))
    stream.finish()
    #expect(terminations.all == [.cancelled])
  }

  @Test func aCancelledTaskReadsNothingMore() async throws {
    let stream = BodyPartStream()
    stream.yield(ByteBuffer(string: "buffered"))
    let reader = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return try await stream.next()
    }
    #expect(try await reader.value == nil)
    #expect(!stream.yield(ByteBuffer(string: "dropped")))
  }

  @Test func releasingTheReaderCancelsUnlessTheStreamEnded() async throws {
    let open = BodyPartStream()
    let openTerminations = Terminations()
    openTerminations.watch(open)
    var reader: BodyPartReader? = BodyPartReader(open)
    #expect(reader != nil)
    reader = nil
    #expect(openTerminations.all == [.cancelled])
    #expect(!open.yield(ByteBuffer(string: "dropped")))

    let ended = BodyPartStream()
    let endedTerminations = Terminations()
    endedTerminations.watch(ended)
    var endedReader: BodyPartReader? = BodyPartReader(ended)
    ended.finish()
    #expect(endedReader != nil)
    endedReader = nil
    #expect(endedTerminations.all == [.finished])
  }

  /// Whether a reader waits on `stream` (for tests: a part yielded now is handed over, not buffered).
  static func waits(_ stream: BodyPartStream) -> Bool { stream.hasWaitingReader }
}
