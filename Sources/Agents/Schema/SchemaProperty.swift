/// One property of an object schema: its key, its schema and whether it is required.
///
/// The `@Schema` macro generates these from stored properties; build them by hand for
/// ``JSONSchema/object(for:description:properties:)`` when writing a conformance yourself.
public struct SchemaProperty: Sendable {
  /// The JSON key.
  public var name: String
  /// The property's schema, including its description, constraints and default.
  public var schema: JSONSchema
  /// Whether the key must be present.
  public var isRequired: Bool

  /// A property whose values are `T`; optional types are never required.
  public init<T: SchemaRepresentable>(
    _ name: String,
    _ type: T.Type,
    description: String? = nil,
    constraints: [SchemaConstraint] = [],
    isRequired: Bool = true
  ) {
    self.name = name
    self.schema = Self.schema(of: type, description: description, constraints: constraints, default: nil)
    self.isRequired = isRequired && !(type is any OptionalSchemaMarker.Type)
  }

  /// A property with a default value, which is recorded as the schema's `default` and makes it optional.
  public init<T: SchemaRepresentable>(
    _ name: String,
    _ type: T.Type,
    description: String? = nil,
    constraints: [SchemaConstraint] = [],
    default defaultValue: T
  ) {
    self.name = name
    let defaultJSON = SchemaCoding.jsonValue(ofDefault: defaultValue)
    self.schema = Self.schema(of: type, description: description, constraints: constraints, default: defaultJSON)
    self.isRequired = false
  }

  private static func schema<T: SchemaRepresentable>(
    of type: T.Type,
    description: String?,
    constraints: [SchemaConstraint],
    default defaultValue: JSONValue?
  ) -> JSONSchema {
    var schema = T.jsonSchema
    for constraint in constraints { constraint.apply(to: &schema) }
    guard case .object(var object) = schema.value else { return schema }
    if let description, !description.isEmpty { object["description"] = .string(description) }
    if let defaultValue, !defaultValue.isNull { object["default"] = defaultValue }
    return JSONSchema(.object(object))
  }
}

/// One case of an enum with associated values, described as an object with a single key (the case name).
public struct SchemaEnumCase: Sendable {
  /// The case name, which is the object's only key.
  public var name: String
  /// What the case means.
  public var description: String?
  /// The associated values, keyed by label (`_0`, `_1`, … for unlabeled values).
  public var properties: [SchemaProperty]

  /// Creates a case description.
  public init(_ name: String, description: String? = nil, properties: [SchemaProperty] = []) {
    self.name = name
    self.description = description
    self.properties = properties
  }
}

/// Marks `Optional` so that properties of optional type are never required.
protocol OptionalSchemaMarker {}

extension Optional: OptionalSchemaMarker {}

extension JSONSchema {
  /// An `object` schema for `type` with `properties` in order; `required` lists the required ones.
  ///
  /// `properties` is called lazily, inside recursion tracking: a type that contains itself becomes a `$ref`.
  public static func object(
    for type: Any.Type,
    description: String? = nil,
    properties: () -> [SchemaProperty]
  ) -> JSONSchema {
    named(type) { objectValue(description: description, properties: properties(), closed: false) }
  }

  /// A string schema whose values are `values` (an enum with `String` raw values or no raw values).
  public static func enumeration(_ values: [String], description: String? = nil) -> JSONSchema {
    var object: JSONObject = ["type": "string"]
    if let description, !description.isEmpty { object["description"] = .string(description) }
    object["enum"] = .array(values.map(JSONValue.string))
    return JSONSchema(.object(object))
  }

  /// An integer schema whose values are `values` (an enum with integer raw values).
  public static func enumeration<Integer: BinaryInteger>(
    _ values: [Integer],
    description: String? = nil
  ) -> JSONSchema {
    var object: JSONObject = ["type": "integer"]
    if let description, !description.isEmpty { object["description"] = .string(description) }
    object["enum"] = .array(values.map { JSONValue.int(Int($0)) })
    return JSONSchema(.object(object))
  }

  /// An `anyOf` schema for an enum with associated values, in the shape Swift's synthesized `Codable` uses:
  /// each case is an object with one key, the case name, whose value holds the associated values.
  public static func cases(
    for type: Any.Type,
    description: String? = nil,
    cases: () -> [SchemaEnumCase]
  ) -> JSONSchema {
    named(type) {
      let branches = cases().map { enumCase -> JSONValue in
        let payload = objectValue(description: nil, properties: enumCase.properties, closed: true)
        let property = SchemaProperty(name: enumCase.name, schema: JSONSchema(payload), isRequired: true)
        return objectValue(description: enumCase.description, properties: [property], closed: true)
      }
      var object = JSONObject()
      if let description, !description.isEmpty { object["description"] = .string(description) }
      object["anyOf"] = .array(branches)
      return .object(object)
    }
  }

  private static func objectValue(description: String?, properties: [SchemaProperty], closed: Bool) -> JSONValue {
    var object: JSONObject = ["type": "object"]
    if let description, !description.isEmpty { object["description"] = .string(description) }
    object["properties"] = .object(JSONObject(properties.map { ($0.name, $0.schema.value) }))
    object["required"] = .array(properties.filter(\.isRequired).map { .string($0.name) })
    if closed { object["additionalProperties"] = false }
    return .object(object)
  }
}

extension SchemaProperty {
  init(name: String, schema: JSONSchema, isRequired: Bool) {
    self.name = name
    self.schema = schema
    self.isRequired = isRequired
  }
}
