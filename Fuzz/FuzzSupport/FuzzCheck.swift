#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks a fuzz property; a violation aborts, so libFuzzer saves the input as a crash artifact.
public enum FuzzCheck {
  /// Aborts with `message` and an excerpt of `input` when `condition` is false.
  public static func require(
    _ condition: Bool, _ message: @autoclosure () -> String, input: [UInt8],
    file: StaticString = #fileID, line: UInt = #line
  ) {
    guard !condition else { return }
    let excerpt = String(decoding: input.prefix(300), as: UTF8.self).debugDescription
    let report = "property violated at \(file):\(line): \(message())\ninput (\(input.count) bytes): \(excerpt)\n"
    _ = report.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    abort()
  }
}

/// Chunk boundaries for "feeding the bytes in pieces gives the same result as feeding them whole" properties.
public enum FuzzChunks {
  /// The whole input as one piece.
  public static func whole(_ bytes: [UInt8]) -> [Range<Int>] {
    [0..<bytes.count]
  }

  /// The input cut at up to eight positions chosen from a hash of the input (so every mutation moves them).
  public static func hashedCuts(of bytes: [UInt8]) -> [Range<Int>] {
    guard bytes.count > 1 else { return whole(bytes) }
    var state = fnv1a(bytes)
    let cutCount = Int(splitMix(&state) % 9)
    var cuts = Set<Int>()
    for _ in 0..<cutCount { cuts.insert(Int(splitMix(&state) % UInt64(bytes.count))) }
    var pieces: [Range<Int>] = []
    var start = 0
    for cut in cuts.sorted() where cut > start {
      pieces.append(start..<cut)
      start = cut
    }
    pieces.append(start..<bytes.count)
    return pieces
  }

  /// The input one byte at a time: every boundary at once.
  public static func bytewise(_ bytes: [UInt8]) -> [Range<Int>] {
    bytes.indices.map { $0..<($0 + 1) }
  }

  /// Requires `frame` to give the same result for the whole input, for hash-chosen cuts and, for inputs up to
  /// 256 bytes, for every byte boundary; returns the whole-input result.
  public static func requireSameResultHoweverCut<Result: Equatable>(
    _ input: [UInt8], _ frame: ([Range<Int>]) -> Result
  ) -> Result {
    let whole = frame(whole(input))
    let cut = frame(hashedCuts(of: input))
    FuzzCheck.require(cut == whole, "cut input gave \(cut) but whole input gave \(whole)", input: input)
    if input.count <= 256 {
      let bytewise = frame(bytewise(input))
      FuzzCheck.require(bytewise == whole, "bytewise input gave \(bytewise) but whole gave \(whole)", input: input)
    }
    return whole
  }

  /// Calls `body` with each piece of `bytes` as raw memory, without copying.
  public static func forEachPiece(
    of bytes: [UInt8], _ pieces: [Range<Int>], _ body: (UnsafeRawBufferPointer) throws -> Void
  ) rethrows {
    try bytes.withUnsafeBytes { raw in
      for piece in pieces { try body(UnsafeRawBufferPointer(rebasing: raw[piece])) }
    }
  }

  private static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
  }

  private static func splitMix(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}
