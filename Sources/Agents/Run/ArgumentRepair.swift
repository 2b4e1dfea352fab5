/// Repairs tool arguments that small models get slightly wrong, but only when the repaired arguments satisfy
/// the tool's schema: properties the schema does not have are dropped (when it allows no others), arguments
/// wrapped in a schema echo (`{"type": "object", "properties": {…}}`) are unwrapped, and scalars of the wrong
/// kind are converted (`144` for a string parameter becomes `"144"`, `"3"` for a number becomes `3`).
///
/// The runner applies the repair before the tool runs and reports it as ``RunEvent/toolArgumentsRepaired(_:changes:)``;
/// arguments that still do not fit go to the tool unchanged, whose error the model then reads.
enum ArgumentRepair {
  /// Repaired arguments and what was changed, in words.
  struct Repair: Equatable {
    var arguments: String
    var changes: [String]
  }

  /// The repair of `arguments` for `schema`, or `nil` when they fit already or cannot be repaired.
  static func repair(_ arguments: String, schema: JSONSchema) -> Repair? {
    guard case .object(var object)? = try? JSONValue.parse(arguments.isEmpty ? "{}" : arguments),
      case .object(let schemaObject) = schema.value,
      !schema.violations(of: .object(object), limit: 1).isEmpty
    else { return nil }
    let properties = schemaObject["properties"]?.objectValue ?? JSONObject()
    var changes: [String] = []

    if properties["properties"] == nil, case .object(let wrapped)? = object["properties"],
      wrapped.keys.contains(where: { properties[$0] != nil })
    {
      object = wrapped
      changes.append("took the arguments out of a 'properties' wrapper")
    }
    if schemaObject["additionalProperties"] == .bool(false) {
      let unknown = object.keys.filter { properties[$0] == nil }
      if !unknown.isEmpty {
        var kept = JSONObject()
        for (key, value) in object where properties[key] != nil { kept[key] = value }
        object = kept
        changes.append("dropped unknown \(unknown.count == 1 ? "property" : "properties") "
          + unknown.map { "'\($0)'" }.joined(separator: ", "))
      }
    }
    for (key, value) in object {
      guard let type = properties[key]?["type"]?.stringValue, let converted = convert(value, to: type) else { continue }
      object[key] = converted
      changes.append("converted '\(key)' to \(type == "integer" ? "an integer" : "a \(type)")")
    }
    guard !changes.isEmpty, schema.violations(of: .object(object), limit: 1).isEmpty else { return nil }
    return Repair(arguments: JSONValue.object(object).jsonString, changes: changes)
  }

  /// `value` as the JSON type `type`, when it is a scalar of another kind that converts without loss.
  private static func convert(_ value: JSONValue, to type: String) -> JSONValue? {
    switch (type, value) {
    case ("string", .int(let number)): return .string(String(number))
    case ("string", .double(let number)): return .string(String(number))
    case ("string", .bool(let flag)): return .string(String(flag))
    case ("number", .string(let text)): return Double(Substring(text).trimmingWhitespace()).map(JSONValue.double)
    case ("integer", .string(let text)): return Int(Substring(text).trimmingWhitespace()).map(JSONValue.int)
    case ("boolean", .string(let text)):
      switch text.lowercased() {
      case "true": return .bool(true)
      case "false": return .bool(false)
      default: return nil
      }
    default: return nil
    }
  }
}
