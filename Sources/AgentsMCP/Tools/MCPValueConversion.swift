import Foundation
import MCP
import WireCore

/// Conversions between the SDK's `Value` and WireCore's `JSONValue`.
enum MCPValueConversion {
  /// `value` as MCP's `Value`.
  static func mcpValue(_ value: JSONValue) -> Value {
    switch value {
    case .null: .null
    case .bool(let bool): .bool(bool)
    case .int(let int): .int(int)
    case .double(let double): .double(double)
    case .string(let string): .string(string)
    case .array(let array): .array(array.map(mcpValue))
    case .object(let object): .object(Dictionary(object.map { ($0.key, mcpValue($0.value)) }, uniquingKeysWith: { $1 }))
    }
  }

  /// `value` as a `JSONValue`; object keys in a stable order (see ``orderedKeys(_:)``), since `Value` keeps them
  /// in a dictionary and a schema must read the same on every run.
  static func jsonValue(_ value: Value) -> JSONValue {
    switch value {
    case .null: return .null
    case .bool(let bool): return .bool(bool)
    case .int(let int): return .int(int)
    case .double(let double): return .double(double)
    case .string(let string): return .string(string)
    case .data(let mimeType, let data):
      return .string("data:\(mimeType ?? "application/octet-stream");base64,\(data.base64EncodedString())")
    case .array(let array): return .array(array.map(jsonValue))
    case .object(let object):
      return .object(JSONObject(orderedKeys(object).map { ($0, jsonValue(object[$0]!)) }))
    }
  }

  /// The keys of a JSON object in a stable, readable order: the usual JSON Schema keywords first (`type`,
  /// `title`, `description`, `properties`, `required`…), then the rest alphabetically. A `properties` object is
  /// ordered by its schema's `required` list, then alphabetically (see ``propertyOrder(_:required:)``).
  static func orderedKeys(_ object: [String: Value]) -> [String] {
    let leading = ["type", "title", "description", "properties", "required", "items", "enum", "default"]
    return leading.filter { object[$0] != nil } + object.keys.filter { !leading.contains($0) }.sorted()
  }

  /// A tool's parameter schema as `JSONValue`, with `properties` in the order of `required` and then
  /// alphabetical, and an empty `properties` added when the server gave none (OpenAI-compatible servers need it).
  static func parameterSchema(_ schema: Value) -> JSONValue {
    guard case .object(var object) = schema else {
      return ["type": "object", "properties": .object(JSONObject())]
    }
    if object["type"] == nil { object["type"] = .string("object") }
    if object["properties"] == nil { object["properties"] = .object([:]) }
    return orderedSchema(.object(object))
  }

  private static func orderedSchema(_ value: Value) -> JSONValue {
    guard case .object(let object) = value else {
      if case .array(let array) = value { return .array(array.map(orderedSchema)) }
      return jsonValue(value)
    }
    let required = object["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
    var fields: [(String, JSONValue)] = []
    for key in orderedKeys(object) {
      let child = object[key]!
      if key == "properties", case .object(let properties) = child {
        let ordered = propertyOrder(Array(properties.keys), required: required)
        fields.append((key, .object(JSONObject(ordered.map { ($0, orderedSchema(properties[$0]!)) }))))
      } else {
        fields.append((key, orderedSchema(child)))
      }
    }
    return .object(JSONObject(fields))
  }

  /// Property names in `required` order first, then alphabetically.
  static func propertyOrder(_ names: [String], required: [String]) -> [String] {
    let first = required.filter(names.contains)
    return first + names.filter { !first.contains($0) }.sorted()
  }
}
