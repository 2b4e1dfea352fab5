import NIOCore
import WireCore

/// An async sequence of `ByteBuffer` chunks made from fixed byte arrays, for framing tests: a body that arrives
/// cut at chosen places.
package struct ChunkedBytes: AsyncSequence, Sendable {
  package typealias Element = ByteBuffer
  /// The chunks, in the order they arrive.
  package let chunks: [[UInt8]]

  /// A body that arrives as `chunks`.
  package init(_ chunks: [[UInt8]]) { self.chunks = chunks }

  /// `bytes` cut at the given offsets (offsets outside the bytes, or repeated, are ignored).
  package init(_ bytes: [UInt8], splitAt offsets: [Int]) {
    var chunks: [[UInt8]] = []
    var start = 0
    for offset in offsets.sorted() where offset > start && offset < bytes.count {
      chunks.append(Array(bytes[start..<offset]))
      start = offset
    }
    chunks.append(Array(bytes[start...]))
    self.chunks = chunks
  }

  /// Hands out the chunks one by one.
  package struct AsyncIterator: AsyncIteratorProtocol {
    var remaining: ArraySlice<[UInt8]>
    /// The next chunk, or `nil` at the end.
    package mutating func next() async -> ByteBuffer? {
      guard let first = remaining.popFirst() else { return nil }
      return ByteBuffer(bytes: first)
    }
  }

  /// Starts at the first chunk.
  package func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: chunks[...]) }
}

extension SSEParser {
  /// Every event that `chunks`, fed in order to a fresh parser and then finished, produce.
  package static func events(in chunks: [[UInt8]]) throws -> [SSEEvent] {
    var parser = SSEParser()
    var events: [SSEEvent] = []
    for chunk in chunks { try parser.parse(chunk) { events.append($0) } }
    parser.finish { events.append($0) }
    return events
  }
}

extension NDJSONParser {
  /// Every line that `chunks`, fed in order to a fresh parser and then finished, produce.
  package static func lines(in chunks: [[UInt8]]) throws -> [[UInt8]] {
    var parser = NDJSONParser()
    var lines: [[UInt8]] = []
    for chunk in chunks { try parser.parse(chunk) { lines.append($0) } }
    if let last = parser.finish() { lines.append(last) }
    return lines
  }
}
