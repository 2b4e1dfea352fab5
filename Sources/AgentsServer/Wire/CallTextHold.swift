/// Holds back a streamed reply that starts like a tool call written as text (a ```` ```json ```` fence, a bare JSON
/// object or array, a `<tool_call>` tag) until the run says what it was.
///
/// Small models write their calls that way; the run recognises such a call only when the reply is complete, and a
/// stream cannot take back what it sent, so without this a client would read the call's JSON as part of the
/// answer (a whole answer never has it). A reply that turns out to be the answer is sent when it ends
/// (`messageDone`), at once; every other reply streams as it comes.
struct CallTextHold {
  private enum State {
    case undecided
    case holding
    case passing
  }

  private var state = State.undecided
  private var held = ""

  /// The text to send now for `delta` of the reply: all of it once the reply is known not to start like a call,
  /// nothing while it might be one.
  mutating func pass(_ delta: String) -> String {
    switch state {
    case .passing:
      return delta
    case .holding:
      held += delta
      return ""
    case .undecided:
      held += delta
      switch Self.startsLikeACall(held) {
      case nil:
        return ""
      case true?:
        state = .holding
        return ""
      case false?:
        state = .passing
        defer { held = "" }
        return held
      }
    }
  }

  /// The reply ended as an answer: the text still held, to send now. The next reply starts undecided.
  mutating func release() -> String {
    defer { self = CallTextHold() }
    return held
  }

  /// The reply was a call (or was taken back): what is held is dropped. The next reply starts undecided.
  mutating func drop() { self = CallTextHold() }

  /// Whether `text` (a reply's start) reads like a call written as text; `nil` while too little of it is there.
  static func startsLikeACall(_ text: String) -> Bool? {
    let start = text.drop { $0.isWhitespace }
    guard let first = start.first else { return nil }
    switch first {
    case "{", "[":
      return true
    case "<":
      let tag = "<tool_call>"
      if start.count < tag.count { return tag.hasPrefix(start) ? nil : false }
      return start.hasPrefix(tag)
    case "`":
      guard start.count >= 3 else { return start.allSatisfy { $0 == "`" } ? nil : false }
      guard start.hasPrefix("```") else { return false }
      let afterFence = start.dropFirst(3)
      guard let lineEnd = afterFence.firstIndex(of: "\n") else {
        let language = afterFence.lowercased()
        return ["json", "tool_call"].contains { $0.hasPrefix(language) } ? nil : false
      }
      let language = afterFence[..<lineEnd].filter { !$0.isWhitespace }.lowercased()
      guard ["", "json", "tool_call"].contains(language) else { return false }
      guard let body = afterFence[lineEnd...].first(where: { !$0.isWhitespace }) else { return nil }
      return body == "{" || body == "["
    default:
      return false
    }
  }
}
