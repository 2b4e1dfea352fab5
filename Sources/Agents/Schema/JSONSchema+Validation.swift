extension JSONSchema {
  /// The ways `value` fails to satisfy this schema, at most `limit` of them; empty when it fits.
  ///
  /// Checks `type`, `enum`, `const`, `properties`, `required`, `additionalProperties`, `items`, `anyOf`,
  /// `oneOf` (treated as `anyOf`), `allOf`, local `$ref`s, numeric bounds, string lengths and `pattern`, and
  /// array sizes and `uniqueItems`. `format` is not checked (decoding checks dates, URLs and UUIDs).
  /// Recursion is bounded, so a hostile value or a cyclic schema cannot exhaust the stack.
  ///
  /// With `nullMeansAbsent` (the default), a `null` member that the object does not require is accepted as
  /// if it were missing, which is how the `@Schema` decoders treat it and what models often send for
  /// optional arguments.
  public func violations(of value: JSONValue, limit: Int = 10, nullMeansAbsent: Bool = true) -> [SchemaViolation] {
    var validator = SchemaValidator(root: self.value, limit: max(1, limit), nullMeansAbsent: nullMeansAbsent)
    validator.check(value, against: self.value, path: "$", depth: 0)
    return validator.violations
  }

  /// Checks that `value` satisfies this schema.
  ///
  /// - Throws: ``SchemaError`` with code ``SchemaError/Code/valueDoesNotMatch``, whose message lists every
  ///   problem in words a model can act on, for example
  ///   `missing required property 'city'; expected integer at $.days, got string "three"`.
  public func validate(_ value: JSONValue) throws(SchemaError) {
    let found = violations(of: value)
    guard !found.isEmpty else { return }
    throw SchemaError(
      code: .valueDoesNotMatch,
      message: found.map(\.message).joined(separator: "; "),
      violations: found
    )
  }
}

/// Walks a value and a schema together, collecting violations; see ``JSONSchema/violations(of:limit:)``.
struct SchemaValidator {
  static let maximumDepth = 64

  let root: JSONValue
  let limit: Int
  let nullMeansAbsent: Bool
  private(set) var violations: [SchemaViolation] = []

  init(root: JSONValue, limit: Int, nullMeansAbsent: Bool) {
    self.root = root
    self.limit = limit
    self.nullMeansAbsent = nullMeansAbsent
  }

  mutating func check(_ value: JSONValue, against schema: JSONValue, path: String, depth: Int) {
    guard violations.count < limit else { return }
    guard depth <= Self.maximumDepth else {
      report(path, "the value at \(path) is nested deeper than \(Self.maximumDepth) levels; send a flatter value")
      return
    }
    switch schema {
    case .bool(false):
      report(path, "no value is allowed at \(path)")
      return
    case .object(let object):
      check(value, against: object, path: path, depth: depth)
    default:
      return
    }
  }

  private mutating func check(_ value: JSONValue, against schema: JSONObject, path: String, depth: Int) {
    if let reference = schema["$ref"]?.stringValue {
      guard let target = SchemaReference.lookUp(reference, in: root) else {
        report(path, "the schema's $ref \"\(reference)\" at \(path) cannot be resolved")
        return
      }
      check(value, against: target, path: path, depth: depth + 1)
    }
    if let types = Self.types(in: schema), !types.contains(where: { Self.value(value, hasType: $0) }) {
      report(path, "expected \(types.joined(separator: " or ")) at \(path), got \(Self.describe(value))")
      return
    }
    if case .array(let allowed) = schema["enum"], !allowed.contains(value) {
      let list = allowed.map { Self.truncated($0.jsonString) }.joined(separator: ", ")
      report(path, "expected one of \(list) at \(path), got \(Self.truncated(value.jsonString))")
    }
    if let constant = schema["const"], constant != value {
      report(path, "expected \(Self.truncated(constant.jsonString)) at \(path), got \(Self.describe(value))")
    }
    checkAlternatives(value, schema: schema, path: path, depth: depth)
    switch value {
    case .int, .double: checkNumber(value.doubleValue ?? 0, schema: schema, path: path)
    case .string(let text): checkString(text, schema: schema, path: path)
    case .array(let items): checkArray(items, schema: schema, path: path, depth: depth)
    case .object(let members): checkObject(members, schema: schema, path: path, depth: depth)
    case .null, .bool: break
    }
  }

