/// An agent's structured output type: the schema the model is asked to follow and the decoder that turns
/// its reply into a Swift value.
///
/// Types whose schema is not an object (arrays, strings, numbers) are wrapped as `{"response": …}` for the
/// model, because servers only accept object schemas; the wrapper is removed when decoding.
public struct OutputType: Sendable {
  /// The Swift type's name, used as the schema name sent to the server.
  public let name: String
  /// The schema sent to the model (wrapped for non-object types).
  public let schema: JSONSchema
  /// Whether the server should enforce the schema strictly.
  public var strict: Bool
  /// Whether the value sits under a `response` key.
  public let isWrapped: Bool
  private let decodeValue: @Sendable (JSONValue) throws(SchemaError) -> any Sendable
  /// Whether a value is of this output type (for error handlers' fallbacks).
  let matches: @Sendable (any Sendable) -> Bool

  /// Describes `type` as a structured output; with `strict` the schema is sent in strict form when it allows.
  public init<T: StructuredOutput>(_ type: T.Type, strict: Bool = true) {
    let isObject = T.jsonSchema.value["type"] == "object"
    let (schema, isStrict) = (isObject ? T.jsonSchema : ResponseWrapper<T>.jsonSchema).forSending(strict: strict)
    self.name = Self.schemaName(for: T.self)
    self.schema = schema
    self.strict = isStrict
    self.isWrapped = !isObject
    self.matches = { $0 is T }
    if isObject {
      decodeValue = { json throws(SchemaError) in try SchemaCoding.decodeArguments(T.self, from: json, schema: schema) }
    } else {
      decodeValue = { json throws(SchemaError) in
        try SchemaCoding.decodeArguments(ResponseWrapper<T>.self, from: json, schema: schema).response
      }
    }
  }

  /// Decodes the model's reply text: strips code fences and prose around the JSON, checks it against the
  /// schema, then decodes.
  ///
  /// - Returns: the value and the JSON text it came from.
  /// - Throws: ``OutputDecodingError`` with a message the model can act on.
  public func decode(_ text: String) throws(OutputDecodingError) -> (value: any Sendable, json: String) {
    let json = JSONExtraction.extract(from: text)
    if json.isEmpty {
      throw OutputDecodingError(reason: "the reply was empty; a JSON object was expected")
    }
    let value: JSONValue
    do {
      value = try JSONValue.parse(json)
    } catch {
      throw OutputDecodingError(reason: "the reply is not valid JSON (\(error))")
    }
    do {
      return (try decodeValue(value), json)
    } catch {
      throw OutputDecodingError(reason: error.message)
    }
  }

  private static func schemaName(for type: Any.Type) -> String {
    let name = String(describing: type).filter { $0.isLetter || $0.isNumber || $0 == "_" }
    return name.isEmpty ? "final_output" : name
  }
}

/// Why a reply could not be decoded into the agent's output type.
public struct OutputDecodingError: Error, Sendable, CustomStringConvertible {
  /// What was wrong with the reply, phrased for the model.
  public var reason: String
  /// The reason.
  public var description: String { reason }
}

/// A non-object output value under a `response` key, as servers only take object schemas.
private struct ResponseWrapper<T: StructuredOutput>: StructuredOutput {
  var response: T

  static var jsonSchema: JSONSchema {
    JSONSchema([
      "type": "object", "properties": ["response": T.jsonSchema.value], "required": ["response"],
      "additionalProperties": false,
    ])
  }
}

extension JSONSchema {
  /// The schema to send to a model: its strict form when `strict` is asked for and the schema allows it (one
  /// with free-form dictionaries does not), else the schema as is with strict mode off.
  func forSending(strict: Bool) -> (schema: JSONSchema, strict: Bool) {
    guard strict, let strictSchema = try? self.strict() else { return (self, false) }
    return (strictSchema, true)
  }
}
