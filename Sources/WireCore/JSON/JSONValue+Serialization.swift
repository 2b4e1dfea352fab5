extension JSONValue {
  /// The compact JSON text of this value, with object keys in their stored order.
  public var jsonString: String {
    var output: [UInt8] = []
    output.reserveCapacity(64)
    write(into: &output)
    return String(decoding: output, as: UTF8.self)
  }

  /// The compact JSON encoding of this value as UTF-8 bytes.
  public var jsonBytes: [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(512)
    write(into: &output)
    return output
  }

  /// Appends the compact JSON encoding of this value to `output`.
  public func write(into output: inout [UInt8]) {
    switch self {
    case .null: output.append(contentsOf: "null".utf8)
    case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
    case .int(let value): output.append(contentsOf: String(value).utf8)
    case .double(let value):
      if value.isFinite {
        if value.rounded() == value, abs(value) < 1e15 {
          output.append(contentsOf: String(Int(value)).utf8)
        } else {
          output.append(contentsOf: String(value).utf8)
        }
      } else {
        output.append(contentsOf: "null".utf8)  // JSON has no NaN or infinity.
      }
    case .string(let value): JSONValue.writeString(value, into: &output)
    case .array(let elements):
      output.append(UInt8(ascii: "["))
      for (offset, element) in elements.enumerated() {
        if offset > 0 { output.append(UInt8(ascii: ",")) }
        element.write(into: &output)
      }
      output.append(UInt8(ascii: "]"))
    case .object(let object):
      output.append(UInt8(ascii: "{"))
      for (offset, field) in object.fields.enumerated() {
        if offset > 0 { output.append(UInt8(ascii: ",")) }
        JSONValue.writeString(field.key, into: &output)
        output.append(UInt8(ascii: ":"))
        field.value.write(into: &output)
      }
      output.append(UInt8(ascii: "}"))
    }
  }

  /// Appends `string` as a quoted, escaped JSON string.
  ///
  /// Besides what JSON requires (quotes, backslashes, C0 controls), DEL and the C1 controls (U+0080–U+009F)
  /// are written as `\u` escapes too, so JSON printed to a terminal carries no byte a terminal could take
  /// for a control sequence.
  public static func writeString(_ string: String, into output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    var string = string
    string.withUTF8 { bytes in
      // Most strings need no escape: their bytes are copied at once.
      let clean = cleanPrefixLength(bytes)
      if clean == bytes.count {
        output.append(contentsOf: bytes)
      } else {
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<clean]))
        writeEscaped(UnsafeBufferPointer(rebasing: bytes[clean...]), into: &output)
      }
    }
    output.append(UInt8(ascii: "\""))
  }

  /// Whether `byte` is one ``writeString(_:into:)`` may have to escape: a quote, a backslash, a C0 control, DEL,
  /// or 0xC2 (the first byte of U+0080–U+00BF, which holds the C1 controls).
  private static func mayNeedEscape(_ byte: UInt8) -> Bool {
    byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F || byte == 0xC2
  }

  /// How many bytes at the start of `bytes` need no escape (none is ``mayNeedEscape(_:)``). Eight ASCII bytes are
  /// checked at a time; a word holding any byte from 0x80 is checked byte by byte.
  static func cleanPrefixLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    guard let start = bytes.baseAddress else { return 0 }
    let raw = UnsafeRawPointer(start)
    let ones: UInt64 = 0x0101_0101_0101_0101
    let high: UInt64 = 0x8080_8080_8080_8080
    /// The high bit of each byte of `word` that is zero is set (bytes after such a byte may be set too).
    func zeros(_ word: UInt64) -> UInt64 { (word &- ones) & ~word }
    var index = 0
    while index + 8 <= bytes.count {
      let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      // From 0x80, below 0x20 (0x20 subtracted borrows into the high bit), a quote, a backslash or DEL.
      let flagged =
        word | ((word &- ones &* 0x20) & ~word) | zeros(word ^ (ones &* 0x22)) | zeros(word ^ (ones &* 0x5C))
        | zeros(word ^ (ones &* 0x7F))
      if flagged & high != 0 { break }
      index += 8
    }
    while index < bytes.count, !mayNeedEscape(bytes[index]) { index += 1 }
    return index
  }

  /// Appends `bytes` (UTF-8) with the escapes of ``writeString(_:into:)``, without the quotes; the bytes between
  /// escapes are copied in runs.
  private static func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
    func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : UInt8(ascii: "a") + value - 10 }
    // Byte by byte: an array literal here would be allocated for every escape.
    func escaped(_ value: UInt8) {
      output.append(0x5C)
      output.append(UInt8(ascii: "u"))
      output.append(0x30)
      output.append(0x30)
      output.append(hexDigit(value >> 4))
      output.append(hexDigit(value & 0xF))
    }
    func escaped(letter: UInt8) {
      output.append(0x5C)
      output.append(letter)
    }
    var runStart = 0
    func copyRun(upTo end: Int) {
      if end > runStart { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<end])) }
    }
    var index = 0
    while index < bytes.count {
      index += cleanPrefixLength(UnsafeBufferPointer(rebasing: bytes[index...]))
      guard index < bytes.count else { break }
      let byte = bytes[index]
      if byte == 0xC2 {  // starts U+0080–U+00BF: only the C1 controls U+0080–U+009F are escaped
        if index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
          copyRun(upTo: index)
          escaped(bytes[index + 1])
          index += 2
          runStart = index
        } else {
          index += 1
        }
        continue
      }
      copyRun(upTo: index)
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"): escaped(letter: byte)
      case 0x0A: escaped(letter: UInt8(ascii: "n"))
      case 0x0D: escaped(letter: UInt8(ascii: "r"))
      case 0x09: escaped(letter: UInt8(ascii: "t"))
      default: escaped(byte)  // the other C0 controls and DEL
      }
      index += 1
      runStart = index
    }
    copyRun(upTo: bytes.count)
  }
}

