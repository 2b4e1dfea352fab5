import NIOCore

/// The server-sent events of a body that arrives as `ByteBuffer` chunks.
///
/// Iterating pulls chunks from the base sequence only as needed; several events from one chunk are
/// delivered one by one without touching the base again.
public struct SSEEventSequence<Base: AsyncSequence>: AsyncSequence where Base.Element == ByteBuffer {
  /// Each element is one event.
  public typealias Element = SSEEvent

  private let base: Base
  private let maximumLineLength: Int

  /// Wraps a chunk sequence; a single line longer than `maximumLineLength` bytes is an error.
  public init(_ base: Base, maximumLineLength: Int = 64 << 20) {
    self.base = base
    self.maximumLineLength = maximumLineLength
  }

  /// Iterates the events.
  public struct AsyncIterator: AsyncIteratorProtocol {
    private var base: Base.AsyncIterator
    private var parser: SSEParser
    private var ready = ReadyQueue<SSEEvent>()
    private var baseFinished = false

    fileprivate init(base: Base.AsyncIterator, maximumLineLength: Int) {
      self.base = base
      self.parser = SSEParser(maximumLineLength: maximumLineLength)
    }

    /// The next event, or `nil` once the body has ended.
    public mutating func next() async throws -> SSEEvent? {
      while true {
        if let event = ready.popFirst() { return event }
        if baseFinished { return nil }
        if let chunk = try await base.next() {
          try parser.parse(chunk) { ready.append($0) }
        } else {
          baseFinished = true
          parser.finish { ready.append($0) }
        }
      }
    }
  }

  /// Starts iterating.
  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(base: base.makeAsyncIterator(), maximumLineLength: maximumLineLength)
  }
}

extension SSEEventSequence: Sendable where Base: Sendable {}

/// A FIFO of parsed items that reuses its storage between chunks.
struct ReadyQueue<Element> {
  private var items: [Element] = []
  private var head = 0

  mutating func append(_ item: Element) { items.append(item) }

  mutating func popFirst() -> Element? {
    guard head < items.count else {
      if head > 0 {
        items.removeAll(keepingCapacity: true)
        head = 0
      }
      return nil
    }
    defer { head += 1 }
    return items[head]
  }
}
