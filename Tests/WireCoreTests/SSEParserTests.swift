import NIOCore
import Testing
import WireCore
import TestSupport

@Suite struct SSEParserTests {
  func events(_ chunks: [String]) throws -> [SSEEvent] { try events(bytes: chunks.map { Array($0.utf8) }) }

  func events(bytes chunks: [[UInt8]]) throws -> [SSEEvent] { try SSEParser.events(in: chunks) }

  @Test func parsesDataLinesSeparatedByBlankLines() throws {
    let parsed = try events(["data: {\"a\":1}\n\ndata: [DONE]\n\n"])
    #expect(parsed.map(\.data) == ["{\"a\":1}", "[DONE]"])
    #expect(parsed.allSatisfy { $0.event == "message" && $0.id == nil })
  }

  @Test(arguments: ["\n", "\r", "\r\n"])
  func acceptsEveryLineEnd(_ end: String) throws {
    let text = "data: one" + end + "data: two" + end + end + "data: three" + end + end
    #expect(try events([text]).map(\.data) == ["one\ntwo", "three"])
  }

  @Test func crAtChunkEndAndLFAtNextChunkStartAreOneLineEnd() throws {
    // If the CR and LF were two line ends, the blank line would dispatch "a" early and "b" separately.
    let parsed = try events(["data: a\r", "\ndata: b\r", "\n\r", "\n"])
    #expect(parsed.map(\.data) == ["a\nb"])
  }

  @Test func joinsUTF8SplitAcrossChunks() throws {
    let bytes = Array("data: héllo 😀 wörld\n\n".utf8)
    for split in 1..<bytes.count {
      let parsed = try events(bytes: [Array(bytes[..<split]), Array(bytes[split...])])
      #expect(parsed.map(\.data) == ["héllo 😀 wörld"], "split at \(split)")
    }
  }

  @Test func ignoresCommentsAndUnknownFieldsAndHonoursOptionalSpace() throws {
    let text = ": keep-alive\nfoo: bar\ndata:no-space\ndata:  two-spaces\ndata\n\n"
    #expect(try events([text]).map(\.data) == ["no-space\n two-spaces\n"])
  }

  @Test func readsEventIDAndRetryFields() throws {
    let text = "event: delta\nid: 7\nretry: 1500\ndata: x\n\ndata: y\n\nevent:\ndata: z\n\n"
    let parsed = try events([text])
    #expect(parsed.map(\.event) == ["delta", "message", "message"])
    #expect(parsed.map(\.id) == ["7", "7", "7"])
    #expect(parsed.map(\.retry) == [1500, nil, nil])
  }

  @Test func stripsALeadingBOMEvenWhenSplit() throws {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("data: x\n\n".utf8)
    #expect(try events(bytes: [[0xEF], [0xBB], Array(bytes[2...])]).map(\.data) == ["x"])
    // Only at the very start: a later BOM is data.
    #expect(try events(bytes: [Array("data: a\n\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("data: b\n\n".utf8)])
      .map(\.data) == ["a"])
  }

  @Test func blankLinesWithoutDataDispatchNothingButEmptyDataDoes() throws {
    #expect(try events(["\n\n\nevent: x\n\n"]).isEmpty)
    #expect(try events(["data:\n\n"]).map(\.data) == [""])
  }

  @Test func atEndDeliversACompleteLastEventButDropsATruncatedLine() throws {
    #expect(try events(["data: [DONE]\n"]).map(\.data) == ["[DONE]"])
    #expect(try events(["data: {\"a\":1}\n\ndata: {\"tru"]).map(\.data) == ["{\"a\":1}"])
  }

  @Test func refusesLinesLongerThanTheLimit() {
    var parser = SSEParser(maximumLineLength: 16)
    #expect(throws: LineTooLongError.self) {
      try parser.parse(Array("data: 0123".utf8)) { _ in }
      try parser.parse(Array("456789abcdef".utf8)) { _ in }
    }
  }

  @Test func sequenceYieldsEventsAcrossChunks() async throws {
    let body = ChunkedBytes([Array("data: a\n".utf8), Array("\ndata: b\n\ndata:".utf8), Array(" c\n\n".utf8)])
    var collected: [String] = []
    for try await event in SSEEventSequence(body) { collected.append(event.data) }
    #expect(collected == ["a", "b", "c"])
  }

  /// Every split position, and random multi-splits with a fixed seed, give the same events.
  @Test func anySplitGivesIdenticalEvents() throws {
    let stream = Array(
      ("\u{FEFF}: comment\r\nevent: delta\r\ndata: {\"content\":\"Grüße 😀\"}\r\n\r\n"
        + "data: line1\rdata: line2\r\rid: 9\ndata: {\"x\":[1,2]}\n\ndata: [DONE]\n\n").utf8)
    let expected = try events(bytes: [stream])
    #expect(expected.map(\.data) == ["{\"content\":\"Grüße 😀\"}", "line1\nline2", "{\"x\":[1,2]}", "[DONE]"])
    for split in 0...stream.count {
      #expect(try events(bytes: [Array(stream[..<split]), Array(stream[split...])]) == expected, "split \(split)")
    }
    var random = SeededGenerator(seed: 42)
    for _ in 0..<300 {
      let cuts = (0..<Int.random(in: 1...12, using: &random)).map { _ in Int.random(in: 0...stream.count, using: &random) }
      let chunks = ChunkedBytes(stream, splitAt: cuts).chunks
      #expect(try events(bytes: chunks) == expected, "cuts \(cuts.sorted())")
    }
  }
}