extension JSONValue: Codable {
  /// Decodes any JSON value. Object key order follows the decoder's key order.
  public init(from decoder: any Decoder) throws {
    if let container = try? decoder.container(keyedBy: AnyCodingKey.self) {
      var object = JSONObject()
      for key in container.allKeys {
        object[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
      }
      self = .object(object)
      return
    }
    if var container = try? decoder.unkeyedContainer() {
      var elements: [JSONValue] = []
      while !container.isAtEnd { elements.append(try container.decode(JSONValue.self)) }
      self = .array(elements)
      return
    }
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int.self) {
      self = .int(value)
    } else if let value = try? container.decode(Double.self) {
      self = .double(value)
    } else {
      self = .string(try container.decode(String.self))
    }
  }

  /// Encodes the value; object keys are written in their stored order.
  public func encode(to encoder: any Encoder) throws {
    func single(_ encode: (inout any SingleValueEncodingContainer) throws -> Void) throws {
      var container = encoder.singleValueContainer()
      try encode(&container)
    }
    switch self {
    case .null: try single { try $0.encodeNil() }
    case .bool(let value): try single { try $0.encode(value) }
    case .int(let value): try single { try $0.encode(value) }
    case .double(let value): try single { try $0.encode(value) }
    case .string(let value): try single { try $0.encode(value) }
    case .array(let elements):
      var container = encoder.unkeyedContainer()
      for element in elements { try container.encode(element) }
    case .object(let object):
      var container = encoder.container(keyedBy: AnyCodingKey.self)
      for (key, value) in object.fields { try container.encode(value, forKey: AnyCodingKey(key)) }
    }
  }
}

/// A coding key made from any string.
public struct AnyCodingKey: CodingKey, Hashable, Sendable {
  public var stringValue: String
  public var intValue: Int?
  /// Creates a key from a string.
  public init(_ string: String) { self.stringValue = string }
  public init?(stringValue: String) { self.stringValue = stringValue }
  public init?(intValue: Int) {
    self.stringValue = String(intValue)
    self.intValue = intValue
  }
}
