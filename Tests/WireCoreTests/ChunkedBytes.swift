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

/// A deterministic random generator (SplitMix64) so random splits repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
