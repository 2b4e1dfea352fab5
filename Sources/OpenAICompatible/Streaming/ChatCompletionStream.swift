import WireCore

/// A streamed chat completion as events: content and reasoning deltas, tool calls, usage, finish.
///
/// Iterate it once, either as events (this sequence) or as raw chunks (``chunks``), or call ``collect()``
/// for the final ``ChatCompletion``, which equals what the non-streamed request returns. Cancelling the
/// iterating task cancels the HTTP request.
public struct ChatCompletionStream: AsyncSequence, Sendable {
  /// Each element is one event.
  public typealias Element = ChatStreamEvent

  /// The decoded chunks, for callers that want the raw stream.
  public let chunks: ChatCompletionChunks

  /// Wraps the chunks of a response to a streaming request.
  public init(chunks: ChatCompletionChunks) {
    self.chunks = chunks
  }

  /// Reads the events of a response to a streaming request (also used to replay recorded streams).
  public init(response: TransportResponse) {
    self.init(chunks: ChatCompletionChunks(response: response))
  }

  /// Iterates the events.
  public struct AsyncIterator: AsyncIteratorProtocol {
    private var chunks: ChatCompletionChunks.AsyncIterator
    /// Everything received so far, folded into a completion.
    public private(set) var accumulator = ChatCompletionAccumulator()
    private var pending: [ChatStreamEvent] = []
    private var pendingIndex = 0
    private var finished = false

    fileprivate init(chunks: ChatCompletionChunks.AsyncIterator) {
      self.chunks = chunks
    }

    /// The next event, or `nil` once the stream has ended.
    ///
    /// - Throws: ``ModelServerError`` (stream cut, server error, malformed chunk, timeout, cancelled).
    public mutating func next() async throws -> ChatStreamEvent? {
      while true {
        if pendingIndex < pending.count {
          defer { pendingIndex += 1 }
          return pending[pendingIndex]
        }
        pending.removeAll(keepingCapacity: true)
        pendingIndex = 0
        if finished { return nil }
        if let chunk = try await chunks.next() {
          accumulator.add(chunk) { pending.append($0) }
        } else {
          finished = true
          accumulator.finish { pending.append($0) }
        }
      }
    }
  }

  /// Starts iterating; iterate once.
  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(chunks: chunks.makeAsyncIterator())
  }

  /// Reads the whole stream and returns the completion it adds up to.
  ///
  /// - Throws: ``ModelServerError`` as iterating does.
  public func collect() async throws -> ChatCompletion {
    var iterator = makeAsyncIterator()
    while try await iterator.next() != nil {}
    return iterator.accumulator.completion
  }
}
