extension JSONSchema {
  /// The schema rewritten for strict mode (OpenAI structured outputs, strict function tools).
  ///
  /// Follows the Agents SDK's `ensure_strict_json_schema`: every object gets `"additionalProperties": false`
  /// and lists all its properties in `required`; a property that was not required becomes nullable
  /// (`"type": [T, "null"]` or an `anyOf` with `{"type":"null"}`), so the model sends `null` instead of
  /// leaving it out, and the macro-generated decoder treats that `null` as "use the default". The conversion
  /// recurses into `properties`, `items`, `anyOf`, `allOf` and `$defs`, turns `oneOf` into `anyOf`, drops
  /// `"default": null`, inlines a `$ref` that has sibling keywords, and turns a root `{}` into an empty object.
  /// Converting a strict schema again changes nothing. A nested `{}` (a ``JSONValue`` property) is left as is,
  /// as the Agents SDK does; servers that enforce strict mode may reject it.
  ///
  /// - Throws: ``SchemaError`` with code ``SchemaError/Code/notStrictCompatible`` when an object allows
  ///   additional properties (a `[String: V]` dictionary) or the root is an `anyOf`, and
  ///   ``SchemaError/Code/malformedSchema`` for unresolvable or cyclic references.
  public func strict() throws(SchemaError) -> JSONSchema {
    guard case .object(let object) = value else {
      throw SchemaError(
        code: .malformedSchema,
        message: "a strict schema must be a JSON object at its root, got \(value.jsonString)"
      )
    }
    if object.isEmpty {
      return JSONSchema(["type": "object", "properties": [:], "required": [], "additionalProperties": false])
    }
    if object["anyOf"] != nil || object["oneOf"] != nil {
      throw SchemaError(
        code: .notStrictCompatible,
        message: "strict mode does not allow anyOf at the root of a schema; make the root an object with a"
          + " property that holds the alternatives, or turn strict mode off"
      )
    }
    let converter = StrictSchemaConverter(root: value)
    return JSONSchema(try converter.convert(value, path: "#", depth: 0))
  }
}

/// Rewrites one schema document for strict mode; see ``JSONSchema/strict()``.
struct StrictSchemaConverter {
  static let maximumDepth = 100

  let root: JSONValue

  func convert(_ schema: JSONValue, path: String, depth: Int) throws(SchemaError) -> JSONValue {
    guard depth <= Self.maximumDepth else {
      throw SchemaError(
        code: .malformedSchema,
        message: "the schema is nested deeper than \(Self.maximumDepth) levels at \(path), or its $refs form a"
          + " cycle; simplify the schema"
      )
    }
    guard case .object(var object) = schema else { return schema }

    if let reference = object["$ref"]?.stringValue, object.count > 1 {
      var merged = try SchemaReference.resolve(reference, in: root, at: path)
      for (key, value) in object where key != "$ref" { merged[key] = value }
      return try convert(.object(merged), path: path, depth: depth + 1)
    }

    for key in ["$defs", "definitions"] {
      guard case .object(let definitions) = object[key] else { continue }
      var converted = JSONObject()
      for (name, definition) in definitions {
        converted[name] = try convert(definition, path: "\(path)/\(key)/\(name)", depth: depth + 1)
      }
      object[key] = .object(converted)
    }

    if Self.describesObject(object) {
      try closeObject(&object, path: path, depth: depth)
    }

    switch object["items"] {
    case .object?:
      object["items"] = try convert(object["items"]!, path: "\(path)/items", depth: depth + 1)
    case .array(let tuple)?:
      object["items"] = .array(try convertEach(tuple, path: "\(path)/items", depth: depth))
    default:
      break
    }

    if case .array(let alternatives) = object["oneOf"] {
      object["oneOf"] = nil
      object["anyOf"] = .array((object["anyOf"]?.arrayValue ?? []) + alternatives)
    }
    if case .array(let alternatives) = object["anyOf"] {
      object["anyOf"] = .array(try convertEach(alternatives, path: "\(path)/anyOf", depth: depth))
    }
    if case .array(let parts) = object["allOf"] {
      if parts.count == 1, case .object(let only) = try convert(parts[0], path: "\(path)/allOf/0", depth: depth + 1) {
        object["allOf"] = nil
        for (key, value) in only { object[key] = value }
      } else {
        object["allOf"] = .array(try convertEach(parts, path: "\(path)/allOf", depth: depth))
      }
    }

    if object["default"]?.isNull == true { object["default"] = nil }
    return .object(object)
  }

