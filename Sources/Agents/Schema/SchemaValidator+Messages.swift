/// Type tests and the wording of violation messages.
extension SchemaValidator {
  /// The `type` keyword as a list, or `nil` when the schema does not restrict the type.
  static func types(in schema: JSONObject) -> [String]? {
    switch schema["type"] {
    case .string(let type)?: [type]
    case .array(let types)?: types.compactMap(\.stringValue)
    default: nil
    }
  }

  static func value(_ value: JSONValue, hasType type: String) -> Bool {
    switch (type, value) {
    case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
      ("number", .int), ("number", .double), ("integer", .int):
      true
    case ("integer", .double(let number)):
      number.rounded() == number && number.isFinite
    default:
      false
    }
  }

  /// The value's JSON type, with short scalars quoted: `string "three"`, `integer 3`, `object`.
  static func describe(_ value: JSONValue) -> String {
    switch value {
    case .null: "null"
    case .bool(let flag): "boolean \(flag)"
    case .int(let number): "integer \(number)"
    case .double: "number \(value.jsonString)"
    case .string: "string \(truncated(value.jsonString))"
    case .array(let items): "array of \(counted(items.count, "item"))"
    case .object: "object"
    }
  }

  static func truncated(_ text: String, limit: Int = 40) -> String {
    text.count <= limit ? text : String(text.prefix(limit)) + "…"
  }

  static func format(_ number: Double) -> String {
    if number.rounded() == number, abs(number) < 1e15 { return String(Int(number)) }
    return String(number)
  }

  static func counted(_ count: Int, _ noun: String) -> String {
    count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
  }

  /// The JSONPath of member `name` under `path`: `$.city`, or `$["two words"]` for keys that are not identifiers.
  static func child(_ path: String, _ name: String) -> String {
    let isIdentifier =
      !name.isEmpty && name.first.map { !$0.isNumber } == true
      && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    if isIdentifier { return "\(path).\(name)" }
    return "\(path)[\(JSONValue.string(name).jsonString)]"
  }
}
