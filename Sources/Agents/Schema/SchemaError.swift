/// An error from schema handling: a schema that cannot be made strict, or a value that does not fit a schema.
///
/// `message` says what happened and what to do; for validation failures it is written for the model, which
/// receives it in place of a tool result so that it can correct its arguments.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What kind of failure this is.
  public struct Code: Sendable, Hashable, CustomStringConvertible {
    private let name: String
    private init(_ name: String) { self.name = name }

    /// The schema cannot be converted to strict mode (for example a dictionary, or a root `anyOf`).
    public static let notStrictCompatible = Code("notStrictCompatible")
    /// The schema is malformed (an unresolvable `$ref`, a `$ref` cycle, or nesting that is too deep).
    public static let malformedSchema = Code("malformedSchema")
    /// Text that should be JSON (a model's tool-call arguments) does not parse.
    public static let invalidJSON = Code("invalidJSON")
    /// A value does not satisfy the schema; `violations` lists why.
    public static let valueDoesNotMatch = Code("valueDoesNotMatch")

    /// The code's name.
    public var description: String { name }
  }

  /// What kind of failure this is.
  public var code: Code
  /// A human-readable explanation: what happened and what to do next.
  public var message: String
  /// For ``Code/valueDoesNotMatch``, every problem found (at most the validator's limit); empty otherwise.
  public var violations: [SchemaViolation]

  /// Creates an error.
  public init(code: Code, message: String, violations: [SchemaViolation] = []) {
    self.code = code
    self.message = message
    self.violations = violations
  }

  /// The message.
  public var description: String { message }
}

/// One way in which a JSON value does not satisfy a schema.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
  /// Where in the value the problem is, as a JSONPath such as `$.days` or `$.stops[2].city`.
  public var path: String
  /// A complete sentence a model can act on, such as `expected integer at $.days, got string "three"`.
  public var message: String

  /// Creates a violation.
  public init(path: String, message: String) {
    self.path = path
    self.message = message
  }

  /// The message.
  public var description: String { message }
}
