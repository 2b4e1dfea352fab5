import NIOCore

/// Frames a newline-delimited JSON body (Ollama's native streaming format) into lines.
///
/// Lines split across chunks are joined, CRLF line ends are tolerated, blank lines are skipped, and a
/// last line without a newline at the end of the input is still delivered. Lines are raw UTF-8 bytes,
/// ready for `JSONValue.parse`.
public struct NDJSONParser: Sendable {
  private var lines: LineSplitter

  /// Creates a parser; a single line longer than `maximumLineLength` bytes is an error.
  public init(maximumLineLength: Int = 64 << 20) {
    lines = LineSplitter(maximumLineLength: maximumLineLength)
  }

  /// Feeds one chunk and calls `onLine` for each non-blank line it completes.
  public mutating func parse(_ chunk: UnsafeRawBufferPointer, _ onLine: ([UInt8]) throws -> Void) throws {
    try lines.split(chunk) { line in
      if !NDJSONParser.isBlank(line) { try onLine(Array(line)) }
    }
  }

  /// Feeds one chunk and calls `onLine` for each non-blank line it completes.
  public mutating func parse(_ chunk: ByteBuffer, _ onLine: ([UInt8]) throws -> Void) throws {
    try chunk.withUnsafeReadableBytes { try parse($0, onLine) }
  }

  /// Feeds one chunk and calls `onLine` for each non-blank line it completes.
  public mutating func parse(_ chunk: some Sequence<UInt8>, _ onLine: ([UInt8]) throws -> Void) throws {
    let bytes = Array(chunk)
    try bytes.withUnsafeBytes { try parse($0, onLine) }
  }

  /// Ends the input and returns a last line that had no newline, unless it is blank.
  public mutating func finish() -> [UInt8]? {
    guard let last = lines.finish() else { return nil }
    return last.withUnsafeBytes { NDJSONParser.isBlank($0) } ? nil : last
  }

  private static func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
    line.allSatisfy { $0 == 0x20 || $0 == 0x09 }
  }
}
