import NIOCore

/// Turns byte chunks into framed items (SSE events, NDJSON lines), keeping state across chunks.
public protocol ChunkFramer: Sendable {
  /// What one framed item is.
  associatedtype Item: Sendable
  /// Creates a framer that refuses single lines longer than `maximumLineLength` bytes.
  init(maximumLineLength: Int)
  /// Feeds one chunk and reports each item it completes.
  mutating func frame(_ chunk: ByteBuffer, _ onItem: (Item) -> Void) throws
  /// Ends the input and reports what the end completes.
  mutating func finish(_ onItem: (Item) -> Void)
}

/// The framed items of a body that arrives as `ByteBuffer` chunks.
///
/// Iterating pulls chunks from the base sequence only as needed; several items from one chunk are
/// delivered one by one without touching the base again. It is inlinable, so that a module that reads a body
/// through it gets code specialized for its body and framer (the generic code looked up type metadata for every
/// chunk of a streamed answer).
public struct FramedSequence<Base: AsyncSequence, Framer: ChunkFramer>: AsyncSequence where Base.Element == ByteBuffer {
  /// Each element is one framed item.
  public typealias Element = Framer.Item

  @usableFromInline let base: Base
  @usableFromInline let maximumLineLength: Int

  /// Wraps a chunk sequence; a single line longer than `maximumLineLength` bytes is an error.
  @inlinable
  public init(_ base: Base, maximumLineLength: Int = 64 << 20) {
    self.base = base
    self.maximumLineLength = maximumLineLength
  }

  /// Iterates the items.
  public struct AsyncIterator: AsyncIteratorProtocol {
    @usableFromInline var base: Base.AsyncIterator
    @usableFromInline var framer: Framer
    @usableFromInline var ready: [Framer.Item] = []
    @usableFromInline var readyIndex = 0
    @usableFromInline var baseFinished = false

    @inlinable
    init(base: Base.AsyncIterator, maximumLineLength: Int) {
      self.base = base
      self.framer = Framer(maximumLineLength: maximumLineLength)
    }

    /// The next item, or `nil` once the body has ended.
    @inlinable
    public mutating func next() async throws -> Framer.Item? {
      while true {
        if readyIndex < ready.count {
          defer { readyIndex += 1 }
          return ready[readyIndex]
        }
        ready.removeAll(keepingCapacity: true)
        readyIndex = 0
        if baseFinished { return nil }
        if let chunk = try await base.next() {
          try framer.frame(chunk) { ready.append($0) }
        } else {
          baseFinished = true
          framer.finish { ready.append($0) }
        }
      }
    }
  }

  /// Starts iterating.
  @inlinable
  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(base: base.makeAsyncIterator(), maximumLineLength: maximumLineLength)
  }
}

extension FramedSequence: Sendable where Base: Sendable {}

/// The server-sent events of a body that arrives as `ByteBuffer` chunks.
public typealias SSEEventSequence<Base: AsyncSequence> = FramedSequence<Base, SSEParser> where Base.Element == ByteBuffer

/// The non-blank lines of a newline-delimited JSON body that arrives as `ByteBuffer` chunks.
public typealias NDJSONLineSequence<Base: AsyncSequence> = FramedSequence<Base, NDJSONParser>
where Base.Element == ByteBuffer

extension SSEParser: ChunkFramer {
  /// Feeds one chunk and reports each event it completes.
  public mutating func frame(_ chunk: ByteBuffer, _ onItem: (SSEEvent) -> Void) throws {
    try parse(chunk, onItem)
  }
}

extension NDJSONParser: ChunkFramer {
  /// Feeds one chunk and reports each line it completes.
  public mutating func frame(_ chunk: ByteBuffer, _ onItem: ([UInt8]) -> Void) throws {
    try parse(chunk, onItem)
  }

  /// Ends the input and reports a last line that had no newline.
  public mutating func finish(_ onItem: ([UInt8]) -> Void) {
    if let last = finish() { onItem(last) }
  }
}
