#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Splits a byte stream that arrives in arbitrary chunks into lines ended by CR, LF or CRLF.
///
/// A line split across chunks is carried over; a CR at the end of one chunk followed by an LF at the
/// start of the next counts as one line end. Lines are handed out as raw bytes (without the line end),
/// so multi-byte UTF-8 characters split across chunks arrive whole.
public struct LineSplitter: Sendable {
  /// Bytes of a line that has started but not ended yet.
  private var carry: [UInt8] = []
  /// Whether the previous chunk ended with CR, so a leading LF in the next chunk is part of that line end.
  private var skipLeadingLF = false

  /// The most bytes a single line may hold; longer input is an error rather than unbounded memory.
  public let maximumLineLength: Int

  /// Creates a splitter that refuses lines longer than `maximumLineLength` bytes (default 64 MiB).
  public init(maximumLineLength: Int = 64 << 20) {
    self.maximumLineLength = maximumLineLength
  }

  /// Whether bytes of an unfinished line are buffered.
  public var hasPartialLine: Bool { !carry.isEmpty }

  /// Feeds one chunk and calls `onLine` for each line it completes.
  ///
  /// Line ends are found with `memchr` (vectorized in the C library) rather than byte by byte.
  ///
  /// - Throws: ``LineTooLongError`` when a line exceeds ``maximumLineLength``, or whatever `onLine` throws.
  public mutating func split(
    _ chunk: UnsafeRawBufferPointer, _ onLine: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    let count = chunk.count
    guard count > 0, let base = chunk.baseAddress else { return }
    var lineStart = 0
    if skipLeadingLF {
      skipLeadingLF = false
      if chunk[0] == 0x0A { lineStart = 1 }
    }
    // Where the next LF is (`count` when there is none); kept across CR-ended lines so a stream that
    // uses bare CRs is not rescanned to the end for every line.
    var lineFeedSearchedFrom = -1
    var nextLineFeed = count
    while lineStart < count {
      // The next LF, then the first CR before it (if any): whichever comes first ends the line.
      if lineFeedSearchedFrom < 0 || nextLineFeed < lineStart {
        nextLineFeed = LineSplitter.find(0x0A, in: base, from: lineStart, to: count) ?? count
        lineFeedSearchedFrom = lineStart
      }
      let lineFeed: Int? = nextLineFeed < count ? nextLineFeed : nil
      let carriageReturn = LineSplitter.find(0x0D, in: base, from: lineStart, to: lineFeed ?? count)
      guard let end = carriageReturn ?? lineFeed else { break }
      let line = UnsafeRawBufferPointer(start: base + lineStart, count: end - lineStart)
      if hasPartialLine {
        try appendCarry(line)
        try carryLine(onLine)
      } else {
        try onLine(line)
      }
      lineStart = end + 1
      if carriageReturn != nil {
        if lineStart < count {
          if chunk[lineStart] == 0x0A { lineStart += 1 }
        } else {
          skipLeadingLF = true
        }
      }
    }
    if lineStart < count {
      try appendCarry(UnsafeRawBufferPointer(start: base + lineStart, count: count - lineStart))
    }
  }

  /// The offset of the first `byte` in `base[from..<to]`, if any.
  private static func find(_ byte: UInt8, in base: UnsafeRawPointer, from: Int, to: Int) -> Int? {
    guard from < to, let found = memchr(base + from, Int32(byte), to - from) else { return nil }
    return UnsafeRawPointer(found) - base
  }

  /// Ends the input and returns the bytes of a last line that had no line end, if any.
  public mutating func finish() -> [UInt8]? {
    skipLeadingLF = false
    guard hasPartialLine else { return nil }
    defer { carry = [] }
    return carry
  }

  mutating func appendCarry(_ bytes: UnsafeRawBufferPointer) throws {
    guard carry.count + bytes.count <= maximumLineLength else {
      carry = []
      throw LineTooLongError(limit: maximumLineLength)
    }
    carry.append(contentsOf: bytes)
  }

  mutating func carryLine(_ onLine: (UnsafeRawBufferPointer) throws -> Void) throws {
    defer { carry.removeAll(keepingCapacity: true) }
    try carry.withUnsafeBytes { try onLine($0) }
  }
}

/// A line in a stream was longer than the splitter's limit.
public struct LineTooLongError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The limit in bytes.
  public var limit: Int
  /// What went wrong, for error messages.
  public var description: String { "a line in the response stream is longer than \(limit) bytes" }
}
