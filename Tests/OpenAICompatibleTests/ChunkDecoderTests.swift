import NIOCore
import TestSupport
import Testing
import WireCore

@testable import OpenAICompatible

/// `ChunkDecoder` reads a streamed chunk without a JSON tree; whatever it decodes must equal what the tree decoding
/// (`ResponseDecoding.chunk`) makes of the same text, and whatever it leaves must fall through to the tree, which
/// then decodes it or reports the error.
@Suite struct ChunkDecoderTests {
  /// What the tree makes of `text`: the chunk, or `nil` when the text is not JSON or not a chunk.
  static func treeChunk(_ text: String) -> ChatCompletionChunk? {
    guard let json = try? JSONValue.parse(text), json["error"] == nil || json["choices"] != nil else { return nil }
    return try? ResponseDecoding.chunk(json)
  }

  /// Checks the one rule: decoded directly means decoded equally by the tree; returns whether it was decoded directly.
  @discardableResult
  static func check(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard let direct = ChunkDecoder.chunk(text) else { return false }
    let tree = treeChunk(text)
    #expect(direct == tree, "\(text)", sourceLocation: sourceLocation)
    #expect(direct.raw == (try? JSONValue.parse(text)), "\(text)", sourceLocation: sourceLocation)
    return true
  }

  /// The `data` of every event of every recorded stream.
  static func fixtureEvents() throws -> [String] {
    var names = try Fixture.names(withExtension: "sse")
    names += try Fixture.names(withExtension: "sse", in: "Fixtures/llama-server").map { "llama-server/" + $0 }
    var events: [String] = []
    for name in names {
      var parser = SSEParser()
      try parser.parse(ByteBuffer(bytes: try Fixture.bytes(name))) { events.append($0.data) }
      parser.finish { events.append($0.data) }
    }
    return events
  }

  @Test func everyRecordedChunkDecodesAsTheTreeDecodesIt() throws {
    let events = try Self.fixtureEvents()
    #expect(events.count > 100)
    var direct = 0
    for data in events where Self.check(data) { direct += 1 }
    // All but `[DONE]`, error events and the like take the direct way.
    let chunks = events.filter { Self.treeChunk($0) != nil }
    #expect(direct == chunks.count, "\(direct) of \(chunks.count) chunks decoded directly")
  }

  @Test func shapesServersSendDecodeDirectlyAndEqually() {
    let decoded = [
      #"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#,
      #" { "choices" : [ { "delta" : { "content" : "a\"b\\c\/\n\t\u00e9\ud83d\ude00" } , "index" : 0 } ] , "id" : "x" } "#,
      #"{"choices":[{"delta":{"content":"Größe 🌊 海"}}],"model":"ü"}"#,
      #"{"choices":[{"index":1.0,"delta":{"reasoning_content":"think","content":null},"logprobs":null}],"created":2.0}"#,
      #"{"choices":[{"delta":{"reasoning":"","reasoning_content":"r"}}]}"#,
      #"{"choices":[{"delta":{"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}}]}"#,
      #"{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]}}]}"#,
      #"{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":{"a":[1,2,{"b":null}]}}}]}}]}"#,
      #"{"choices":[{"delta":{},"finish_reason":"tool_calls"}],"timings":{"prompt_n":3,"predicted_ms":1.5e2}}"#,
      #"{"choices":[{"delta":null,"finish_reason":"stop"}]}"#,
      #"{"choices":[{"finish_reason":""}],"usage":null}"#,
      #"{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7,"cached":{"n":1}}}"#,
      #"{"choices":null,"usage":{"prompt_tokens":3}}"#,
      #"{"usage":{"completion_tokens":4}}"#,
      #"{"choices":[{"delta":{"role":7,"content":5}}],"id":3,"model":null,"created":"x"}"#,
      #"{"choices":[{},{"index":3,"delta":{"content":"second"}}]}"#,
    ]
    for text in decoded {
      #expect(Self.check(text), "not decoded directly: \(text)")
    }
  }

