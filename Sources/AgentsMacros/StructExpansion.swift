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
    if !declaresDecoder(structDecl) { members.append(decoder(properties, access: header.access)) }
    return members
  }

  private static func schemaProperty(_ properties: [StoredProperty], header: ExpansionHeader) -> String {
    let list = properties.isEmpty ? ["[]"] : ["["] + properties.map { "  " + propertyExpression($0) + "," } + ["]"]
    return GeneratedCode.lines(
      ["\(header.access)static var jsonSchema: JSONSchema {", "  JSONSchema.object(for: Self.self\(header.descriptionArgument)) {"]
        + list.map { "    " + $0 } + ["  }", "}"]
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
    return "SchemaProperty(\(arguments.joined(separator: ", ")))"
  }

  private static func decoder(_ properties: [StoredProperty], access: String) -> String {
    guard !properties.isEmpty else {
      return GeneratedCode.lines([
        "\(access)init(from decoder: any Decoder) throws {",
        "  _ = try decoder.container(keyedBy: AnyCodingKey.self)",
        "}",
      ])
    }
    let assignments = properties.map { property -> String in
      let key = "AnyCodingKey(\(SyntaxHelpers.stringLiteral(property.key)))"
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
        "\(access)init(from decoder: any Decoder) throws {",
        "  let container = try decoder.container(keyedBy: AnyCodingKey.self)",
      ] + assignments.map { "  " + $0 } + ["}"]
    )
  }

  /// Whether the struct body already declares `init(from:)`.
  static func declaresDecoder(_ decl: some DeclGroupSyntax) -> Bool {
    decl.memberBlock.members.contains { member in
      guard let initializer = member.decl.as(InitializerDeclSyntax.self) else { return false }
      let parameters = initializer.signature.parameterClause.parameters
      return parameters.count == 1 && parameters.first?.firstName.text == "from"
    }
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
