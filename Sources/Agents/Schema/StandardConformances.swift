#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension String: SchemaRepresentable {
  /// `{"type":"string"}`.
  public static var jsonSchema: JSONSchema { JSONSchema(["type": "string"]) }
}

extension Bool: SchemaRepresentable {
  /// `{"type":"boolean"}`.
  public static var jsonSchema: JSONSchema { JSONSchema(["type": "boolean"]) }
}

extension Double: SchemaRepresentable {
  /// `{"type":"number"}`.
  public static var jsonSchema: JSONSchema { JSONSchema(["type": "number"]) }
}

extension Float: SchemaRepresentable {
  /// `{"type":"number"}`.
  public static var jsonSchema: JSONSchema { JSONSchema(["type": "number"]) }
}

extension JSONSchema {
  /// `{"type":"integer"}`, bounded by `type`'s range where it is narrower than a 64-bit signed integer.
  static func integer<Integer: FixedWidthInteger>(_ type: Integer.Type) -> JSONSchema {
    var object: JSONObject = ["type": "integer"]
    if Integer.bitWidth < 64 || !Integer.isSigned, let minimum = Int(exactly: Integer.min) {
      object["minimum"] = .int(minimum)
    }
    if Integer.bitWidth < 64, let maximum = Int(exactly: Integer.max) { object["maximum"] = .int(maximum) }
    return JSONSchema(.object(object))
  }
}

extension Int: SchemaRepresentable {
  /// `{"type":"integer"}`.
  public static var jsonSchema: JSONSchema { .integer(Int.self) }
}

extension Int8: SchemaRepresentable {
  /// An integer from -128 to 127.
  public static var jsonSchema: JSONSchema { .integer(Int8.self) }
}

extension Int16: SchemaRepresentable {
  /// An integer from -32768 to 32767.
  public static var jsonSchema: JSONSchema { .integer(Int16.self) }
}

extension Int32: SchemaRepresentable {
  /// An integer from -2147483648 to 2147483647.
  public static var jsonSchema: JSONSchema { .integer(Int32.self) }
}

extension Int64: SchemaRepresentable {
  /// `{"type":"integer"}`.
  public static var jsonSchema: JSONSchema { .integer(Int64.self) }
}

extension UInt: SchemaRepresentable {
  /// An integer of at least 0.
  public static var jsonSchema: JSONSchema { .integer(UInt.self) }
}

extension UInt8: SchemaRepresentable {
  /// An integer from 0 to 255.
  public static var jsonSchema: JSONSchema { .integer(UInt8.self) }
}

extension UInt16: SchemaRepresentable {
  /// An integer from 0 to 65535.
  public static var jsonSchema: JSONSchema { .integer(UInt16.self) }
}

extension UInt32: SchemaRepresentable {
  /// An integer from 0 to 4294967295.
  public static var jsonSchema: JSONSchema { .integer(UInt32.self) }
}

extension UInt64: SchemaRepresentable {
  /// An integer of at least 0.
  public static var jsonSchema: JSONSchema { .integer(UInt64.self) }
}

extension Optional: SchemaRepresentable where Wrapped: SchemaRepresentable {
  /// The wrapped type's schema; an optional property is simply not required.
  public static var jsonSchema: JSONSchema { Wrapped.jsonSchema }
}

extension Array: SchemaRepresentable where Element: SchemaRepresentable {
  /// `{"type":"array","items":<element schema>}`.
  public static var jsonSchema: JSONSchema {
    JSONSchema.composed { ["type": "array", "items": Element.jsonSchema.value] }
  }
}

extension Set: SchemaRepresentable where Element: SchemaRepresentable {
  /// `{"type":"array","items":<element schema>,"uniqueItems":true}`.
  public static var jsonSchema: JSONSchema {
    JSONSchema.composed { ["type": "array", "items": Element.jsonSchema.value, "uniqueItems": true] }
  }
}

extension Dictionary: SchemaRepresentable where Key == String, Value: SchemaRepresentable {
  /// `{"type":"object","additionalProperties":<value schema>}`; not usable in strict mode.
  public static var jsonSchema: JSONSchema {
    JSONSchema.composed { ["type": "object", "additionalProperties": Value.jsonSchema.value] }
  }
}

extension Date: SchemaRepresentable {
  /// `{"type":"string","format":"date-time"}`; decode with ``SchemaCoding`` to read such strings.
  public static var jsonSchema: JSONSchema { JSONSchema(["type": "string", "format": "date-time"]) }
}

extension URL: SchemaRepresentable {
  /// `{"type":"string","format":"uri"}`.
  public static var jsonSchema: JSONSchema { JSONSchema(["type": "string", "format": "uri"]) }
}

extension UUID: SchemaRepresentable {
  /// `{"type":"string","format":"uuid"}`.
  public static var jsonSchema: JSONSchema { JSONSchema(["type": "string", "format": "uuid"]) }
}

extension JSONValue: SchemaRepresentable {
  /// `{}`: any JSON value.
  public static var jsonSchema: JSONSchema { JSONSchema([:]) }
}