  private func convertEach(_ schemas: [JSONValue], path: String, depth: Int) throws(SchemaError) -> [JSONValue] {
    var converted: [JSONValue] = []
    converted.reserveCapacity(schemas.count)
    for (index, schema) in schemas.enumerated() {
      converted.append(try convert(schema, path: "\(path)/\(index)", depth: depth + 1))
    }
    return converted
  }

  private func closeObject(_ object: inout JSONObject, path: String, depth: Int) throws(SchemaError) {
    switch object["additionalProperties"] {
    case nil, .bool(false)?:
      object["additionalProperties"] = false
    default:
      throw SchemaError(
        code: .notStrictCompatible,
        message: "strict mode needs \"additionalProperties\": false on every object, but the object at \(path)"
          + " allows additional properties (is it a [String: Value] dictionary?); model it as an array of"
          + " key/value objects, or turn strict mode off"
      )
    }
    let properties = object["properties"]?.objectValue ?? JSONObject()
    let required = Set((object["required"]?.arrayValue ?? []).compactMap(\.stringValue))
    var converted = JSONObject()
    for (name, property) in properties {
      var schema = try convert(property, path: "\(path)/properties/\(name)", depth: depth + 1)
      if !required.contains(name) { schema = Self.nullable(schema) }
      converted[name] = schema
    }
    object["properties"] = .object(converted)
    object["required"] = .array(properties.keys.map(JSONValue.string))
  }

  static func describesObject(_ object: JSONObject) -> Bool {
    switch object["type"] {
    case .string("object")?: true
    case .array(let types)?: types.contains("object")
    case nil: object["properties"] != nil
    default: false
    }
  }

  /// `schema` changed to also accept `null`.
  static func nullable(_ schema: JSONValue) -> JSONValue {
    guard case .object(var object) = schema, !object.isEmpty, !acceptsNull(object) else { return schema }
    if object["const"] == nil {
      switch object["type"] {
      case .string(let type)?:
        object["type"] = [.string(type), "null"]
        return .object(withNullInEnum(object))
      case .array(let types)?:
        object["type"] = .array(types + ["null"])
        return .object(withNullInEnum(object))
      default:
        if case .array(let alternatives) = object["anyOf"] {
          object["anyOf"] = .array(alternatives + [["type": "null"]])
          return .object(object)
        }
      }
    }
    var wrapper = JSONObject()
    if let description = object["description"] {
      wrapper["description"] = description
      object["description"] = nil
    }
    wrapper["anyOf"] = [.object(object), ["type": "null"]]
    return .object(wrapper)
  }

  private static func acceptsNull(_ object: JSONObject) -> Bool {
    switch object["type"] {
    case .string("null")?: return true
    case .array(let types)?: return types.contains("null")
    default:
      let alternatives = object["anyOf"]?.arrayValue ?? []
      return alternatives.contains { $0["type"] == "null" }
    }
  }

  private static func withNullInEnum(_ object: JSONObject) -> JSONObject {
    guard case .array(let values) = object["enum"], !values.contains(.null) else { return object }
    var object = object
    object["enum"] = .array(values + [.null])
    return object
  }
}

/// Resolves local `$ref`s (`#`, `#/$defs/Name`, any `#/…` JSON pointer) against a schema document.
enum SchemaReference {
  static func resolve(_ reference: String, in root: JSONValue, at path: String) throws(SchemaError) -> JSONObject {
    if case .object(let object)? = lookUp(reference, in: root) { return object }
    throw SchemaError(
      code: .malformedSchema,
      message: "the $ref \"\(reference)\" at \(path) does not point to a schema in this document; only local"
        + " references such as #/$defs/Name are supported"
    )
  }

  /// The value `reference` points to, or `nil`.
  static func lookUp(_ reference: String, in root: JSONValue) -> JSONValue? {
    guard reference.hasPrefix("#") else { return nil }
    var current = root
    for token in reference.dropFirst().split(separator: "/", omittingEmptySubsequences: true) {
      let key = unescape(token)
      switch current {
      case .object(let object):
        guard let next = object[key] else { return nil }
        current = next
      case .array(let array):
        guard let index = Int(key), array.indices.contains(index) else { return nil }
        current = array[index]
      default:
        return nil
      }
    }
    return current
  }

  /// Undoes JSON pointer escaping: `~1` is `/` and `~0` is `~`.
  private static func unescape(_ token: Substring) -> String {
    guard token.contains("~") else { return String(token) }
    var result = ""
    var iterator = token.makeIterator()
    while let character = iterator.next() {
      guard character == "~" else {
        result.append(character)
        continue
      }
      switch iterator.next() {
      case "1": result.append("/")
      case "0": result.append("~")
      case let other?: result.append("~"); result.append(other)
      case nil: result.append("~")
      }
    }
    return result
  }
}
