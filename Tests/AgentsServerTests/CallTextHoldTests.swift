import Testing

@testable import AgentsServer

/// What a stream holds back while a reply may still be a call written as text.
@Suite("text that may be a call waits for the run's verdict")
struct CallTextHoldTests {
  @Test(
    "replies that start like a call are held; nil until it is clear",
    arguments: [
      ("{\"name\"", true), ("  [1, 2]", true), ("```json\n{", true), ("```\n[", true), ("```tool_call\n{", true),
      ("<tool_call>{", true), ("```json\nThe", false), ("```swift\n", false), ("The answer", false), ("`x`", false),
      ("<b>", false), ("", nil), ("  \n", nil), ("``", nil), ("```js", nil), ("```json", nil), ("```json\n", nil),
      ("<tool_c", nil),
    ] as [(String, Bool?)])
  func classification(start: String, expected: Bool?) {
    #expect(CallTextHold.startsLikeACall(start) == expected)
  }

  @Test("prose streams as it comes, a held call is dropped, a held answer is sent whole when it ends")
  func passing() {
    var hold = CallTextHold()
    #expect(hold.pass("Th") == "Th")
    #expect(hold.pass("ere") == "ere")
    #expect(hold.release() == "")
    #expect(hold.pass("``") == "")
    #expect(hold.pass("`json\n{\"name\": ") == "")
    #expect(hold.pass("\"calculator\"}\n```") == "")
    hold.drop()
    #expect(hold.pass("  ") == "")
    #expect(hold.pass("It is 4.") == "  It is 4.")
    #expect(hold.release() == "")
    #expect(hold.pass("[4, ") == "")
    #expect(hold.pass("4]") == "")
    #expect(hold.release() == "[4, 4]")
  }
}
