/// Why a byte sequence is not valid JSON, with the byte offset where parsing stopped.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The byte offset of the problem.
  public var offset: Int
  /// What was wrong there.
  public var reason: String

  /// Creates a parse error.
  public init(offset: Int, reason: String) {
    self.offset = offset
    self.reason = reason
  }

  public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

extension JSONValue {
  /// The deepest nesting the parser accepts, so hostile input cannot exhaust the stack.
  public static let maximumNestingDepth = 512

  /// Parses one JSON value from UTF-8 bytes; surrounding whitespace is allowed, anything else is an error.
  public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
    let contiguous = bytes.withContiguousStorageIfAvailable { buffer in parseResult(buffer) }
    if let contiguous { return try contiguous.get() }
    return try Array(bytes).withUnsafeBufferPointer { parseResult($0) }.get()
  }

  /// Parses one JSON value from a string, reading its UTF-8 storage in place.
  public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
    var text = text
    return try text.withUTF8 { parseResult($0) }.get()
  }

  private static func parseResult(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONParseError> {
    var parser = JSONBytesParser(buffer)
    do {
      return .success(try parser.parseDocument())
    } catch {
      return .failure(error)
    }
  }
}

/// A recursive-descent JSON parser over a byte buffer; the package's decoders that read a known shape member by
/// member (``parseValue()`` for the members they do not take apart) use its steps directly.
package struct JSONBytesParser {
  package let bytes: UnsafeBufferPointer<UInt8>
  package var index = 0
  package var depth = 0

  package init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  mutating func parseDocument() throws(JSONParseError) -> JSONValue {
    skipWhitespace()
    let value = try parseValue()
    skipWhitespace()
    guard index == bytes.count else { throw fail("unexpected data after the value") }
    return value
  }

  func fail(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

  package mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x0A, 0x0D, 0x09: index += 1
      default: return
      }
    }
  }

  package mutating func parseValue() throws(JSONParseError) -> JSONValue {
    guard index < bytes.count else { throw fail("unexpected end of input") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
    case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
    case UInt8(ascii: "n"): try expectLiteral("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default: throw fail("unexpected character")
    }
  }

  mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
    let count = literal.utf8CodeUnitCount
    guard index + count <= bytes.count else { throw fail("unexpected end of input") }
    let start = literal.utf8Start
    for offset in 0..<count where bytes[index + offset] != start[offset] {
      throw fail("invalid literal")
    }
    index += count
  }

  package mutating func enter() throws(JSONParseError) {
    depth += 1
    if depth > JSONValue.maximumNestingDepth { throw fail("nesting deeper than \(JSONValue.maximumNestingDepth)") }
  }

  mutating func parseObject() throws(JSONParseError) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    if try openContainer(closedBy: UInt8(ascii: "}")) { return .object(JSONObject()) }
    var pairs: [(key: String, value: JSONValue)] = []
    pairs.reserveCapacity(8)
    repeat {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
      let key = try parseString()
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
      index += 1
      skipWhitespace()
      let value = try parseValue()
      pairs.append((key, value))
    } while try !endOfMember(closedBy: UInt8(ascii: "}"), in: "object")
    return .object(JSONObject(parsed: pairs))
  }

  mutating func parseArray() throws(JSONParseError) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    var elements: [JSONValue] = []
    if try openContainer(closedBy: UInt8(ascii: "]")) { return .array(elements) }
    repeat {
      skipWhitespace()
      elements.append(try parseValue())
    } while try !endOfMember(closedBy: UInt8(ascii: "]"), in: "array")
    return .array(elements)
  }

  /// Steps past the opening `{` or `[` and the whitespace after it; true when `closing` follows at once (an empty
  /// object or array), which it then steps past too.
  package mutating func openContainer(closedBy closing: UInt8) throws(JSONParseError) -> Bool {
    index += 1
    skipWhitespace()
    guard index < bytes.count, bytes[index] == closing else { return false }
    index += 1
    return true
  }

  /// After a member of an object or array: steps past the `,` before the next member (false), or past `closing`
  /// at the end (true).
  package mutating func endOfMember(closedBy closing: UInt8, in container: String) throws(JSONParseError) -> Bool {
    skipWhitespace()
    guard index < bytes.count else { throw fail("unexpected end of input in \(container)") }
    switch bytes[index] {
    case UInt8(ascii: ","):
      index += 1
      return false
    case closing:
      index += 1
      return true
    default:
      throw fail("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
    }
  }

  mutating func parseNumber() throws(JSONParseError) -> JSONValue {
    let start = index
    var isIntegral = true
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number") }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
    } else {
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      isIntegral = false
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      isIntegral = false
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
      guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if isIntegral, index - start <= 18 {
      // Up to 18 digits always fit in an Int: accumulate without building a String.
      var position = start
      let negative = bytes[position] == UInt8(ascii: "-")
      if negative { position += 1 }
      var value = 0
      while position < index {
        value = value &* 10 &+ Int(bytes[position] &- UInt8(ascii: "0"))
        position += 1
      }
      return .int(negative ? -value : value)
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    if isIntegral, let int = Int(text) { return .int(int) }
    guard let double = Double(text) else { throw fail("invalid number") }
    guard double.isFinite else {
      // JSON has no infinity, so such a value could not be written back; Go's encoding/json refuses it too.
      index = start
      throw fail("the number \(text.prefix(40)) is too large for a 64-bit float (magnitude over 1.8e308)")
    }
    return .double(double)
  }

  func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

  package mutating func parseString() throws(JSONParseError) -> String {
    index += 1  // opening quote
    let start = index
    var asciiOnly = true
    // Fast path: no escapes.
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
        index += 1
        return asciiOnly ? String(decoding: slice, as: UTF8.self) : try validatedString(slice, at: start)
      }
      if byte >= 0x80 { asciiOnly = false }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { throw fail("control character in string") }
      index += 1
    }
    var scalars = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""):
        index += 1
        return try scalars.withUnsafeBufferPointer { buffer throws(JSONParseError) in
          try validatedString(buffer, at: start)
        }
      case UInt8(ascii: "\\"):
        index += 1
        guard index < bytes.count else { throw fail("unexpected end of input in escape") }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""): scalars.append(0x22)
        case UInt8(ascii: "\\"): scalars.append(0x5C)
        case UInt8(ascii: "/"): scalars.append(0x2F)
        case UInt8(ascii: "b"): scalars.append(0x08)
        case UInt8(ascii: "f"): scalars.append(0x0C)
        case UInt8(ascii: "n"): scalars.append(0x0A)
        case UInt8(ascii: "r"): scalars.append(0x0D)
        case UInt8(ascii: "t"): scalars.append(0x09)
        case UInt8(ascii: "u"):
          var code = try parseHex4()
          if (0xD800...0xDBFF).contains(code) {
            // A high surrogate must be followed by an escaped low surrogate.
            if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
              index += 2
              let low = try parseHex4()
              guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid surrogate pair") }
              code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else {
              code = 0xFFFD
            }
          } else if (0xDC00...0xDFFF).contains(code) {
            code = 0xFFFD
          }
          let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
          scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
          throw fail("invalid escape")
        }
      default:
        if byte < 0x20 { throw fail("control character in string") }
        scalars.append(byte)
        index += 1
      }
    }
    throw fail("unterminated string")
  }

  mutating func parseHex4() throws(JSONParseError) -> UInt32 {
    guard index + 4 <= bytes.count else { throw fail("unexpected end of input in \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default: throw fail("invalid hex digit")
      }
      value = value << 4 | digit
      index += 1
    }
    return value
  }

  /// The string in `buffer`, which must be valid UTF-8.
  ///
  /// `String(validating:as:)` is generic and instantiates metadata on every call; decoding (which is
  /// specialized) and comparing non-ASCII results with the input is several times faster.
  func validatedString(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) throws(JSONParseError) -> String {
    let string = String(decoding: buffer, as: UTF8.self)
    if string.utf8.elementsEqual(buffer) { return string }
    throw JSONParseError(offset: offset, reason: "invalid UTF-8 in string")
  }
}
