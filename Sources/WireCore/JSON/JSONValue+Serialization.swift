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
      if bytes.contains(where: mayNeedEscape) {
        writeEscaped(bytes, into: &output)
      } else {
        output.append(contentsOf: bytes)
      }
    }
    output.append(UInt8(ascii: "\""))
  }

  /// Whether `byte` is one ``writeString(_:into:)`` may have to escape: a quote, a backslash, a C0 control, DEL,
  /// or 0xC2 (the first byte of U+0080–U+00BF, which holds the C1 controls).
  private static func mayNeedEscape(_ byte: UInt8) -> Bool {
    byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F || byte == 0xC2
  }

  /// Appends `bytes` (UTF-8) with the escapes of ``writeString(_:into:)``, without the quotes; the bytes between
  /// escapes are copied in runs.
  private static func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
    func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : UInt8(ascii: "a") + value - 10 }
    func escaped(_ value: UInt8) {
      output.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigit(value >> 4), hexDigit(value & 0xF)])
    }
    var runStart = 0
    func copyRun(upTo end: Int) {
      if end > runStart { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<end])) }
    }
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      guard mayNeedEscape(byte) else {
        index += 1
        continue
      }
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
      case UInt8(ascii: "\""): output.append(contentsOf: [0x5C, 0x22])
      case UInt8(ascii: "\\"): output.append(contentsOf: [0x5C, 0x5C])
      case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
      case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
      case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
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
