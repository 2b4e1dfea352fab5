import NIOCore

/// What counts as progress for a response body's idle timeout.
///
/// A server that keeps a connection open with keep-alives (SSE comment lines, empty events) while producing
/// nothing must not keep a request alive forever: with ``serverSentEvents``, only bytes that complete a
/// `data:` (or llama-server's `error:`) line with something in it reset the idle timer. The overall deadline
/// (``OllamaConfig/Timeouts/overall``, ``RequestBudget``) bounds the rest, such as a server that dribbles
/// real data one byte at a time.
public struct BodyProgress: Sendable, Hashable, CustomStringConvertible {
  private enum Kind: Hashable { case anyBytes, serverSentEvents }
  private let kind: Kind

  /// Every chunk that arrives is progress (plain JSON bodies, NDJSON streams).
  public static let anyBytes = BodyProgress(kind: .anyBytes)
  /// Only completed SSE `data:`/`error:` lines with a value are progress; comments (`: ping`), empty
  /// `data:` lines, blank lines and other fields (`event:`, `id:`, `retry:`) are not.
  public static let serverSentEvents = BodyProgress(kind: .serverSentEvents)

  /// `any_bytes` or `server_sent_events`.
  public var description: String { kind == .anyBytes ? "any_bytes" : "server_sent_events" }

  /// A fresh detector for one body.
  func makeDetector() -> Detector {
    Detector(countsEveryChunk: kind == .anyBytes)
  }

  /// Decides, chunk by chunk, whether a body made progress; keeps line state across chunks.
  struct Detector: Sendable {
    private let countsEveryChunk: Bool
    /// Where the current line is: at its start, inside a line that counts once it ends, or inside one that
    /// never counts.
    private var line = LineState.start
    /// The bytes of the field name seen so far on the current line (longer names are not data fields).
    private var fieldName: [UInt8] = []
    /// Whether the previous chunk ended with CR (a following LF belongs to that line end).
    private var afterCarriageReturn = false

    private enum LineState: Sendable {
      /// Nothing of the line seen yet.
      case start
      /// Reading the field name (before the colon).
      case name
      /// After `data:`/`error:` and its optional space: waiting for the first value byte.
      case valueStart(spaceSkipped: Bool)
      /// The line has a value and counts as progress when it ends.
      case counts
      /// A comment, an empty value or another field: the rest of the line does not count.
      case ignored
    }

    init(countsEveryChunk: Bool) { self.countsEveryChunk = countsEveryChunk }

    /// Whether `chunk` made progress: for SSE, whether it completed at least one data line with a value.
    mutating func isProgress(_ chunk: ByteBuffer) -> Bool {
      if countsEveryChunk { return chunk.readableBytes > 0 }
      var progressed = false
      chunk.withUnsafeReadableBytes { bytes in
        var index = 0
        while index < bytes.count {
          let byte = bytes[index]
          index += 1
          if afterCarriageReturn {
            afterCarriageReturn = false
            if byte == 0x0A { continue }
          }
          if byte == 0x0A || byte == 0x0D {
            if case .counts = line { progressed = true }
            line = .start
            fieldName.removeAll(keepingCapacity: true)
            afterCarriageReturn = byte == 0x0D
            continue
          }
          line = next(after: line, byte)
          // The rest of a line that counts (an event's JSON) or never will changes nothing until the line ends.
          if case .counts = line { index = Detector.lineEnd(in: bytes, from: index) } else if case .ignored = line {
            index = Detector.lineEnd(in: bytes, from: index)
          }
        }
      }
      return progressed
    }

    /// The index of the first CR or LF in `bytes` at or after `start`, or `bytes.count`.
    private static func lineEnd(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
      var index = start
      while index < bytes.count, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
      return index
    }

    private mutating func next(after state: LineState, _ byte: UInt8) -> LineState {
      switch state {
      case .start:
        if byte == UInt8(ascii: ":") { return .ignored }
        fieldName.append(byte)
        return .name
      case .name:
        guard byte == UInt8(ascii: ":") else {
          fieldName.append(byte)
          return fieldName.count > 8 ? .ignored : .name
        }
        return Detector.carriesData(fieldName) ? .valueStart(spaceSkipped: false) : .ignored
      case .valueStart(let spaceSkipped):
        if byte == UInt8(ascii: " "), !spaceSkipped { return .valueStart(spaceSkipped: true) }
        return .counts
      case .counts, .ignored:
        return state
      }
    }

    private static func carriesData(_ name: [UInt8]) -> Bool {
      // A byte order mark may start the stream (the parser drops it too).
      let field = name.starts(with: [0xEF, 0xBB, 0xBF]) ? name.dropFirst(3) : name[...]
      return field.elementsEqual("data".utf8) || field.elementsEqual("error".utf8)
    }
  }
}
