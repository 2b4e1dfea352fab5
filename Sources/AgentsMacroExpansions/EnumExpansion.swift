import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxMacros

/// One case of a `@Schema` enum.
struct EnumCase {
  /// The case name as written, for `.name` and `Self.name`.
  var name: String
  /// The name without backticks: the JSON string or key.
  var key: String
  /// Source of the description (a literal from the doc comment), or `nil`.
  var description: String?
  /// The associated values, or `nil` for a case without them.
  var parameters: EnumCaseParameterListSyntax?
}

/// Generates the members of a `@Schema` enum: a string or integer `enum` schema for cases without associated
/// values (with case-name coding when there is no raw type), or the `anyOf` form for associated values.
enum EnumExpansion {
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
      return PayloadEnumExpansion.members(of: enumDecl, cases: cases, header: header)
    }
    let rawType = enumDecl.inheritanceClause?.inheritedTypes.first?.type.trimmedDescription.droppingSwiftPrefix()
    if rawType == "String" || integerRawTypes.contains(rawType ?? "") {
      let values = cases.map { "Self.\($0.name).rawValue" }.joined(separator: ", ")
      return [enumerationSchema(values: values, header: header)]
    }
    let values = cases.map { SyntaxHelpers.stringLiteral($0.key) }.joined(separator: ", ")
    var members = [enumerationSchema(values: values, header: header)]
    if !SyntaxHelpers.declaresDecoder(enumDecl) { members.append(nameDecoder(cases, access: header.access)) }
    if header.generatesEncoder && !SyntaxHelpers.declaresEncoder(enumDecl) {
      members.append(nameEncoder(cases, access: header.access))
    }
    return members
  }

  private static func collectCases(_ enumDecl: EnumDeclSyntax) -> [EnumCase] {
    var cases: [EnumCase] = []
    for member in enumDecl.memberBlock.members {
      guard let caseDecl = member.decl.as(EnumCaseDeclSyntax.self) else { continue }
      let description = SyntaxHelpers.docComment(in: caseDecl.leadingTrivia).map(SyntaxHelpers.stringLiteral)
      for element in caseDecl.elements {
        cases.append(
          EnumCase(
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
      "\(header.access)nonisolated static var jsonSchema: Agents.JSONSchema {",
      "  Agents.JSONSchema.enumeration([\(values)]\(header.descriptionArgument))",
      "}",
    ])
  }

  private static func nameDecoder(_ cases: [EnumCase], access: String) -> String {
    let names = SyntaxHelpers.quotedList(cases.map(\.key))
    let branches = cases.flatMap { enumCase in
      ["  case \(SyntaxHelpers.stringLiteral(enumCase.key)):", "    self = .\(enumCase.name)"]
    }
    return GeneratedCode.lines(
      [
        "\(access)nonisolated init(from decoder: any Swift.Decoder) throws {",
        "  let container = try decoder.singleValueContainer()",
        "  let name = try container.decode(String.self)",
        "  switch name {",
      ] + branches + [
        "  default:",
        "    throw Swift.DecodingError.dataCorruptedError(",
        "      in: container,",
        "      debugDescription: \"expected one of \(names), got \\\"\\(name)\\\"\"",
        "    )",
        "  }",
        "}",
      ]
    )
  }

  private static func nameEncoder(_ cases: [EnumCase], access: String) -> String {
    let branches = cases.flatMap { enumCase in
      ["  case .\(enumCase.name):", "    try container.encode(\(SyntaxHelpers.stringLiteral(enumCase.key)))"]
    }
    return GeneratedCode.lines(
      [
        "\(access)nonisolated func encode(to encoder: any Swift.Encoder) throws {",
        "  var container = encoder.singleValueContainer()",
        "  switch self {",
      ] + branches + ["  }", "}"]
    )
  }
}
