import Yams

/// Reads typed fields out of composed YAML nodes, recording a located issue for every mismatch
/// instead of stopping at the first, so one run reports everything wrong with a file.
struct YAMLFieldReader {
  private(set) var issues: [ConfigFileError.Issue] = []
  /// What the fields being read belong to, e.g. `agent 'reviewer'`; named in every field message.
  var subject: String?

  /// `'field'`, preceded by the subject when there is one.
  private func named(_ field: String) -> String {
    subject.map { "\($0): '\(field)'" } ?? "'\(field)'"
  }

  /// Records a problem at `node`'s position (or at `fallback` when the node has no mark).
  mutating func report(_ message: String, at node: Node?, fallback: Mark? = nil) {
    let mark = node?.mark ?? fallback
    issues.append(ConfigFileError.Issue(line: mark?.line, column: mark?.column, message: message))
  }

  /// The pairs of a mapping whose keys are all known; unknown keys and non-string keys are reported.
  mutating func fields(
    of node: Node, in context: String, allowed: [String]
  ) -> [(key: String, keyNode: Node, value: Node)]? {
    guard let mapping = node.mapping else {
      report("\(context) must be a mapping of keys to values, but found \(Self.describe(node))", at: node)
      return nil
    }
    var fields: [(key: String, keyNode: Node, value: Node)] = []
    for (keyNode, value) in mapping {
      guard let key = keyNode.scalar?.string else {
        report("\(context) has a key that is not a plain name", at: keyNode)
        continue
      }
      guard allowed.contains(key) else {
        report(
          "unknown key '\(key)' in \(context)\(Suggestions.didYouMean(key, in: allowed)); expected one of: "
            + allowed.joined(separator: ", "),
          at: keyNode)
        continue
      }
      fields.append((key, keyNode, value))
    }
    return fields
  }

  /// One named entry of a list (an agent, an MCP server): its known fields in file order and by key, with
  /// ``subject`` set to the words that name it (`naming` its `nameKey` value, or `description` while it has none)
  /// for the caller to clear when done. `nil` after reporting a node that is not a mapping.
  mutating func entry(
    _ node: Node, in description: String, allowed: [String], nameKey: String, naming: (String) -> String
  ) -> (fields: [(key: String, keyNode: Node, value: Node)], values: [String: Node])? {
    guard let fields = fields(of: node, in: description, allowed: allowed) else { return nil }
    var values: [String: Node] = [:]
    for field in fields { values[field.key] = field.value }
    subject = values[nameKey]?.scalar.map { naming($0.string) } ?? description
    return (fields, values)
  }

  /// A non-empty string scalar, or `nil` after reporting what was found.
  mutating func string(_ node: Node, field: String, allowEmpty: Bool = false) -> String? {
    guard let scalar = node.scalar, !Self.isNull(node) else {
      report("\(named(field)) must be text, but found \(Self.describe(node))", at: node)
      return nil
    }
    let text = scalar.string
    guard allowEmpty || !text.trimmingWhitespace().isEmpty else {
      report("\(named(field)) must not be empty", at: node)
      return nil
    }
    return text
  }

  /// A number in `range`, or `nil` after reporting.
  mutating func number(_ node: Node, field: String, range: ClosedRange<Double>) -> Double? {
    guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any,
      let value = Double(scalar.string), value.isFinite
    else {
      report("\(named(field)) must be a number, but found \(Self.describe(node))", at: node)
      return nil
    }
    guard range.contains(value) else {
      report(
        "\(named(field)) must be between \(Self.format(range.lowerBound)) and \(Self.format(range.upperBound)), but is \(scalar.string)",
        at: node)
      return nil
    }
    return value
  }

  /// A value for `setting`, read and checked as its declaration says, or `nil` after reporting.
  mutating func value(_ node: Node, of setting: Setting) -> Setting.Value? {
    let field = setting.key
    switch setting.kind {
    case .integer(let range): return integer(node, field: field, range: range).map(Setting.Value.integer)
    case .number(let range): return number(node, field: field, range: range).map(Setting.Value.number)
    case .flag: return boolean(node, field: field).map(Setting.Value.flag)
    case .keyValues: return pairs(node, field: field).map(Setting.Value.pairs)
    case .text, .secret, .url, .choice, .path:
      guard let text = string(node, field: field) else { return nil }
      switch setting.parse(text) {
      case .success(let value): return value
      case .failure(let problem):
        if case .url = setting.kind {
          report("\(named(field)) is not usable. \(problem.reason)", at: node)
        } else {
          report("\(named(field)) must be \(setting.requirement), but is '\(problem.shownText)'", at: node)
        }
        return nil
      }
    }
  }

