import NIOCore
import Synchronization

/// The body of a model server response, as `ByteBuffer` chunks in arrival order.
///
/// Reading it is bounded by the idle timeout (longest time without progress: any chunk, or for an event
/// stream only real events, see ``BodyProgress``) and the optional overall deadline (the request's own or
/// its ``RequestBudget``'s); either one ending the read surfaces as ``ModelServerError`` with code
/// ``ModelServerError/Code/timedOut``. Cancelling the reading task cancels the HTTP request at once and
/// surfaces as ``ModelServerError/Code/cancelled``. Iterate it once.
///
/// Chunks are handed over in the event loop turn that read them from the connection; chunks a slow consumer has not
/// taken yet are buffered.
///
/// A consumer that stops before the end cancels the request, which closes the connection, unless it called
/// ``discardRemainder()`` first: a stream that has said it is done (`data: [DONE]`) usually has a few bytes
/// left (the chunked body's last chunk), and reading those keeps the connection alive for the next request.
public struct ResponseBody: AsyncSequence, Sendable {
  /// Each element is one chunk as received.
  public typealias Element = ByteBuffer

  /// The most bytes read and dropped after ``discardRemainder()``; a longer remainder closes the connection.
  public static let remainderByteLimit = 64 * 1024
  /// The longest time the remainder is read after ``discardRemainder()``; then the connection is closed.
  public static let remainderTimeLimit = Duration.seconds(1)

  private let reader: BodyPartReader
  private let url: String
  private let remainder: Remainder?

  /// Whether the rest of the body is read and dropped, instead of the request cancelled, once the consumer stops.
  final class Remainder: Sendable {
    let discarded = Atomic<Bool>(false)
  }

  /// A body whose chunks `parts` delivers (a ``ResponseReceiver``'s); `remainder` tells the receiver whether the
  /// consumer discarded the rest. Releasing the body and its iterators cancels `parts`.
  init(parts: BodyPartStream, url: String, remainder: Remainder) {
    self.reader = BodyPartReader(parts)
    self.url = url
    self.remainder = remainder
  }

  /// Says that the consumer has everything it needs (an SSE stream's `data: [DONE]`, say): when it stops
  /// reading, the rest of the body is read and dropped in the background, at most ``remainderByteLimit`` bytes
  /// for at most ``remainderTimeLimit``, so the kept-alive connection goes back to the pool instead of being
  /// closed; the request's concurrency slot is given back at once. Cancelling the consuming task still cancels
  /// the request.
  public func discardRemainder() {
    remainder?.discarded.store(true, ordering: .releasing)
  }

  /// A body that yields the given chunks, for replaying recorded responses without a network.
  public init(chunks: [ByteBuffer], url: String = "") {
    let parts = BodyPartStream()
    for chunk in chunks { parts.yield(chunk) }
    parts.finish()
    self.reader = BodyPartReader(parts)
    self.url = url
    self.remainder = nil
  }

  static func mapError(
    _ error: any Error, trip: Watchdog.Trip?, url: String, timeouts: OllamaConfig.Timeouts
  ) -> ModelServerError {
    switch trip {
    case .idle: return .timedOut(.idle, limit: timeouts.idle, url: url)
    case .deadline: return .timedOut(.deadline, limit: timeouts.overall ?? timeouts.idle, url: url)
    case nil: return TransportErrorMapping.bodyError(error, url: url)
    }
  }

  /// Iterates the chunks.
  public struct AsyncIterator: AsyncIteratorProtocol {
    let reader: BodyPartReader
    let url: String

    /// The next chunk, or `nil` at the end of the body.
    ///
    /// - Throws: ``ModelServerError`` (timed out, cancelled, connection cut).
    public mutating func next() async throws -> ByteBuffer? {
      let chunk = try await reader.stream.next()
      if chunk == nil, Task.isCancelled { throw ModelServerError.cancelled(url: url) }
      return chunk
    }
  }

  /// Starts iterating.
  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(reader: reader, url: url)
  }

  /// Reads the whole body into one array.
  ///
  /// - Throws: ``ModelServerError`` when the body exceeds `limit` bytes or reading fails.
  public func collect(upTo limit: Int) async throws -> [UInt8] {
    var bytes: [UInt8] = []
    for try await chunk in self {
      guard bytes.count + chunk.readableBytes <= limit else {
        throw ModelServerError.malformedResponse(
          "the body is larger than the \(limit)-byte limit", body: String(decoding: bytes.prefix(200), as: UTF8.self),
          url: url)
      }
      bytes.append(contentsOf: chunk.readableBytesView)
    }
    return bytes
  }

  /// Reads at most `limit` bytes and stops, for error bodies whose tail does not matter.
  func prefix(upTo limit: Int) async -> [UInt8] {
    var bytes: [UInt8] = []
    do {
      for try await chunk in self {
        bytes.append(contentsOf: chunk.readableBytesView.prefix(limit - bytes.count))
        if bytes.count >= limit { break }
      }
    } catch {
      // An error body that cannot be read completely is still worth its first bytes.
    }
    return bytes
  }
}
