import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxMacros

/// Generates `jsonSchema` and `init(from:)` for a `@Schema` struct.
enum StructExpansion {
  /// The generated members' source, or `nil` when an error was diagnosed.
  static func members(
    of structDecl: StructDeclSyntax,
    header: ExpansionHeader,
    context: some MacroExpansionContext
  ) -> [String]? {
    var scanner = StoredPropertyScanner(context: context)
    let properties = scanner.scan(structDecl.memberBlock.members)
    if scanner.hasErrors { return nil }
    if properties.isEmpty && hasOnlyComputedProperties(structDecl) {
      context.diagnose(Diagnostic(node: structDecl.name, message: SchemaDiagnostic.noStoredProperties))
    }
    var members = [schemaProperty(properties, header: header)]
    if !SyntaxHelpers.declaresDecoder(structDecl) { members.append(decoder(properties, access: header.access)) }
    if header.generatesEncoder && !SyntaxHelpers.declaresEncoder(structDecl) {
      members.append(encoder(properties, access: header.access))
    }
    return members
  }

  private static func schemaProperty(_ properties: [StoredProperty], header: ExpansionHeader) -> String {
    let list = properties.isEmpty ? ["[]"] : ["["] + properties.map { "  " + propertyExpression($0) + "," } + ["]"]
    return GeneratedCode.lines(
      [
        "\(header.access)nonisolated static var jsonSchema: Agents.JSONSchema {",
        "  Agents.JSONSchema.object(for: Self.self\(header.descriptionArgument)) {",
      ] + list.map { "    " + $0 } + ["  }", "}"]
    )
  }

  /// `SchemaProperty("key", Type.self, description: …, constraints: […], default: …)`.
  private static func propertyExpression(_ property: StoredProperty) -> String {
    var arguments = [SyntaxHelpers.stringLiteral(property.key), "\(property.type).self"]
    if let description = property.description { arguments.append("description: \(description)") }
    if !property.constraints.isEmpty {
      arguments.append("constraints: [\(property.constraints.joined(separator: ", "))]")
    }
    if let defaultValue = property.defaultValue {
      if SyntaxHelpers.isConstant(defaultValue) {
        arguments.append("default: \(defaultValue.trimmedDescription)")
      } else {
        arguments.append("isRequired: false")
      }
    }
    return "Agents.SchemaProperty(\(arguments.joined(separator: ", ")))"
  }

  private static func decoder(_ properties: [StoredProperty], access: String) -> String {
    guard !properties.isEmpty else {
      return GeneratedCode.lines([
        "\(access)nonisolated init(from decoder: any Swift.Decoder) throws {",
        "  _ = try decoder.container(keyedBy: Agents.AnyCodingKey.self)",
        "}",
      ])
    }
    let assignments = properties.map { property -> String in
      let key = "Agents.AnyCodingKey(\(SyntaxHelpers.stringLiteral(property.key)))"
      if let defaultValue = property.defaultValue {
        let decoded = property.optionalWrapped ?? property.type
        return "self.\(property.name) = try container.decodeIfPresent(\(decoded).self, forKey: \(key))"
          + " ?? \(defaultValue.trimmedDescription)"
      }
      if let wrapped = property.optionalWrapped {
        return "self.\(property.name) = try container.decodeIfPresent(\(wrapped).self, forKey: \(key))"
      }
      return "self.\(property.name) = try container.decode(\(property.type).self, forKey: \(key))"
    }
    return GeneratedCode.lines(
      [
        "\(access)nonisolated init(from decoder: any Swift.Decoder) throws {",
        "  let container = try decoder.container(keyedBy: Agents.AnyCodingKey.self)",
      ] + assignments.map { "  " + $0 } + ["}"]
    )
  }

  private static func encoder(_ properties: [StoredProperty], access: String) -> String {
    let container = properties.isEmpty ? "_ = encoder" : "var container = encoder"
    let statements = properties.map { property -> String in
      let method = property.isOptional ? "encodeIfPresent" : "encode"
      return "try container.\(method)(self.\(property.name), forKey: Agents.AnyCodingKey("
        + "\(SyntaxHelpers.stringLiteral(property.key))))"
    }
    return GeneratedCode.lines(
      [
        "\(access)nonisolated func encode(to encoder: any Swift.Encoder) throws {",
        "  \(container).container(keyedBy: Agents.AnyCodingKey.self)",
      ] + statements.map { "  " + $0 } + ["}"]
    )
  }

  /// Whether the struct has instance properties and all of them are computed (an empty struct is fine).
  private static func hasOnlyComputedProperties(_ structDecl: StructDeclSyntax) -> Bool {
    let bindings = structDecl.memberBlock.members.flatMap { member -> [PatternBindingSyntax] in
      guard let variable = member.decl.as(VariableDeclSyntax.self),
        !variable.modifiers.contains(where: { $0.name.tokenKind == .keyword(.static) })
      else { return [] }
      return Array(variable.bindings)
    }
    return !bindings.isEmpty && bindings.allSatisfy(StoredPropertyScanner.isComputed)
  }
}
