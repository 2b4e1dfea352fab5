import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

/// `@Schema`: derives `jsonSchema` from a struct's stored properties or an enum's cases, and adds the
/// `SchemaRepresentable` conformance plus `Decodable` and `Encodable` when the type declares neither.
///
/// It also writes `init(from:)` and `encode(to:)` (all `nonisolated`, so they work under default main-actor
/// isolation): for structs the decoder falls back to each property's default value when the key is missing
/// or `null`; enums without raw values are coded by case name; enums with associated values use the
/// single-key object shape of Swift's synthesized `Codable`. Enums with raw values keep the standard
/// library's `RawRepresentable` coding.
public struct SchemaMacro: ExtensionMacro {
  /// Builds the extension with the conformances, `jsonSchema` and coders, or diagnoses why it cannot.
  public static func expansion(
    of node: AttributeSyntax,
    attachedTo declaration: some DeclGroupSyntax,
    providingExtensionsOf type: some TypeSyntaxProtocol,
    conformingTo protocols: [TypeSyntax],
    in context: some MacroExpansionContext
  ) throws -> [ExtensionDeclSyntax] {
    let missing = Set(protocols.compactMap { $0.trimmedDescription.split(separator: ".").last.map(String.init) })
    var conformances: [String] = []
    if missing.contains("SchemaRepresentable") { conformances.append("Agents.SchemaRepresentable") }
    if missing.contains("Decodable") { conformances.append("Swift.Decodable") }
    // Encodable is added only when the type declared no Codable conformance at all; a type that chose
    // `Decodable` alone keeps that choice, and gets no `encode(to:)` either.
    let declaresDecodableOnly = missing.contains("Encodable") && !missing.contains("Decodable")
    if missing.contains("Encodable") && missing.contains("Decodable") { conformances.append("Swift.Encodable") }

    let header = ExpansionHeader(node: node, declaration: declaration, generatesEncoder: !declaresDecodableOnly)
    let members: [String]?
    if let structDecl = declaration.as(StructDeclSyntax.self) {
      members = StructExpansion.members(of: structDecl, header: header, context: context)
    } else if let enumDecl = declaration.as(EnumDeclSyntax.self) {
      members = EnumExpansion.members(of: enumDecl, header: header, context: context)
    } else {
      let kind =
        if declaration.is(ClassDeclSyntax.self) { "a class" } else if declaration.is(ActorDeclSyntax.self) {
          "an actor"
        } else if declaration.is(ProtocolDeclSyntax.self) { "a protocol" } else { "an extension" }
      context.diagnose(Diagnostic(node: node, message: SchemaDiagnostic.unsupportedDeclaration(kind)))
      return []
    }
    guard let members else { return [] }

    let clause = conformances.isEmpty ? "" : ": " + conformances.joined(separator: ", ")
    let source = "extension \(type.trimmedDescription)\(clause) {\n\(members.joined(separator: "\n\n"))\n}"
    guard let extensionDecl = DeclSyntax(stringLiteral: source).as(ExtensionDeclSyntax.self) else { return [] }
    return [extensionDecl]
  }
}

/// What every expansion needs from the attribute and the declaration: access level, type description and
/// whether to write `encode(to:)`.
struct ExpansionHeader {
  /// `public `, `package ` or empty, matching the type.
  let access: String
  /// Source of the type description expression, or `nil`.
  let description: String?
  /// Whether the type is or becomes `Encodable`, so that the expansion should write `encode(to:)`.
  let generatesEncoder: Bool

  init(node: AttributeSyntax, declaration: some DeclGroupSyntax, generatesEncoder: Bool) {
    self.generatesEncoder = generatesEncoder
    access = Self.accessModifier(of: declaration)
    var explicit: String?
    if case .argumentList(let arguments)? = node.arguments {
      for argument in arguments where argument.label?.text == "description" {
        if !argument.expression.is(NilLiteralExprSyntax.self) { explicit = argument.expression.trimmedDescription }
      }
    }
    description = explicit ?? SyntaxHelpers.docComment(in: declaration.leadingTrivia).map(SyntaxHelpers.stringLiteral)
  }

  /// `public `, `package ` or empty: the access level of `declaration`, for the members a macro adds to it.
  static func accessModifier(of declaration: some DeclGroupSyntax) -> String {
    let modifiers = declaration.modifiers.map(\.name.tokenKind)
    if modifiers.contains(.keyword(.public)) || modifiers.contains(.keyword(.open)) { return "public " }
    return modifiers.contains(.keyword(.package)) ? "package " : ""
  }

  /// `, description: …` or nothing.
  var descriptionArgument: String { description.map { ", description: \($0)" } ?? "" }
}

extension String {
  /// The type name without a leading `Swift.` module qualifier.
  func droppingSwiftPrefix() -> String {
    hasPrefix("Swift.") ? String(dropFirst("Swift.".count)) : self
  }
}
