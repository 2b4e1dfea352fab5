import WireCore

/// Decodes a streamed event's JSON text straight into a ``ChatCompletionChunk``: the chunk object, its `choices`
/// array, each choice and its `delta` are read member by member, and only the values of the members the chunk keeps
/// are parsed (``JSONBytesParser/parseValue()``), so no ``JSONValue`` tree is built for the event (a chunk's ``raw``
/// keeps the text and parses it only when read). Member names are matched as bytes and the values of other members
/// (`object`, `system_fingerprint`, `logprobs`) are stepped over, so neither becomes a `String`.
///
/// It decodes the shape servers send and gives up (`nil`) on anything else: invalid JSON, an `error` member, a
/// member named twice, `message` instead of `delta`, `choices` that is not an array of objects, a chunk with neither
/// `choices` nor `usage`. The caller then decodes the event through the tree (``ResponseDecoding/chunk(_:)``), which
/// gives the error or the chunk. Each member's value goes through the same functions ``ResponseDecoding`` uses, so a
/// chunk decoded here equals the one the tree gives (`ChunkDecoderTests` checks that on every fixture stream).
enum ChunkDecoder {
  /// The chunk in `text`, or `nil` when it is not the usual shape.
  static func chunk(_ text: String) -> ChatCompletionChunk? {
    var text = text
    let decoded = text.withUTF8 { buffer -> Decoded? in
      var reader = Reader(parser: JSONBytesParser(buffer))
      return try? reader.document()
    }
    guard let decoded else { return nil }
    return ChatCompletionChunk(
      id: decoded.id?.stringValue ?? "", model: decoded.model?.stringValue ?? "", created: decoded.created?.intValue,
      choices: decoded.choices ?? [], usage: ResponseDecoding.usage(decoded.usage), rawText: text)
  }

  /// The chunk object's members, as ``ResponseDecoding`` reads them.
  private struct Decoded {
    var id: JSONValue?
    var model: JSONValue?
    var created: JSONValue?
    var usage: JSONValue?
    var choices: [ChatCompletionChunk.Choice]?
  }

  /// Anything this decoder leaves to the tree.
  private struct NotTheUsualShape: Error {}

  /// The members of a `delta` that ``ResponseDecoding`` reads, by position.
  private struct DeltaValues {
    var content: JSONValue?
    var role: JSONValue?
    var reasoning: JSONValue?
    var reasoningContent: JSONValue?
    var toolCalls: JSONValue?
    /// The positions read so far, one bit each.
    var seen: UInt8 = 0

    static func position(of key: Key) -> UInt8? {
      switch key {
      case .content: 0
      case .role: 1
      case .reasoning: 2
      case .reasoningContent: 3
      case .toolCalls: 4
      default: nil
      }
    }

    mutating func set(_ value: JSONValue, at position: UInt8) {
      switch position {
      case 0: content = value
      case 1: role = value
      case 2: reasoning = value
      case 3: reasoningContent = value
      default: toolCalls = value
      }
    }
  }

  /// The member names the decoder reads, matched from the name's bytes; any other name is ``other``.
  private enum Key {
    case id, model, created, usage, choices, error, index, finishReason, delta, message
    case content, role, reasoning, reasoningContent, toolCalls
    case other

    init(_ name: UnsafeBufferPointer<UInt8>) {
      // Only called where the lengths are equal.
      func named(_ literal: StaticString) -> Bool {
        let bytes = literal.utf8Start
        for offset in 0..<name.count where name[offset] != bytes[offset] { return false }
        return true
      }
      self =
        switch name.count {
        case 2 where named("id"): .id
        case 4 where named("role"): .role
        case 5 where named("model"): .model
        case 5 where named("usage"): .usage
        case 5 where named("error"): .error
        case 5 where named("index"): .index
        case 5 where named("delta"): .delta
        case 7 where named("created"): .created
        case 7 where named("choices"): .choices
        case 7 where named("content"): .content
        case 7 where named("message"): .message
        case 9 where named("reasoning"): .reasoning
        case 10 where named("tool_calls"): .toolCalls
        case 13 where named("finish_reason"): .finishReason
        case 17 where named("reasoning_content"): .reasoningContent
        default: .other
        }
    }
  }

