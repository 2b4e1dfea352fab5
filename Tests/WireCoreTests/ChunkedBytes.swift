import NIOCore

/// An async sequence of `ByteBuffer` chunks made from fixed byte arrays, for framing tests.
struct ChunkedBytes: AsyncSequence, Sendable {
  typealias Element = ByteBuffer
  let chunks: [[UInt8]]

  init(_ chunks: [[UInt8]]) { self.chunks = chunks }

  /// `bytes` cut at the given offsets.
  init(_ bytes: [UInt8], splitAt offsets: [Int]) {
    var chunks: [[UInt8]] = []
    var start = 0
    for offset in offsets.sorted() where offset > start && offset < bytes.count {
      chunks.append(Array(bytes[start..<offset]))
      start = offset
    }
    chunks.append(Array(bytes[start...]))
    self.chunks = chunks
  }

  struct AsyncIterator: AsyncIteratorProtocol {
    var remaining: ArraySlice<[UInt8]>
    mutating func next() async -> ByteBuffer? {
      guard let first = remaining.popFirst() else { return nil }
      return ByteBuffer(bytes: first)
    }
  }

  func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: chunks[...]) }
}