  @Test func anythingElseIsLeftToTheTree() {
    let left = [
      "", "null", "[]", "\"text\"", "{}", #"{"id":"x"}"#, #"{"choices":[1]}"#, #"{"choices":{}}"#, #"{"choices":"x"}"#,
      #"{"error":{"message":"boom"}}"#, #"{"error":"x","choices":[]}"#,
      #"{"choices":[{"message":{"content":"whole"}}]}"#,
      #"{"choices":[],"choices":[{"delta":{"content":"later"}}]}"#,
      #"{"id":"a","id":"b","choices":[]}"#,
      #"{"choices":[{"delta":{"content":"a","content":"b"}}]}"#,
      #"{"choices":[{"index":0,"index":1}]}"#,
      #"{"choices":[{"delta":{"content":"a"}}]} x"#, #"{"choices":[{"delta":{"content":"a"}}]"#,
      #"{"choices":[{"delta":{"content":"a"}},]}"#, #"{"choices":[{"delta":{"content":"a}}]}"#,
      #"{"choices":[{"delta":{"content":"tab"# + "\t" + #"in"}}]}"#, #"{"choices":[{"delta":{"content":"\x"}}]}"#,
      #"{choices:[]}"#, #"{"choices":[] "usage":null}"#, #"{"choices":[{"delta":{"content":tru}}]}"#,
    ]
    for text in left {
      #expect(ChunkDecoder.chunk(text) == nil, "decoded directly: \(text)")
    }
  }

