import Testing
import WireCore

@Suite struct JSONValueTests {
  @Test func parsesAndSerializesPreservingKeyOrder() throws {
    let text = #"{"z":1,"a":[true,false,null],"m":{"k":"v\n\"q\""},"d":1.5,"e":-2e3}"#
    let value = try JSONValue.parse(text)
    #expect(value.objectValue?.keys == ["z", "a", "m", "d", "e"])
    #expect(value["m"]?["k"]?.stringValue == "v\n\"q\"")
    #expect(value["e"]?.doubleValue == -2000)
    #expect(try JSONValue.parse(value.jsonString) == value)
    #expect(value.jsonString.hasPrefix(#"{"z":1,"a":[true,false,null]"#))
  }

  /// JSON printed to a terminal must carry no control byte: C0, DEL and C1 controls are `\u` escapes, and the
  /// text round-trips (other characters, including U+00A0–U+00BF, which share C1's lead byte, stay as they are).
  @Test func escapesEveryControlCharacterAndRoundTrips() throws {
    let text = "a\u{1B}]0;x\u{07}b\u{7F}c\u{9B}2J\u{9D}d\u{80}\u{A0}\u{BF}é\u{C2}"
    let json = JSONValue.string(text).jsonString
    #expect(json == #""a\u001b]0;x\u0007b\u007fc\u009b2J\u009dd\u0080\#u{A0}\#u{BF}é\#u{C2}""#)
    #expect(try JSONValue.parse(json) == .string(text))
  }

  @Test func stringsWithoutEscapesAreCopiedAsTheyAre() throws {
    for text in ["", "plain", "é ü — 😀 \u{A0}", "ends with a C2-led character \u{BF}", "x/y:z<>&'"] {
      #expect(JSONValue.string(text).jsonString == "\"" + text + "\"")
    }
    #expect(JSONValue.string("q\"b\\n\n").jsonString == #""q\"b\\n\n""#)
  }

  /// Strings are scanned eight bytes at a time for a byte that may need an escape: every such character, at
  /// every position around the word boundaries, in ASCII and non-ASCII surroundings, is written as a character by
  /// character reference writes it.
  @Test func escapesAreFoundAtEveryPositionOfAWord() throws {
    func reference(_ text: String) -> String {
      let named: [Unicode.Scalar: String] = ["\"": #"\""#, "\\": #"\\"#, "\n": #"\n"#, "\r": #"\r"#, "\t": #"\t"#]
      let escaped = text.unicodeScalars.map { scalar -> String in
        if let name = named[scalar] { return name }
        guard scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) else { return String(scalar) }
        let hex = String(scalar.value, radix: 16)
        return #"\u"# + String(repeating: "0", count: 4 - hex.count) + hex
      }
      return "\"" + escaped.joined() + "\""
    }
    var special = (0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) } + ["\"", "\\", "\u{7F}"]
    special += (0x80...0xA0).map { Character(Unicode.Scalar(UInt32($0))!) } + ["\u{BF}", "é", "😀", "/", "~", " "]
    for filler in ["abcdefghijklmnopq", "ab—défghijklmnop"] {
      for character in special {
        for position in 0...16 {
          var text = filler
          text.insert(character, at: text.index(text.startIndex, offsetBy: position))
          let json = JSONValue.string(text).jsonString
          #expect(json == reference(text), "\(Array(text.unicodeScalars)) at \(position)")
          #expect(try JSONValue.parse(json) == .string(text))
        }
      }
    }
  }

  @Test(arguments: ["", "{", "[1,]", "{\"a\"}", "tru", "\"abc", "01", "1.", "{\"a\":1}x", "\"\\ud800\\u0041\""])
  func rejectsInvalidJSON(_ text: String) {
    #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
  }

  @Test func decodesSurrogatePairsAndRejectsDeepNesting() throws {
    #expect(try JSONValue.parse(#""\ud83d\ude00""#).stringValue == "😀")
    let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
    #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
  }

  @Test func numbersCompareAndHashByValue() throws {
    #expect(JSONValue.int(1) == JSONValue.double(1.0))
    #expect(JSONValue.double(2.5) != JSONValue.int(2))
    #expect(try JSONValue.parse("[1e3]") == [1000])
    #expect(Set<JSONValue>([.int(7), .double(7)]).count == 1)
    #expect(JSONValue.int(Int.max) != JSONValue.double(9.3e18))
  }

  /// Found by FuzzResponses: `1e400` parsed as infinity, which serializes as `null`, so parse → serialize →
  /// parse changed the value. Numbers beyond a Double's range are now a parse error, as in Go's encoding/json.
  @Test(arguments: ["1e400", "[-1E+309]", "{\"a\": 1" + String(repeating: "0", count: 400) + "}"])
  func rejectsNumbersBeyondDoubleRange(_ text: String) {
    #expect {
      try JSONValue.parse(text)
    } throws: { error in
      (error as? JSONParseError)?.reason.contains("too large for a 64-bit float") == true
    }
  }

  @Test func keepsNumbersAtTheEdgesOfDoubleRange() throws {
    #expect(try JSONValue.parse("1.7976931348623157e308") == .double(.greatestFiniteMagnitude))
    #expect(try JSONValue.parse("[1e-400]") == [.double(0)])
    let value = try JSONValue.parse("123456789012345678901234567890")
    #expect(try JSONValue.parse(value.jsonBytes) == value)
  }
}
