import SwiftSyntax

/// Generates the members of a `@Schema` enum with associated values: an `anyOf` schema of single-key objects
/// and the matching coder, `{"caseName": {"label": value, "_1": value}}` (Swift's synthesized `Codable` shape).
enum PayloadEnumExpansion {
  /// One associated value.
  private struct Value {
    /// The argument label, or `nil` when unlabeled.
    var label: String?
    /// The JSON key: the label, or `_<index>`.
    var key: String
    var type: String
    var optionalWrapped: String?
    var defaultValue: ExprSyntax?

    var keyExpression: String { "Agents.AnyCodingKey(\(SyntaxHelpers.stringLiteral(key)))" }
  }

  static func members(of enumDecl: EnumDeclSyntax, cases: [EnumCase], header: ExpansionHeader) -> [String] {
    var members = [schema(cases, header: header)]
    if !SyntaxHelpers.declaresDecoder(enumDecl) { members.append(decoder(cases, access: header.access)) }
    if header.generatesEncoder && !SyntaxHelpers.declaresEncoder(enumDecl) {
      members.append(encoder(cases, access: header.access))
    }
    return members
  }

  private static func values(of enumCase: EnumCase) -> [Value] {
    Array(enumCase.parameters ?? []).enumerated().map { index, parameter in
      let label = parameter.firstName.map(SyntaxHelpers.plainName).flatMap { $0 == "_" ? nil : $0 }
      return Value(
        label: label,
        key: label ?? "_\(index)",
        type: SyntaxHelpers.typeExpression(parameter.type),
        optionalWrapped: SyntaxHelpers.optionalWrappedType(parameter.type)?.trimmedDescription,
        defaultValue: parameter.defaultValue?.value
      )
    }
  }

  private static func schema(_ cases: [EnumCase], header: ExpansionHeader) -> String {
    let list = cases.map { enumCase -> String in
      var arguments = [SyntaxHelpers.stringLiteral(enumCase.key)]
      if let description = enumCase.description { arguments.append("description: \(description)") }
      let values = values(of: enumCase)
      if !values.isEmpty {
        let properties = values.map { value -> String in
          var property = "Agents.SchemaProperty(\(SyntaxHelpers.stringLiteral(value.key)), \(value.type).self"
          if let defaultValue = value.defaultValue {
            property +=
              SyntaxHelpers.isConstant(defaultValue)
              ? ", default: \(defaultValue.trimmedDescription)" : ", isRequired: false"
          }
          return property + ")"
        }
        arguments.append("properties: [\(properties.joined(separator: ", "))]")
      }
      return "      Agents.SchemaEnumCase(\(arguments.joined(separator: ", "))),"
    }
    return GeneratedCode.lines(
      [
        "\(header.access)nonisolated static var jsonSchema: Agents.JSONSchema {",
        "  Agents.JSONSchema.cases(for: Self.self\(header.descriptionArgument)) {",
        "    [",
      ] + list + ["    ]", "  }", "}"]
    )
  }

  private static func decoder(_ cases: [EnumCase], access: String) -> String {
    let keys = SyntaxHelpers.quotedList(cases.map(\.key))
    var branches: [String] = []
    for enumCase in cases {
      branches.append("  case \(SyntaxHelpers.stringLiteral(enumCase.key)):")
      let values = values(of: enumCase)
      guard !values.isEmpty else {
        branches.append("    self = .\(enumCase.name)")
        continue
      }
      let arguments = values.map { value -> String in
        let decoded: String
        if let defaultValue = value.defaultValue {
          decoded = "values.decodeIfPresent(\(value.optionalWrapped ?? value.type).self, forKey: \(value.keyExpression))"
            + " ?? \(defaultValue.trimmedDescription)"
        } else if let wrapped = value.optionalWrapped {
          decoded = "values.decodeIfPresent(\(wrapped).self, forKey: \(value.keyExpression))"
        } else {
          decoded = "values.decode(\(value.type).self, forKey: \(value.keyExpression))"
        }
        return value.label.map { "\($0): \(decoded)" } ?? decoded
      }
      branches.append("    let values = try container.nestedContainer(keyedBy: Agents.AnyCodingKey.self, forKey: key)")
      branches.append("    self = try .\(enumCase.name)(\(arguments.joined(separator: ", ")))")
    }
    return GeneratedCode.lines(
      [
        "\(access)nonisolated init(from decoder: any Swift.Decoder) throws {",
        "  let container = try decoder.container(keyedBy: Agents.AnyCodingKey.self)",
        "  guard container.allKeys.count == 1, let key = container.allKeys.first else {",
        "    throw Swift.DecodingError.dataCorrupted(",
        "      Swift.DecodingError.Context(",
        "        codingPath: container.codingPath,",
        "        debugDescription: \"expected an object with exactly one key, one of \(keys)\"",
        "      )",
        "    )",
        "  }",
        "  switch key.stringValue {",
      ] + branches + [
        "  default:",
        "    throw Swift.DecodingError.dataCorruptedError(",
        "      forKey: key,",
        "      in: container,",
        "      debugDescription: \"expected one of the keys \(keys), got \\\"\\(key.stringValue)\\\"\"",
        "    )",
        "  }",
        "}",
      ]
    )
  }

  private static func encoder(_ cases: [EnumCase], access: String) -> String {
    var branches: [String] = []
    for enumCase in cases {
      let values = values(of: enumCase)
      let caseKey = "Agents.AnyCodingKey(\(SyntaxHelpers.stringLiteral(enumCase.key)))"
      guard !values.isEmpty else {
        branches.append("  case .\(enumCase.name):")
        branches.append("    _ = container.nestedContainer(keyedBy: Agents.AnyCodingKey.self, forKey: \(caseKey))")
        continue
      }
      let bindings = values.indices.map { "let value\($0)" }.joined(separator: ", ")
      branches.append("  case .\(enumCase.name)(\(bindings)):")
      branches.append(
        "    var values = container.nestedContainer(keyedBy: Agents.AnyCodingKey.self, forKey: \(caseKey))"
      )
      for (index, value) in values.enumerated() {
        let method = value.optionalWrapped == nil ? "encode" : "encodeIfPresent"
        branches.append("    try values.\(method)(value\(index), forKey: \(value.keyExpression))")
      }
    }
    return GeneratedCode.lines(
      [
        "\(access)nonisolated func encode(to encoder: any Swift.Encoder) throws {",
        "  var container = encoder.container(keyedBy: Agents.AnyCodingKey.self)",
        "  switch self {",
      ] + branches + ["  }", "}"]
    )
  }
}