  private struct Reader {
    var parser: JSONBytesParser

    mutating func document() throws(NotTheUsualShape) -> Decoded {
      var decoded = Decoded()
      var seen: UInt8 = 0
      var hasUsage = false
      try members { reader, key throws(NotTheUsualShape) in
        switch key {
        case .id: decoded.id = try reader.once(0, &seen)
        case .model: decoded.model = try reader.once(1, &seen)
        case .created: decoded.created = try reader.once(2, &seen)
        case .usage:
          decoded.usage = try reader.once(3, &seen)
          hasUsage = true
        case .choices:
          try reader.mark(4, &seen)
          decoded.choices = try reader.choices()
        case .error: throw NotTheUsualShape()
        default: try reader.skip()
        }
      }
      parser.skipWhitespace()
      guard parser.index == parser.bytes.count, decoded.choices != nil || hasUsage else { throw NotTheUsualShape() }
      return decoded
    }

    /// `choices`: an array of objects, or `null` for none.
    private mutating func choices() throws(NotTheUsualShape) -> [ChatCompletionChunk.Choice] {
      guard next == UInt8(ascii: "[") else {
        guard try value() == .null else { throw NotTheUsualShape() }
        return []
      }
      var choices: [ChatCompletionChunk.Choice] = []
      try elements(closedBy: UInt8(ascii: "]")) { reader throws(NotTheUsualShape) in
        choices.append(try reader.choice(position: choices.count))
      }
      return choices
    }

    private mutating func choice(position: Int) throws(NotTheUsualShape) -> ChatCompletionChunk.Choice {
      var index: JSONValue?
      var delta: ChatCompletionChunk.Delta?
      var finishReason: JSONValue?
      var seen: UInt8 = 0
      try members { reader, key throws(NotTheUsualShape) in
        switch key {
        case .index: index = try reader.once(0, &seen)
        case .finishReason: finishReason = try reader.once(1, &seen)
        case .delta:
          try reader.mark(2, &seen)
          delta = reader.next == UInt8(ascii: "{") ? try reader.delta() : ResponseDecoding.delta(try reader.value())
        case .message: throw NotTheUsualShape()
        default: try reader.skip()
        }
      }
      return ChatCompletionChunk.Choice(
        index: index?.intValue ?? position, delta: delta ?? ChatCompletionChunk.Delta(),
        finishReason: ResponseDecoding.finishReason(finishReason))
    }

    private mutating func delta() throws(NotTheUsualShape) -> ChatCompletionChunk.Delta {
      var values = DeltaValues()
      try members { reader, key throws(NotTheUsualShape) in
        guard let position = DeltaValues.position(of: key) else {
          try reader.skip()
          return
        }
        try reader.mark(position, &values.seen)
        values.set(try reader.value(), at: position)
      }
      return ResponseDecoding.delta(
        role: values.role, content: values.content, reasoning: values.reasoning,
        reasoningContent: values.reasoningContent, toolCalls: values.toolCalls)
    }

    /// Reads the object that starts here, calling `member` with each key while the parser stands on its value,
    /// which `member` must read (or ``skip()``).
    private mutating func members(
      _ member: (inout Reader, Key) throws(NotTheUsualShape) -> Void
    ) throws(NotTheUsualShape) {
      parser.skipWhitespace()
      guard next == UInt8(ascii: "{") else { throw NotTheUsualShape() }
      try elements(closedBy: UInt8(ascii: "}")) { reader throws(NotTheUsualShape) in
        guard reader.next == UInt8(ascii: "\"") else { throw NotTheUsualShape() }
        let key = try reader.key()
        reader.parser.skipWhitespace()
        guard reader.next == UInt8(ascii: ":") else { throw NotTheUsualShape() }
        reader.parser.index += 1
        reader.parser.skipWhitespace()
        try member(&reader, key)
      }
    }