  /// Member names are matched as bytes and unread values stepped over without being made: a name written with
  /// escapes or non-ASCII letters means what the tree makes of it, and a skipped value is accepted exactly when
  /// the tree accepts it.
  @Test func namesAndSkippedValuesAreReadAsTheTreeReadsThem() {
    let decoded = [
      #"{"choices":[{"delta":{"\u0063ontent":"escaped name"},"\u0069ndex":2}],"\u0069d":"i"}"#,
      #"{"choices":[{"delta":{"cöntent":"not content","content":"c"},"fïnish_reason":"x"}],"ïd":"y"}"#,
      #"{"choices":[{"delta":{"content\n":"other"}}],"model\/":"m"}"#,
      #"{"choices":[],"object":"a\"b\u00e9\ud83d\ude00","system_fingerprint":"Größe 🌊","usage":null}"#,
      #"{"choices":[{"logprobs":{"content":[{"token":"\n","bytes":[10],"top":-0.5e-3,"x":[[],{}]}]},"delta":{}}]}"#,
      #"{"choices":[{"delta":{"audio":{"id":"a","data":"\u0000"},"content":"after"}}],"x":[true,false,null,-1]}"#,
      #"{"choices":[{"delta":{"content":"a"}}],"error_detail":"not an error","errors":[]}"#,
      #"{"choices":[],"x":"\ud800","y":"\udc00x"}"#,
    ]
    for text in decoded {
      #expect(Self.check(text), "not decoded directly: \(text)")
    }
    let escapedContent = ChunkDecoder.chunk(#"{"choices":[{"delta":{"\u0063ontent":"escaped name"}}]}"#)
    #expect(escapedContent?.choices.first?.delta.content == "escaped name")
    let left = [
      #"{"choices":[],"object":"tab"# + "\t" + #""}"#, #"{"choices":[],"object":"\x"}"#,
      #"{"choices":[],"object":"\u12"}"#, #"{"choices":[],"object":"\ud800\u0041"}"#,
      #"{"choices":[],"object":"open}"#, #"{"choices":[],"x":{"a" 1}}"#, #"{"choices":[],"x":{1:2}}"#,
      #"{"choices":[],"x":[1,]}"#, #"{"choices":[],"x":{"a":1,}}"#, #"{"choices":[],"x":[01]}"#,
      #"{"choices":[],"x":{"a":[}}"#, #"{"choices":[],"x":nul}"#, #"{"choices":[],"\q":1}"#,
      #"{"choices":[],"\u0065rror":{"message":"escaped error"}}"#, #"{"choices":[],"x":"\u00e"}"#,
      #"{"choices":[{"delta":{"content":"a","\u0063ontent":"b"}}]}"#, #"{"choices":[],"x":[1 2]}"#,
    ]
    for text in left {
      #expect(ChunkDecoder.chunk(text) == nil, "decoded directly: \(text)")
    }
    // Nesting inside a skipped value counts toward the parser's limit as it does in the tree.
    let deep =
      #"{"choices":[],"x":{"a":"# + String(repeating: "[", count: 510) + String(repeating: "]", count: 510) + "}}"
    #expect(Self.check(deep))
    let tooDeep =
      #"{"choices":[],"x":{"a":"# + String(repeating: "[", count: 511) + String(repeating: "]", count: 511) + "}}"
    #expect(Self.treeChunk(tooDeep) == nil)
    #expect(ChunkDecoder.chunk(tooDeep) == nil)
  }

  @Test func nestingBeyondTheParsersLimitIsLeftToTheTree() {
    func nested(_ depth: Int) -> String {
      #"{"choices":[],"x":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
    }
    // The chunk object is one level: the tree accepts 511 more and refuses 512; so must the direct decoding.
    #expect(Self.check(nested(JSONValue.maximumNestingDepth - 1)))
    #expect(Self.treeChunk(nested(JSONValue.maximumNestingDepth)) == nil)
    #expect(ChunkDecoder.chunk(nested(JSONValue.maximumNestingDepth)) == nil)
  }

  /// Fixed-seed mutations of recorded chunks (a byte replaced, dropped or the text cut short): each result is
  /// decoded directly and equally, or left to the tree.
  @Test func mutatedChunksAreDecodedEquallyOrLeftToTheTree() throws {
    let events = try Self.fixtureEvents().filter { $0.hasPrefix("{") }
    var random = SeededGenerator(seed: 18)
    let replacements = Array(#"{}[],:"\ 0a-.e"#.utf8) + [0xC3, 0xA9, 0x80, 0x01]
    for _ in 0..<3000 {
      var bytes = Array(events[Int.random(in: 0..<events.count, using: &random)].utf8)
      let position = Int.random(in: 0..<bytes.count, using: &random)
      switch Int.random(in: 0..<3, using: &random) {
      case 0: bytes[position] = replacements[Int.random(in: 0..<replacements.count, using: &random)]
      case 1: bytes.remove(at: position)
      default: bytes.removeSubrange(position...)
      }
      let text = String(decoding: bytes, as: UTF8.self)
      if ChunkDecoder.chunk(text) == nil {
        continue
      }
      Self.check(text)
    }
  }

  @Test func aChunkKeepsItsRawJSONAndCanBeGivenAnother() throws {
    let text = #"{"id":"c","choices":[{"delta":{"content":"hi"}}],"system_fingerprint":"fp"}"#
    var chunk = try #require(ChunkDecoder.chunk(text))
    #expect(chunk.raw["system_fingerprint"] == "fp")
    #expect(chunk == ChatCompletionChunk(id: "c", model: "", choices: chunk.choices, raw: try JSONValue.parse(text)))
    chunk.raw = ["other": true]
    #expect(chunk.raw == ["other": true])
    #expect(
      chunk.hashValue == ChatCompletionChunk(id: "c", model: "", choices: chunk.choices, raw: ["other": true]).hashValue
    )
  }

  /// A character split between two body chunks, at every position of a stream of non-ASCII deltas, arrives whole.
  @Test func charactersSplitAcrossBodyChunksArriveWhole() async throws {
    let text = "Größe 🌊 海 é"
    var body = ""
    for (position, character) in text.enumerated() {
      let delta = JSONValue.string(String(character)).jsonString
      body += #"data: {"id":"s","choices":[{"index":0,"delta":{"content":\#(delta)}}]}"# + "\n\n"
    }
    body += #"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"# + "\n\ndata: [DONE]\n\n"
    let bytes = Array(body.utf8)
    let whole = await StreamOutcome.replay([bytes])
    #expect(whole.errorCode == nil)
    #expect(whole.contentText == text)
    for position in 1..<bytes.count where bytes[position] & 0xC0 == 0x80 {
      #expect(await StreamOutcome.replay(Fixture.split(bytes, at: [position])) == whole, "split at \(position)")
    }
  }

  /// A malformed chunk in the middle of a stream still ends it with the tree's error and an excerpt.
  @Test func aMalformedChunkMidStreamIsStillAMalformedResponse() async throws {
    let body =
      #"data: {"choices":[{"delta":{"content":"ok"}}]}"# + "\n\n"
      + #"data: {"choices":[{"delta":{"content":"cut"# + "\n\n" + "data: [DONE]\n\n"
    let outcome = await StreamOutcome.replay([Array(body.utf8)])
    #expect(outcome.contentText == "ok")
    #expect(outcome.errorCode == .malformedResponse)
    let wrongShape = await StreamOutcome.replay([Array((#"data: {"choices":"x"}"# + "\n\n").utf8)])
    #expect(wrongShape.errorCode == .malformedResponse)
    let error = await StreamOutcome.replay([Array((#"data: {"error":{"message":"out of memory"}}"# + "\n\n").utf8)])
    #expect(error.errorCode == .streamError)
    #expect(error.errorMessage == "out of memory")
  }
}
