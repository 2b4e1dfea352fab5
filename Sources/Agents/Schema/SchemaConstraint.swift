/// A restriction on the values of one property, written in `@Guide` and added to the property's schema.
///
/// ```swift
/// @Guide("Number of days to forecast", .range(1...10)) var days: Int
/// @Guide(.count(1...5)) var tags: [String]
/// @Guide(.anyOf(["low", "medium", "high"])) var priority: String
/// @Guide(.pattern("^[A-Z]{3}$")) var airport: String
/// @Guide(.element(.range(0...100))) var scores: [Int]
/// ```
///
/// Constraints apply to the kind of schema they meet: `count` limits the length of a string or the number of
/// items of an array; `range`, `minimum` and `maximum` bound numbers; `pattern` and `anyOf` restrict strings
/// (on an array of strings, `anyOf` restricts the items). `element` applies a constraint to array items.
public struct SchemaConstraint: Sendable, Hashable {
  indirect enum Kind: Sendable, Hashable {
    case bounds(minimum: JSONValue?, maximum: JSONValue?)
    case count(minimum: Int?, maximum: Int?)
    case pattern(String)
    case allowedValues([String])
    case element(SchemaConstraint)
  }

  let kind: Kind

  /// Numbers between `range.lowerBound` and `range.upperBound`, inclusive.
  public static func range(_ range: ClosedRange<Int>) -> SchemaConstraint {
    SchemaConstraint(kind: .bounds(minimum: .int(range.lowerBound), maximum: .int(range.upperBound)))
  }

  /// Numbers between `range.lowerBound` and `range.upperBound`, inclusive.
  public static func range(_ range: ClosedRange<Double>) -> SchemaConstraint {
    SchemaConstraint(kind: .bounds(minimum: .double(range.lowerBound), maximum: .double(range.upperBound)))
  }

  /// Numbers greater than or equal to `value`.
  public static func minimum(_ value: Int) -> SchemaConstraint {
    SchemaConstraint(kind: .bounds(minimum: .int(value), maximum: nil))
  }

  /// Numbers greater than or equal to `value`.
  public static func minimum(_ value: Double) -> SchemaConstraint {
    SchemaConstraint(kind: .bounds(minimum: .double(value), maximum: nil))
  }

  /// Numbers less than or equal to `value`.
  public static func maximum(_ value: Int) -> SchemaConstraint {
    SchemaConstraint(kind: .bounds(minimum: nil, maximum: .int(value)))
  }

  /// Numbers less than or equal to `value`.
  public static func maximum(_ value: Double) -> SchemaConstraint {
    SchemaConstraint(kind: .bounds(minimum: nil, maximum: .double(value)))
  }

  /// Strings of `range` characters, or arrays of `range` items.
  public static func count(_ range: ClosedRange<Int>) -> SchemaConstraint {
    SchemaConstraint(kind: .count(minimum: range.lowerBound, maximum: range.upperBound))
  }

  /// Strings of exactly `count` characters, or arrays of exactly `count` items.
  public static func count(_ count: Int) -> SchemaConstraint {
    SchemaConstraint(kind: .count(minimum: count, maximum: count))
  }

  /// Strings of at least `count` characters, or arrays of at least `count` items.
  public static func minimumCount(_ count: Int) -> SchemaConstraint {
    SchemaConstraint(kind: .count(minimum: count, maximum: nil))
  }

  /// Strings of at most `count` characters, or arrays of at most `count` items.
  public static func maximumCount(_ count: Int) -> SchemaConstraint {
    SchemaConstraint(kind: .count(minimum: nil, maximum: count))
  }

  /// Strings that contain a match of the regular expression `regex` (anchor it with `^…$` to match whole strings).
  public static func pattern(_ regex: String) -> SchemaConstraint {
    SchemaConstraint(kind: .pattern(regex))
  }

  /// Strings that are one of `values` (a JSON Schema `enum`).
  public static func anyOf(_ values: [String]) -> SchemaConstraint {
    SchemaConstraint(kind: .allowedValues(values))
  }

  /// Applies `constraint` to each item of an array.
  public static func element(_ constraint: SchemaConstraint) -> SchemaConstraint {
    SchemaConstraint(kind: .element(constraint))
  }

  /// Adds this constraint's keywords to `schema`.
  public func apply(to schema: inout JSONSchema) {
    guard case .object(var object) = schema.value else { return }
    apply(to: &object)
    schema.value = .object(object)
  }

  private func apply(to object: inout JSONObject) {
    let isArray = object["type"] == "array"
    switch kind {
    case .bounds(let minimum, let maximum):
      if let minimum { object["minimum"] = minimum }
      if let maximum { object["maximum"] = maximum }
    case .count(let minimum, let maximum):
      let (lower, upper) = isArray ? ("minItems", "maxItems") : ("minLength", "maxLength")
      if let minimum { object[lower] = .int(minimum) }
      if let maximum { object[upper] = .int(maximum) }
    case .pattern(let regex):
      object["pattern"] = .string(regex)
    case .allowedValues(let values):
      if isArray {
        applyToItems(of: &object)
      } else {
        object["enum"] = .array(values.map(JSONValue.string))
      }
    case .element(let constraint):
      constraint.applyToItems(of: &object)
    }
  }

  private func applyToItems(of object: inout JSONObject) {
    guard case .object(var items) = object["items"] ?? .object([:]) else { return }
    apply(to: &items)
    object["items"] = .object(items)
  }
}