    /// Reads the object or array that starts here (at its `{` or `[`), calling `element` at each member.
    private mutating func elements(
      closedBy closing: UInt8, _ element: (inout Reader) throws(NotTheUsualShape) -> Void
    ) throws(NotTheUsualShape) {
      try step { parser throws(JSONParseError) in try parser.enter() }
      defer { parser.depth -= 1 }
      if try step({ parser throws(JSONParseError) in try parser.openContainer(closedBy: closing) }) { return }
      repeat {
        parser.skipWhitespace()
        try element(&self)
      } while try !step({ parser throws(JSONParseError) in
        try parser.endOfMember(closedBy: closing, in: closing == UInt8(ascii: "}") ? "object" : "array")
      })
    }

    /// The member name that starts here (at its quote). A plain name (printable ASCII, no escape) is matched as
    /// bytes; any other goes through the parser's string reading, which validates it and resolves its escapes
    /// (`"\u0069d"` is `id`, as in the tree).
    private mutating func key() throws(NotTheUsualShape) -> Key {
      if let name = plainString() { return Key(name) }
      var name = try step { parser throws(JSONParseError) in try parser.parseString() }
      return name.withUTF8 { Key($0) }
    }

    /// Steps over the string that starts here (at its quote) when it is plain: printable ASCII without escapes,
    /// which ``JSONBytesParser/parseString()`` accepts as it is. Returns its bytes, or `nil` (the parser not moved)
    /// for any other string, which the parser must read.
    private mutating func plainString() -> UnsafeBufferPointer<UInt8>? {
      let bytes = parser.bytes
      let start = parser.index + 1
      var end = start
      while end < bytes.count {
        let byte = bytes[end]
        if byte == UInt8(ascii: "\"") {
          parser.index = end + 1
          return UnsafeBufferPointer(rebasing: bytes[start..<end])
        }
        // Below 0x20 (a control character) or from 0x80 (UTF-8 to validate) wraps to 0x60 and above.
        guard byte &- 0x20 < 0x60, byte != UInt8(ascii: "\\") else { return nil }
        end += 1
      }
      return nil
    }

    /// Steps over the value that starts here, accepting exactly what ``value()`` accepts, without making it:
    /// the values of members the chunk does not keep (`object`, `system_fingerprint`, `logprobs`, `timings`).
    private mutating func skip() throws(NotTheUsualShape) {
      switch next {
      case UInt8(ascii: "\""):
        if plainString() == nil { _ = try step { parser throws(JSONParseError) in try parser.parseString() } }
      case UInt8(ascii: "{"):
        try members { reader, _ throws(NotTheUsualShape) in try reader.skip() }
      case UInt8(ascii: "["):
        try elements(closedBy: UInt8(ascii: "]")) { reader throws(NotTheUsualShape) in try reader.skip() }
      default:
        _ = try value()  // a number, literal or error: nothing is allocated for these
      }
    }

    /// The byte at the parser's position, if any.
    private var next: UInt8? { parser.index < parser.bytes.count ? parser.bytes[parser.index] : nil }

    /// The value that starts here.
    private mutating func value() throws(NotTheUsualShape) -> JSONValue {
      try step { parser throws(JSONParseError) in try parser.parseValue() }
    }

    /// The value of a member that must not occur twice (the tree would keep the later one).
    private mutating func once(_ bit: UInt8, _ seen: inout UInt8) throws(NotTheUsualShape) -> JSONValue {
      try mark(bit, &seen)
      return try value()
    }

    private func mark(_ bit: UInt8, _ seen: inout UInt8) throws(NotTheUsualShape) {
      guard seen & (1 << bit) == 0 else { throw NotTheUsualShape() }
      seen |= 1 << bit
    }

    /// Runs one parser step; a parse error means the tree must decode the text (and report the error).
    private mutating func step<Result>(
      _ body: (inout JSONBytesParser) throws(JSONParseError) -> Result
    ) throws(NotTheUsualShape) -> Result {
      do {
        return try body(&parser)
      } catch {
        throw NotTheUsualShape()
      }
    }
  }
}
