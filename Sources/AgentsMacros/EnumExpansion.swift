import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxMacros

/// Generates `jsonSchema` (and, for enums coded by case name, `init(from:)` and `encode(to:)`) for a
/// `@Schema` enum.
enum EnumExpansion {
  private struct Case {
    /// The case name as written, for `.name` and `Self.name`.
    var name: String
    /// The name without backticks: the JSON string or key.
    var key: String
    var description: String?
    var parameters: EnumCaseParameterListSyntax?
  }

  private static let integerRawTypes: Set<String> = [
    "Int", "Int8", "Int16", "Int32", "Int64", "UInt", "UInt8", "UInt16", "UInt32", "UInt64",
  ]

  static func members(
    of enumDecl: EnumDeclSyntax,
    header: ExpansionHeader,
    context: some MacroExpansionContext
  ) -> [String]? {
    let cases = collectCases(enumDecl)
    guard !cases.isEmpty else {
      context.diagnose(Diagnostic(node: enumDecl.name, message: SchemaDiagnostic.emptyEnum))
      return nil
    }
    if cases.contains(where: { $0.parameters != nil }) {
      return [payloadSchema(cases, header: header)]
    }
    let rawType = enumDecl.inheritanceClause?.inheritedTypes.first?.type.trimmedDescription.droppingSwiftPrefix()
    if rawType == "String" || integerRawTypes.contains(rawType ?? "") {
      let values = cases.map { "Self.\($0.name).rawValue" }.joined(separator: ", ")
      return [enumerationSchema(values: values, header: header)]
    }
    let values = cases.map { SyntaxHelpers.stringLiteral($0.key) }.joined(separator: ", ")
    var members = [enumerationSchema(values: values, header: header)]
    if !StructExpansion.declaresDecoder(enumDecl) { members.append(nameDecoder(cases, access: header.access)) }
    if !declaresEncoder(enumDecl) { members.append(nameEncoder(cases, access: header.access)) }
    return members
  }

  private static func collectCases(_ enumDecl: EnumDeclSyntax) -> [Case] {
    var cases: [Case] = []
    for member in enumDecl.memberBlock.members {
      guard let caseDecl = member.decl.as(EnumCaseDeclSyntax.self) else { continue }
      let description = SyntaxHelpers.docComment(in: caseDecl.leadingTrivia).map(SyntaxHelpers.stringLiteral)
      for element in caseDecl.elements {
        cases.append(
          Case(
            name: element.name.text,
            key: SyntaxHelpers.plainName(element.name),
            description: description,
            parameters: element.parameterClause?.parameters
          )
        )
      }
    }
    return cases
  }

  private static func enumerationSchema(values: String, header: ExpansionHeader) -> String {
    GeneratedCode.lines([
      "\(header.access)static var jsonSchema: JSONSchema {",
      "  JSONSchema.enumeration([\(values)]\(header.descriptionArgument))",
      "}",
    ])
  }

  private static func payloadSchema(_ cases: [Case], header: ExpansionHeader) -> String {
    let list = cases.map { enumCase -> String in
      var arguments = [SyntaxHelpers.stringLiteral(enumCase.key)]
      if let description = enumCase.description { arguments.append("description: \(description)") }
      let parameters = Array(enumCase.parameters ?? [])
      if !parameters.isEmpty {
        let properties = parameters.enumerated().map { index, parameter -> String in
          let label = parameter.firstName.map(SyntaxHelpers.plainName).flatMap { $0 == "_" ? nil : $0 }
          let key = SyntaxHelpers.stringLiteral(label ?? "_\(index)")
          return "SchemaProperty(\(key), \(SyntaxHelpers.typeExpression(parameter.type)).self)"
        }
        arguments.append("properties: [\(properties.joined(separator: ", "))]")
      }
      return "      SchemaEnumCase(\(arguments.joined(separator: ", "))),"
    }
    return GeneratedCode.lines(
      [
        "\(header.access)static var jsonSchema: JSONSchema {",
        "  JSONSchema.cases(for: Self.self\(header.descriptionArgument)) {",
        "    [",
      ] + list + ["    ]", "  }", "}"]
    )
  }

  private static func nameDecoder(_ cases: [Case], access: String) -> String {
    let names = cases.map { "\\\"\($0.key)\\\"" }.joined(separator: ", ")
    let branches = cases.flatMap { enumCase in
      ["  case \(SyntaxHelpers.stringLiteral(enumCase.key)):", "    self = .\(enumCase.name)"]
    }
    return GeneratedCode.lines(
      [
        "\(access)init(from decoder: any Decoder) throws {",
        "  let container = try decoder.singleValueContainer()",
        "  let name = try container.decode(String.self)",
        "  switch name {",
      ] + branches + [
        "  default:",
        "    throw DecodingError.dataCorruptedError(",
        "      in: container,",
        "      debugDescription: \"expected one of \(names), got \\\"\\(name)\\\"\"",
        "    )",
        "  }",
        "}",
      ]
    )
  }

  private static func nameEncoder(_ cases: [Case], access: String) -> String {
    let branches = cases.flatMap { enumCase in
      ["  case .\(enumCase.name):", "    try container.encode(\(SyntaxHelpers.stringLiteral(enumCase.key)))"]
    }
    return GeneratedCode.lines(
      [
        "\(access)func encode(to encoder: any Encoder) throws {",
        "  var container = encoder.singleValueContainer()",
        "  switch self {",
      ] + branches + ["  }", "}"]
    )
  }

  private static func declaresEncoder(_ enumDecl: EnumDeclSyntax) -> Bool {
    enumDecl.memberBlock.members.contains { member in
      guard let function = member.decl.as(FunctionDeclSyntax.self), function.name.text == "encode" else {
        return false
      }
      return function.signature.parameterClause.parameters.first?.firstName.text == "to"
    }
  }
}
