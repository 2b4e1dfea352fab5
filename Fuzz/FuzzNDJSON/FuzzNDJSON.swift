import FuzzSupport
import WireCore

/// Fuzzes `NDJSONParser`: its lines are the input's non-blank lines, however the input is cut into chunks.
///
/// Properties: feeding the input whole, cut at positions chosen from its hash, and one byte at a time
/// (inputs up to 256 bytes) gives the same lines, and those lines equal a plain reference split of the whole
/// input on LF, CR and CRLF with blank (space/tab only) lines dropped. Each complete line that is JSON
/// parses to the same value as its serialization.
@main
enum NDJSONFuzzTarget {
  static func main() {
    FuzzDriver.run(check)
  }

  static func check(_ input: [UInt8]) {
    let expected = referenceLines(input)
    let whole = FuzzChunks.requireSameResultHoweverCut(input) { lines(of: $0, input: input) }
    FuzzCheck.require(whole == expected, "parser lines \(whole) differ from reference \(expected)", input: input)
    for line in whole {
      guard let value = try? JSONValue.parse(line) else { continue }
      let again = try? JSONValue.parse(value.jsonBytes)
      FuzzCheck.require(again == value, "line JSON \(value) did not survive serialization", input: input)
    }
  }

  private static func lines(of chunks: [Range<Int>], input: [UInt8]) -> [[UInt8]] {
    var parser = NDJSONParser()
    var lines: [[UInt8]] = []
    do {
      try FuzzChunks.forEachPiece(of: input, chunks) { chunk in try parser.parse(chunk) { lines.append($0) } }
    } catch {
      FuzzCheck.require(false, "the parser threw \(error) below its line limit", input: input)
    }
    if let last = parser.finish() { lines.append(last) }
    return lines
  }

  /// The non-blank lines of `input`, split on CRLF, CR and LF, the obvious way.
  private static func referenceLines(_ input: [UInt8]) -> [[UInt8]] {
    var lines: [[UInt8]] = []
    var current: [UInt8] = []
    var index = 0
    while index < input.count {
      let byte = input[index]
      if byte == 0x0A || byte == 0x0D {
        lines.append(current)
        current = []
        if byte == 0x0D, index + 1 < input.count, input[index + 1] == 0x0A { index += 1 }
      } else {
        current.append(byte)
      }
      index += 1
    }
    lines.append(current)
    return lines.filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
  }
}
