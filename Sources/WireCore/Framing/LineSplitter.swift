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
  /// - Throws: ``LineTooLongError`` when a line exceeds ``maximumLineLength``, or whatever `onLine` throws.

  public mutating func split(
    _ chunk: UnsafeRawBufferPointer, _ onLine: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    let count = chunk.count
    guard count > 0 else { return }
    var index = 0
    if skipLeadingLF {
      skipLeadingLF = false
      if chunk[0] == 0x0A { index = 1 }
    }
    var lineStart = index
    while index < count {
      let byte = chunk[index]
      // Everything above CR is ordinary text; test that first so the hot loop is one comparison.
      if byte > 0x0D || (byte != 0x0A && byte != 0x0D) {
        index += 1
        continue
      }
      let line = UnsafeRawBufferPointer(rebasing: chunk[lineStart..<index])
      if hasPartialLine {
        try appendCarry(line)
        try carryLine(onLine)
      } else {
        try onLine(line)
      }
      index += 1
      if byte == 0x0D {
        if index < count {
          if chunk[index] == 0x0A { index += 1 }
        } else {
          skipLeadingLF = true
        }
      }
      lineStart = index
    }
    if lineStart < count {
      try appendCarry(UnsafeRawBufferPointer(rebasing: chunk[lineStart..<count]))
    }
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
  public var description: String { "a line in the response stream is longer than \(limit) bytes" }
}
