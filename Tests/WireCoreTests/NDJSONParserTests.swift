import Testing
import WireCore
import TestSupport

@Suite struct NDJSONParserTests {
  func lines(_ chunks: [[UInt8]]) throws -> [String] {
    try NDJSONParser.lines(in: chunks).map { String(decoding: $0, as: UTF8.self) }
  }

  @Test func splitsLinesToleratingCRLFAndSkippingBlankLines() throws {
    let text = "{\"a\":1}\r\n\n  \n{\"b\":2}\n\r\n{\"c\":3}"
    #expect(try lines([Array(text.utf8)]) == ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"])
  }

  @Test func deliversALastLineWithoutNewline() throws {
    #expect(try lines([Array("{\"status\":\"success\"}".utf8)]) == ["{\"status\":\"success\"}"])
    #expect(try lines([Array("{}\n   ".utf8)]) == ["{}"])
  }

  @Test func anySplitGivesIdenticalLines() throws {
    let stream = Array(
      "{\"status\":\"pulling manifest\"}\n{\"status\":\"pulling dde5\",\"total\":20,\"completed\":2}\r\n\n{\"status\":\"ümlaut 😀\"}\n{\"status\":\"success\"}"
        .utf8)
    let expected = try lines([stream])
    #expect(expected.count == 4)
    for split in 0...stream.count {
      #expect(try lines([Array(stream[..<split]), Array(stream[split...])]) == expected, "split \(split)")
    }
    var random = SeededGenerator(seed: 7)
    for _ in 0..<300 {
      let cuts = (0..<Int.random(in: 1...10, using: &random)).map { _ in Int.random(in: 0...stream.count, using: &random) }
      #expect(try lines(ChunkedBytes(stream, splitAt: cuts).chunks) == expected)
    }
  }

  @Test func sequenceYieldsLinesAcrossChunks() async throws {
    let body = ChunkedBytes([Array("{\"a\"".utf8), Array(":1}\n{\"b\":2}".utf8)])
    var collected: [String] = []
    for try await line in NDJSONLineSequence(body) { collected.append(String(decoding: line, as: UTF8.self)) }
    #expect(collected == ["{\"a\":1}", "{\"b\":2}"])
  }
}