  /// A mapping of names to scalars or lists of scalars as `key=value` pairs, each value as JSON (`top_k=40`,
  /// `stop=["END"]`, `mirostat_eta="0.1x"`); also a `key=value` text or a list of them, as on the command line; or
  /// `nil` after reporting.
  mutating func pairs(_ node: Node, field: String) -> [String]? {
    guard let mapping = node.mapping else {
      guard let texts = stringList(node, field: field) else { return nil }
      for (text, element) in texts where text.hasPrefix("=") || !text.contains("=") {
        report(
          "\(named(field)) must be a mapping such as {top_k: 40} or key=value texts, but found '\(text)'", at: element)
        return nil
      }
      return texts.map(\.value)
    }
    var pairs: [String] = []
    for (keyNode, value) in mapping {
      guard let key = keyNode.scalar?.string, !key.isEmpty else {
        report("\(named(field)) has a key that is not a plain name", at: keyNode)
        continue
      }
      let items: [Node] = value.sequence.map { Array($0) } ?? [value]
      guard items.allSatisfy({ $0.scalar != nil }) else {
        report(
          "\(named(field)): '\(key)' must be a value or a list of values, but found \(Self.describe(value))", at: value)
        continue
      }
      let json = items.map { Self.json(of: $0) }
      pairs.append("\(key)=" + (value.sequence == nil ? json[0] : "[" + json.joined(separator: ",") + "]"))
    }
    return pairs
  }

  /// A scalar as JSON: a plain number, boolean or null as it is, anything else as a JSON string.
  private static func json(of node: Node) -> String {
    if isNull(node) { return "null" }
    let text = node.scalar?.string ?? ""
    let plain = node.scalar?.style == .plain || node.scalar?.style == .any
    if plain, let value = try? JSONValue.parse(text), value.stringValue == nil, value.arrayValue == nil,
      value.objectValue == nil
    {
      return value.jsonString
    }
    return JSONValue.string(text).jsonString
  }

  /// A boolean (`true`/`false`, `yes`/`no`, `on`/`off`), or `nil` after reporting.
  mutating func boolean(_ node: Node, field: String) -> Bool? {
    guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any,
      let value = Setting.flagValue(scalar.string)
    else {
      report("\(named(field)) must be true or false, but found \(Self.describe(node))", at: node)
      return nil
    }
    return value
  }

  /// A whole number in `range`, or `nil` after reporting.
  mutating func integer(_ node: Node, field: String, range: ClosedRange<Int>) -> Int? {
    guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any, let value = Int(scalar.string)
    else {
      report("\(named(field)) must be a whole number, but found \(Self.describe(node))", at: node)
      return nil
    }
    guard range.contains(value) else {
      report("\(named(field)) must be between \(range.lowerBound) and \(range.upperBound), but is \(value)", at: node)
      return nil
    }
    return value
  }

  /// A list of strings (a single string is accepted as a one-element list), or `nil` after reporting.
  mutating func stringList(_ node: Node, field: String, allowEmptyItems: Bool = false) -> [(value: String, node: Node)]? {
    if node.scalar != nil, !Self.isNull(node) {
      guard let single = string(node, field: field, allowEmpty: allowEmptyItems) else { return nil }
      return [(single, node)]
    }
    guard let sequence = node.sequence else {
      report("\(named(field)) must be a list of names, e.g. [a, b], but found \(Self.describe(node))", at: node)
      return nil
    }
    var values: [(value: String, node: Node)] = []
    for element in sequence {
      guard let text = string(element, field: "\(field)[]", allowEmpty: allowEmptyItems) else { continue }
      values.append((text, element))
    }
    return values
  }

  /// Whether a node is YAML null (`~`, `null`, or nothing).
  static func isNull(_ node: Node) -> Bool {
    guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any else { return false }
    return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
  }

  /// A short description of a node for messages: `a list`, `a mapping`, `text 'abc'`, `nothing`.
  static func describe(_ node: Node) -> String {
    switch node {
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    case .scalar(let scalar):
      if isNull(node) { return "nothing" }
      let text = scalar.string.count > 40 ? String(scalar.string.prefix(40)) + "…" : scalar.string
      return "'\(text)'"
    }
  }

  private static func format(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }
}
