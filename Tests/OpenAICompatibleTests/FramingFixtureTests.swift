import Testing
import WireCore
import TestSupport

/// The recorded SSE and NDJSON streams, split at every byte position and at random multi-splits with a
/// fixed seed, give identical events and lines.
@Suite struct FramingFixtureTests {
  func checkEverySplit<Output: Equatable>(
    of ext: String, seed: UInt64, _ frame: ([[UInt8]]) throws -> Output, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    var random = SeededGenerator(seed: seed)
    let names = try Fixture.names(withExtension: ext)
    #expect(!names.isEmpty, sourceLocation: sourceLocation)
    for name in names {
      let bytes = try Fixture.bytes(name)
      let expected = try frame([bytes])
      for position in 0...bytes.count {
        #expect(try frame(Fixture.split(bytes, at: [position])) == expected, "\(name) split \(position)", sourceLocation: sourceLocation)
      }
      for _ in 0..<100 {
        let cuts = (0..<Int.random(in: 2...30, using: &random)).map { _ in Int.random(in: 0...bytes.count, using: &random) }
        #expect(try frame(Fixture.split(bytes, at: cuts)) == expected, "\(name) cuts \(cuts.sorted())", sourceLocation: sourceLocation)
      }
    }
  }

  @Test func sseFixturesSplitAnywhereGiveIdenticalEvents() throws {
    try checkEverySplit(of: "sse", seed: 11, SSEParser.events(in:))
    // The fixtures really are framed: the tool-call stream has its 8 chunks plus [DONE].
    #expect(try SSEParser.events(in: [Fixture.bytes("openai-toolcall-fragments.sse")]).count == 9)
  }

  @Test func ndjsonFixturesSplitAnywhereGiveIdenticalLines() throws {
    try checkEverySplit(of: "ndjson", seed: 12, NDJSONParser.lines(in:))
    let pull = try NDJSONParser.lines(in: [Fixture.bytes("native-pull.ndjson")])
    #expect(pull.count == 7)
    #expect(try JSONValue.parse(pull[1])["completed"] == 241970)
    let unknown = try NDJSONParser.lines(in: [Fixture.bytes("native-pull-unknown.ndjson")])
    #expect(try JSONValue.parse(unknown[1])["error"] == "pull model manifest: file does not exist")
    let chat = try NDJSONParser.lines(in: [Fixture.bytes("native-chat.ndjson")])
    #expect(try JSONValue.parse(chat[1])["message"]?["content"] == "Ümlaut 😀")
    #expect(try JSONValue.parse(chat[2])["done"] == true)
  }
}
