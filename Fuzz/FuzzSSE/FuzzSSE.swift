import FuzzSupport
import WireCore

/// Fuzzes `SSEParser`: the events of a byte stream do not depend on how it is cut into chunks.
///
/// Properties: feeding the input whole, cut at positions chosen from its hash, and one byte at a time
/// (inputs up to 256 bytes) gives the same events; no event's data holds a CR (line ends never leak into
/// data, lines are joined with LF only); event types and ids hold no line ends; ids hold no NUL.
@main
enum SSEFuzzTarget {
  static func main() {
    FuzzDriver.run(check)
  }

  static func check(_ input: [UInt8]) {
    let whole = FuzzChunks.requireSameResultHoweverCut(input) { events(of: $0, input: input) }
    for event in whole {
      FuzzCheck.require(!event.data.utf8.contains(0x0D), "a CR leaked into data: \(event)", input: input)
      FuzzCheck.require(
        !event.event.isEmpty && !event.event.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }),
        "bad event type: \(event)", input: input)
      if let id = event.id {
        FuzzCheck.require(
          !id.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0 }), "bad id: \(event)", input: input)
      }
    }
  }

  private static func events(of chunks: [Range<Int>], input: [UInt8]) -> [SSEEvent] {
    var parser = SSEParser()
    var events: [SSEEvent] = []
    do {
      try FuzzChunks.forEachPiece(of: input, chunks) { chunk in try parser.parse(chunk) { events.append($0) } }
    } catch {
      FuzzCheck.require(false, "the parser threw \(error) below its line limit", input: input)
    }
    parser.finish { events.append($0) }
    return events
  }
}
