/// A JSON Schema document, as sent to the model for tool parameters and structured output.
///
/// Build one by hand from a ``JSONValue`` for unusual cases; for the common case let the `@Schema` macro
/// derive it from a Swift type (see ``SchemaRepresentable``).
public struct JSONSchema: Sendable, Hashable, CustomStringConvertible {
  /// The schema as JSON.
  public var value: JSONValue

  /// Wraps a schema written as JSON.
  public init(_ value: JSONValue) { self.value = value }

  /// The schema's compact JSON text.
  public var description: String { value.jsonString }
}

/// A type that can describe its values with a JSON Schema.
///
/// The `@Schema` macro makes structs and enums conform; the standard library's scalar, optional and
/// collection types conform already. Tool arguments and structured outputs are `SchemaRepresentable`
/// and `Decodable`.
public protocol SchemaRepresentable {
  /// The JSON Schema that every encoded value of this type satisfies.
  static var jsonSchema: JSONSchema { get }
}
