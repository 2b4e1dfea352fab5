import WireCore

/// Decodes a streamed event's JSON text straight into a ``ChatCompletionChunk``: the chunk object, its `choices`
/// array, each choice and its `delta` are read member by member, and only the members' own values are parsed
/// (``JSONBytesParser/parseValue()``), so no ``JSONValue`` tree is built for the event (a chunk's ``raw`` keeps the
/// text and parses it only when read).
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

    static func position(of key: String) -> UInt8? {
      switch key {
      case "content": 0
      case "role": 1
      case "reasoning": 2
      case "reasoning_content": 3
      case "tool_calls": 4
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

  private struct Reader {
    var parser: JSONBytesParser

    mutating func document() throws(NotTheUsualShape) -> Decoded {
      var decoded = Decoded()
      var seen: UInt8 = 0
      var hasUsage = false
      try members { reader, key throws(NotTheUsualShape) in
        switch key {
        case "id": decoded.id = try reader.once(0, &seen)
        case "model": decoded.model = try reader.once(1, &seen)
        case "created": decoded.created = try reader.once(2, &seen)
        case "usage":
          decoded.usage = try reader.once(3, &seen)
          hasUsage = true
        case "choices":
          try reader.mark(4, &seen)
          decoded.choices = try reader.choices()
        case "error": throw NotTheUsualShape()
        default: _ = try reader.value()
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
      try step { parser throws(JSONParseError) in try parser.enter() }
      defer { parser.depth -= 1 }
      if try step({ parser throws(JSONParseError) in try parser.openContainer(closedBy: UInt8(ascii: "]")) }) {
        return choices
      }
      repeat {
        parser.skipWhitespace()
        choices.append(try choice(position: choices.count))
      } while try !step({ parser throws(JSONParseError) in
        try parser.endOfMember(closedBy: UInt8(ascii: "]"), in: "array")
      })
      return choices
    }

    private mutating func choice(position: Int) throws(NotTheUsualShape) -> ChatCompletionChunk.Choice {
      var index: JSONValue?
      var delta: ChatCompletionChunk.Delta?
      var finishReason: JSONValue?
      var seen: UInt8 = 0
      try members { reader, key throws(NotTheUsualShape) in
        switch key {
        case "index": index = try reader.once(0, &seen)
        case "finish_reason": finishReason = try reader.once(1, &seen)
        case "delta":
          try reader.mark(2, &seen)
          delta = reader.next == UInt8(ascii: "{") ? try reader.delta() : ResponseDecoding.delta(try reader.value())
        case "message": throw NotTheUsualShape()
        default: _ = try reader.value()
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
          _ = try reader.value()
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
    /// which `member` must read.
    private mutating func members(
      _ member: (inout Reader, String) throws(NotTheUsualShape) -> Void
    ) throws(NotTheUsualShape) {
      parser.skipWhitespace()
      guard next == UInt8(ascii: "{") else { throw NotTheUsualShape() }
      try step { parser throws(JSONParseError) in try parser.enter() }
      defer { parser.depth -= 1 }
      if try step({ parser throws(JSONParseError) in try parser.openContainer(closedBy: UInt8(ascii: "}")) }) { return }
      repeat {
        parser.skipWhitespace()
        guard next == UInt8(ascii: "\"") else { throw NotTheUsualShape() }
        let key = try step { parser throws(JSONParseError) in try parser.parseString() }
        parser.skipWhitespace()
        guard next == UInt8(ascii: ":") else { throw NotTheUsualShape() }
        parser.index += 1
        parser.skipWhitespace()
        try member(&self, key)
      } while try !step({ parser throws(JSONParseError) in
        try parser.endOfMember(closedBy: UInt8(ascii: "}"), in: "object")
      })
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
