extension SchemaCoding {
  /// Parses a model's tool-call arguments, checks them against a schema and decodes them as `Value`.
  ///
  /// Empty text counts as `{}`. Every failure is a ``SchemaError`` whose message is written for the model, so
  /// the runner can send it back as the tool result and let the model retry: invalid JSON
  /// (``SchemaError/Code/invalidJSON``), values that do not fit `schema` or that fail to decode
  /// (``SchemaError/Code/valueDoesNotMatch``, e.g. `missing required property 'city'`).
  ///
  /// - Parameters:
  ///   - schema: The schema the model was given; `Value.jsonSchema` when `nil`. Pass the strict version when
  ///     the tool is strict.
  public static func decodeArguments<Value: SchemaRepresentable & Decodable>(
    _ type: Value.Type,
    from text: String,
    schema: JSONSchema? = nil
  ) throws(SchemaError) -> Value {
    let trimmed = text.drop(while: \.isWhitespace)
    let json: JSONValue
    do {
      json = trimmed.isEmpty ? .object([:]) : try JSONValue.parse(String(trimmed))
    } catch {
      throw SchemaError(
        code: .invalidJSON,
        message: "the arguments are not valid JSON (\(error)); send one JSON object"
      )
    }
    return try decodeArguments(type, from: json, schema: schema)
  }

  /// Checks already parsed arguments against a schema and decodes them as `Value`, with the same errors as
  /// the variant that takes the arguments' text.
  public static func decodeArguments<Value: SchemaRepresentable & Decodable>(
    _ type: Value.Type,
    from json: JSONValue,
    schema: JSONSchema? = nil
  ) throws(SchemaError) -> Value {
    try (schema ?? Value.jsonSchema).validate(json)
    do {
      return try decode(type, from: json)
    } catch let error as DecodingError {
      let violation = violation(describing: error)
      throw SchemaError(code: .valueDoesNotMatch, message: violation.message, violations: [violation])
    } catch {
      throw SchemaError(code: .valueDoesNotMatch, message: "the arguments could not be decoded: \(error)")
    }
  }

  /// A model-readable account of a decoding failure, with the JSONPath where it happened.
  static func violation(describing error: DecodingError) -> SchemaViolation {
    switch error {
    case .keyNotFound(let key, let context):
      let path = jsonPath(context.codingPath)
      let location = path == "$" ? "" : " in \(path)"
      return SchemaViolation(
        path: SchemaValidator.child(path, key.stringValue),
        message: "missing required property '\(key.stringValue)'\(location)"
      )
    case .typeMismatch(let type, let context):
      let path = jsonPath(context.codingPath)
      return SchemaViolation(path: path, message: "expected \(jsonTypeName(type)) at \(path)")
    case .valueNotFound(let type, let context):
      let path = jsonPath(context.codingPath)
      return SchemaViolation(path: path, message: "expected \(jsonTypeName(type)) at \(path), got null")
    case .dataCorrupted(let context):
      let path = jsonPath(context.codingPath)
      return SchemaViolation(path: path, message: "\(context.debugDescription) at \(path)")
    @unknown default:
      return SchemaViolation(path: "$", message: "the arguments could not be decoded: \(error)")
    }
  }

  private static func jsonPath(_ codingPath: [any CodingKey]) -> String {
    codingPath.reduce("$") { path, key in
      if let index = key.intValue { return "\(path)[\(index)]" }
      return SchemaValidator.child(path, key.stringValue)
    }
  }

  /// The JSON type name for scalar Swift types; the Swift type name otherwise (`Array<String>`).
  private static func jsonTypeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "string"
    case is Bool.Type: "boolean"
    case is any BinaryInteger.Type: "integer"
    case is any BinaryFloatingPoint.Type: "number"
    default: "\(type)"
    }
  }
}
