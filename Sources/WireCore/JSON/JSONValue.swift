/// A JSON value whose objects keep their keys in insertion order.
///
/// Used for tool schemas, tool arguments, server-specific passthrough fields and anything else whose
/// shape is not known at compile time. Object key order is preserved when parsing and when
/// serializing, so schemas reach the model exactly as they were written.
public enum JSONValue: Sendable, Hashable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A number without a fraction or exponent that fits in an `Int`.
  case int(Int)
  /// Any other number.
  case double(Double)
  /// A string.
  case string(String)
  /// An array.
  case array([JSONValue])
  /// An object with ordered keys.
  case object(JSONObject)
}

/// An ordered JSON object: keys keep the order in which they were inserted or parsed.
///
/// Lookups are linear, which is faster than hashing for the small objects JSON messages carry.
/// Two objects are equal when they hold the same keys with equal values, in any order.
public struct JSONObject: Sendable, Hashable, ExpressibleByDictionaryLiteral, Sequence {
  /// The key–value pairs in order.
  public private(set) var fields: [(key: String, value: JSONValue)]

  /// Creates an empty object.
  public init() { fields = [] }

  /// Creates an object from ordered pairs; a later duplicate key replaces the earlier value.
  public init(_ pairs: [(String, JSONValue)]) {
    fields = []
    fields.reserveCapacity(pairs.count)
    for (key, value) in pairs { self[key] = value }
  }

  /// Creates an object from freshly parsed pairs without copying them; a later duplicate key replaces the
  /// earlier value (at the earlier position), as the subscript setter does.
  init(parsed pairs: [(key: String, value: JSONValue)]) {
    if JSONObject.hasDuplicateKeys(pairs) {
      self.init(pairs.map { ($0.key, $0.value) })
    } else {
      self.init()
      fields = pairs
    }
  }

  private static func hasDuplicateKeys(_ pairs: [(key: String, value: JSONValue)]) -> Bool {
    guard pairs.count > 1 else { return false }
    for later in 1..<pairs.count {
      let key = pairs[later].key
      let length = key.utf8.count
      for earlier in 0..<later where pairs[earlier].key.utf8.count == length && pairs[earlier].key == key {
        return true
      }
    }
    return false
  }

  /// Creates an object from a dictionary literal, keeping the literal's order.
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self.init(elements)
  }

  /// The keys in order.
  public var keys: [String] { fields.map(\.key) }

  /// The number of keys.
  public var count: Int { fields.count }

  /// Whether the object has no keys.
  public var isEmpty: Bool { fields.isEmpty }

  /// The value for `key`; setting `nil` removes the key, setting a new key appends it.
  public subscript(key: String) -> JSONValue? {
    get { fields.first(where: { $0.key == key })?.value }
    set {
      if let index = fields.firstIndex(where: { $0.key == key }) {
        if let newValue { fields[index].value = newValue } else { fields.remove(at: index) }
      } else if let newValue {
        fields.append((key, newValue))
      }
    }
  }

  /// Iterates the pairs in order.
  public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
    fields.makeIterator()
  }

  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    guard lhs.count == rhs.count else { return false }
    for (key, value) in lhs.fields where rhs[key] != value { return false }
    return true
  }

  public func hash(into hasher: inout Hasher) {
    // Order-independent: combine per-field hashes commutatively.
    var combined = 0
    for (key, value) in fields {
      var fieldHasher = Hasher()
      fieldHasher.combine(key)
      fieldHasher.combine(value)
      combined ^= fieldHasher.finalize()
    }
    hasher.combine(fields.count)
    hasher.combine(combined)
  }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
  ExpressibleByDictionaryLiteral
{
  public init(nilLiteral: ()) { self = .null }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(integerLiteral value: Int) { self = .int(value) }
  public init(floatLiteral value: Double) { self = .double(value) }
  public init(stringLiteral value: String) { self = .string(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
}

extension JSONValue {
  /// The string, if this is a string.
  public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
  /// The boolean, if this is a boolean.
  public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
  /// The number as an `Int`, if this is an integral number.
  public var intValue: Int? {
    switch self {
    case .int(let i): i
    case .double(let d) where d.rounded() == d && abs(d) < 9.2e18: Int(d)
    default: nil
    }
  }
  /// The number as a `Double`, if this is a number.
  public var doubleValue: Double? {
    switch self {
    case .int(let i): Double(i)
    case .double(let d): d
    default: nil
    }
  }
  /// The elements, if this is an array.
  public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
  /// The object, if this is an object.
  public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }
  /// Whether this is `null`.
  public var isNull: Bool { if case .null = self { true } else { false } }

  /// The member `key` of an object, or `nil` for other values and missing keys.
  public subscript(key: String) -> JSONValue? {
    if case .object(let o) = self { o[key] } else { nil }
  }
}

extension JSONValue {
  /// Equality as JSON sees it: numbers compare by value, so `1`, `1.0` and `1e0` are equal however they
  /// were parsed; objects compare regardless of key order.
  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.int(let a), .int(let b)): return a == b
    case (.double(let a), .double(let b)): return a == b
    case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return JSONValue.sameNumber(a, b)
    case (.string(let a), .string(let b)): return a == b
    case (.array(let a), .array(let b)): return a == b
    case (.object(let a), .object(let b)): return a == b
    default: return false
    }
  }

  /// Hashes consistently with `==`: an integral number hashes the same as an `int` or a `double`.
  public func hash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0)
    case .bool(let value): hasher.combine(value)
    case .int(let value): hasher.combine(Double(value))
    case .double(let value): hasher.combine(value)
    case .string(let value): hasher.combine(value)
    case .array(let elements): hasher.combine(elements)
    case .object(let object): hasher.combine(object)
    }
  }

  private static func sameNumber(_ integer: Int, _ double: Double) -> Bool {
    guard double.rounded() == double, abs(double) < 9.2e18 else { return false }
    return Int(double) == integer
  }
}
