import NIOCore

/// One server-sent event.
public struct SSEEvent: Sendable, Hashable {
  /// The event type from an `event:` field; `message` when the event had none.
  public var event: String
  /// The `data:` lines of the event joined with `\n`.
  public var data: String
  /// The last event ID seen in the stream so far (`id:` fields persist across events), if any.
  public var id: String?
  /// The reconnection time in milliseconds from a `retry:` field of this event, if any.
  public var retry: Int?

  /// Creates an event.
  public init(event: String = "message", data: String, id: String? = nil, retry: Int? = nil) {
    self.event = event
    self.data = data
    self.id = id
    self.retry = retry
  }
}

/// An incremental parser for `text/event-stream` bodies, following the WHATWG HTML specification.
///
/// Feed it chunks as they arrive; it is correct at every chunk boundary: CR, LF and CRLF line ends (a
/// CR ending one chunk and an LF starting the next are one line end), UTF-8 characters split across
/// chunks, multi-line `data:` joined with `\n`, comment lines, a leading byte order mark, `event:`,
/// `id:` and `retry:` fields, and an optional space after the colon. It scans bytes and builds a
/// `String` only once per event.
///
/// Two deliberate extensions: an `error:` line (llama-server's way of reporting a failure mid-stream)
/// becomes the data of an event of type `error`; and at the end of the input, an event whose last line was complete but which
/// lacked the closing blank line is still delivered (some servers omit it after `data: [DONE]`); a
/// truncated last line is dropped, since it is a cut, not data.
public struct SSEParser: Sendable {
  private var lines: LineSplitter
  private var data: [UInt8] = []
  private var hasData = false
  private var eventType: String?
  private var lastEventID: String?
  private var retry: Int?
  private var atStreamStart = true

  /// Creates a parser; a single line longer than `maximumLineLength` bytes is an error.
  public init(maximumLineLength: Int = 64 << 20) {
    lines = LineSplitter(maximumLineLength: maximumLineLength)
    data.reserveCapacity(1024)
  }

  /// Feeds one chunk and calls `onEvent` for each event it completes.
  public mutating func parse(_ chunk: UnsafeRawBufferPointer, _ onEvent: (SSEEvent) throws -> Void) throws {
    // Move the splitter out of `self` so the line callback may mutate the event state.
    var splitter = LineSplitter(maximumLineLength: 0)
    swap(&splitter, &lines)
    defer { swap(&splitter, &lines) }
    try splitter.split(chunk) { line in try self.process(line: line, onEvent) }
  }

  /// Feeds one chunk and calls `onEvent` for each event it completes.
  public mutating func parse(_ chunk: ByteBuffer, _ onEvent: (SSEEvent) throws -> Void) throws {
    try chunk.withUnsafeReadableBytes { try parse($0, onEvent) }
  }

  /// Feeds one chunk and calls `onEvent` for each event it completes.
  public mutating func parse(_ chunk: some Sequence<UInt8>, _ onEvent: (SSEEvent) throws -> Void) throws {
    let bytes = Array(chunk)
    try bytes.withUnsafeBytes { try parse($0, onEvent) }
  }

  /// Ends the input, delivering a last event whose final line was complete but not followed by a blank line.
  public mutating func finish(_ onEvent: (SSEEvent) -> Void) {
    _ = lines.finish()  // a truncated last line is dropped
    if hasData { onEvent(makeEvent()) }
    resetEvent()
  }

  private mutating func process(line rawLine: UnsafeRawBufferPointer, _ onEvent: (SSEEvent) throws -> Void) throws {
    var line = rawLine
    if atStreamStart {
      atStreamStart = false
      if line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
        line = UnsafeRawBufferPointer(rebasing: line[3...])
      }
    }
    let count = line.count
    if count == 0 {
      if hasData { try onEvent(makeEvent()) }
      resetEvent()
      return
    }
    if line[0] == UInt8(ascii: ":") { return }  // comment

    var colon = 0
    while colon < count, line[colon] != UInt8(ascii: ":") { colon += 1 }
    var valueStart = colon + 1
    if valueStart < count, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
    let value =
      valueStart < count ? UnsafeRawBufferPointer(rebasing: line[valueStart...]) : UnsafeRawBufferPointer(start: nil, count: 0)

    switch colon {
    case 4 where line[0] == UInt8(ascii: "d") && line[1] == UInt8(ascii: "a") && line[2] == UInt8(ascii: "t")
      && line[3] == UInt8(ascii: "a"):
      if hasData { data.append(0x0A) }
      data.append(contentsOf: value.assumingMemoryBound(to: UInt8.self))
      hasData = true
    case 5 where SSEParser.equals(line, "event"):
      eventType = String(decoding: value, as: UTF8.self)
    case 2 where line[0] == UInt8(ascii: "i") && line[1] == UInt8(ascii: "d"):
      if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
    case 5 where SSEParser.equals(line, "error"):
      // Not a WHATWG field: llama-server reports mid-stream failures as `error: {json}`. Keep it as the
      // data of an event of type `error` instead of dropping it.
      if hasData { data.append(0x0A) }
      data.append(contentsOf: value)
      hasData = true
      eventType = "error"
    case 5 where SSEParser.equals(line, "retry"):
      if !value.isEmpty, value.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
        retry = Int(String(decoding: value, as: UTF8.self))
      }
    default:
      break  // unknown fields are ignored, as the specification requires
    }
  }

  private static func equals(_ line: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
    let pointer = name.utf8Start
    for offset in 0..<name.utf8CodeUnitCount where line[offset] != pointer[offset] { return false }
    return true
  }

  private func makeEvent() -> SSEEvent {
    SSEEvent(
      event: eventType.flatMap { $0.isEmpty ? nil : $0 } ?? "message",
      data: String(decoding: data, as: UTF8.self),
      id: lastEventID,
      retry: retry
    )
  }

  private mutating func resetEvent() {
    data.removeAll(keepingCapacity: true)
    hasData = false
    eventType = nil
    retry = nil
  }
}