  private mutating func checkAlternatives(_ value: JSONValue, schema: JSONObject, path: String, depth: Int) {
    if case .array(let parts) = schema["allOf"] {
      for part in parts { check(value, against: part, path: path, depth: depth + 1) }
    }
    for keyword in ["anyOf", "oneOf"] {
      guard case .array(let branches) = schema[keyword], !branches.isEmpty else { continue }
      var expectedTypes: [String] = []
      var best: [SchemaViolation]?
      for branch in branches {
        let resolved = resolvedObject(branch)
        if let types = resolved.flatMap(Self.types(in:)), !types.contains(where: { Self.value(value, hasType: $0) }) {
          expectedTypes += types.filter { !expectedTypes.contains($0) }
          continue
        }
        var attempt = SchemaValidator(root: root, limit: limit, nullMeansAbsent: nullMeansAbsent)
        attempt.check(value, against: branch, path: path, depth: depth + 1)
        if attempt.violations.isEmpty { return }
        if best == nil || attempt.violations.count < best!.count { best = attempt.violations }
      }
      if let best {
        for violation in best { report(violation.path, violation.message) }
      } else {
        report(path, "expected \(expectedTypes.joined(separator: " or ")) at \(path), got \(Self.describe(value))")
      }
    }
  }

  private mutating func checkNumber(_ number: Double, schema: JSONObject, path: String) {
    if let minimum = schema["minimum"]?.doubleValue, number < minimum {
      report(path, "expected a number >= \(Self.format(minimum)) at \(path), got \(Self.format(number))")
    }
    if let maximum = schema["maximum"]?.doubleValue, number > maximum {
      report(path, "expected a number <= \(Self.format(maximum)) at \(path), got \(Self.format(number))")
    }
    if let minimum = schema["exclusiveMinimum"]?.doubleValue, number <= minimum {
      report(path, "expected a number > \(Self.format(minimum)) at \(path), got \(Self.format(number))")
    }
    if let maximum = schema["exclusiveMaximum"]?.doubleValue, number >= maximum {
      report(path, "expected a number < \(Self.format(maximum)) at \(path), got \(Self.format(number))")
    }
  }

  private mutating func checkString(_ text: String, schema: JSONObject, path: String) {
    let length = text.count
    if let minimum = schema["minLength"]?.intValue, length < minimum {
      report(path, "expected at least \(Self.counted(minimum, "character")) at \(path), got \(length)")
    }
    if let maximum = schema["maxLength"]?.intValue, length > maximum {
      report(path, "expected at most \(Self.counted(maximum, "character")) at \(path), got \(length)")
    }
    if let pattern = schema["pattern"]?.stringValue, let regex = try? Regex(pattern),
      (try? regex.firstMatch(in: text)) == nil
    {
      report(path, "expected a string matching /\(pattern)/ at \(path), got \(Self.describe(.string(text)))")
    }
  }

  private mutating func checkArray(_ items: [JSONValue], schema: JSONObject, path: String, depth: Int) {
    if let minimum = schema["minItems"]?.intValue, items.count < minimum {
      report(path, "expected at least \(Self.counted(minimum, "item")) at \(path), got \(items.count)")
    }
    if let maximum = schema["maxItems"]?.intValue, items.count > maximum {
      report(path, "expected at most \(Self.counted(maximum, "item")) at \(path), got \(items.count)")
    }
    if schema["uniqueItems"] == true {
      outer: for index in items.indices {
        for earlier in items.indices[..<index] where items[earlier] == items[index] {
          report(path, "expected unique items at \(path), but item \(index) repeats item \(earlier)")
          break outer
        }
      }
    }
    switch schema["items"] {
    case .array(let tuple)?:
      for (index, item) in items.enumerated() where index < tuple.count {
        check(item, against: tuple[index], path: "\(path)[\(index)]", depth: depth + 1)
      }
    case let itemSchema?:
      for (index, item) in items.enumerated() {
        check(item, against: itemSchema, path: "\(path)[\(index)]", depth: depth + 1)
      }
    case nil:
      break
    }
  }

  private mutating func checkObject(_ members: JSONObject, schema: JSONObject, path: String, depth: Int) {
    let location = path == "$" ? "" : " in \(path)"
    for case .string(let name) in schema["required"]?.arrayValue ?? [] where members[name] == nil {
      report(Self.child(path, name), "missing required property '\(name)'\(location)")
    }
    let properties = schema["properties"]?.objectValue ?? JSONObject()
    let required = schema["required"]?.arrayValue ?? []
    for (name, member) in members {
      if nullMeansAbsent, member.isNull, properties[name] != nil, !required.contains(.string(name)) { continue }
      if let propertySchema = properties[name] {
        check(member, against: propertySchema, path: Self.child(path, name), depth: depth + 1)
        continue
      }
      switch schema["additionalProperties"] {
      case .bool(false)?:
        let allowed = properties.isEmpty ? "none" : properties.keys.joined(separator: ", ")
        report(Self.child(path, name), "unexpected property '\(name)'\(location) (allowed: \(allowed))")
      case let extra?:
        check(member, against: extra, path: Self.child(path, name), depth: depth + 1)
      case nil:
        break
      }
    }
  }

  private mutating func report(_ path: String, _ message: String) {
    guard violations.count < limit else { return }
    violations.append(SchemaViolation(path: path, message: message))
  }

  private func resolvedObject(_ schema: JSONValue) -> JSONObject? {
    guard case .object(let object) = schema else { return nil }
    guard let reference = object["$ref"]?.stringValue else { return object }
    return SchemaReference.lookUp(reference, in: root)?.objectValue
  }
}
