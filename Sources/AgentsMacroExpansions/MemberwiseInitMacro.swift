import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

/// `@MemberwiseInit`: writes the memberwise initializer Swift synthesizes for a struct, at the struct's own access
/// level (Swift's synthesized one is never more than `internal`, so a public struct had to spell it out: every
/// property named three times).
///
/// The parameters follow Swift's synthesized initializer: one per stored property in declaration order, labelled
/// with its name; a `var` with an initial value defaults to it, an optional `var` without one defaults to `nil`;
/// constants with an initial value, computed, `static` and `lazy` properties are left out. Function types are
/// taken `@escaping`.
public struct MemberwiseInitMacro: MemberMacro {
  /// Builds the initializer, or diagnoses why it cannot.
  public static func expansion(
    of node: AttributeSyntax,
    providingMembersOf declaration: some DeclGroupSyntax,
    conformingTo protocols: [TypeSyntax],
    in context: some MacroExpansionContext
  ) throws -> [DeclSyntax] {
    guard let structDecl = declaration.as(StructDeclSyntax.self) else {
      context.diagnose(Diagnostic(node: node, message: MemberwiseDiagnostic.notAStruct))
      return []
    }
    var parameters: [String] = []
    var assignments: [String] = []
    var complete = true
    for member in structDecl.memberBlock.members {
      guard let variable = member.decl.as(VariableDeclSyntax.self) else { continue }
      for property in properties(of: variable, in: context) {
        guard let property else {
          complete = false
          continue
        }
        parameters.append("\(property.name): \(property.type)\(property.defaultValue.map { " = \($0)" } ?? "")")
        assignments.append("  self.\(property.name) = \(property.name)")
      }
    }
    // An initializer that left out a property would not compile; the diagnostic says what to change.
    guard complete else { return [] }
    let access = ExpansionHeader.accessModifier(of: declaration)
    let source =
      [
        "/// Creates a `\(structDecl.name.text)`; each argument sets the stored property of the same name.",
        "\(access)init(\(parameters.joined(separator: ", "))) {",
      ] + assignments + ["}"]
    return [DeclSyntax(stringLiteral: source.joined(separator: "\n"))]
  }

  /// A parameter of the generated initializer.
  private struct Parameter {
    var name: String
    var type: String
    var defaultValue: String?
  }

  /// The initializer parameters for the stored properties `variable` declares (none for computed or static ones);
  /// `nil` for a property it cannot describe, after diagnosing it.
  private static func properties(
    of variable: VariableDeclSyntax, in context: some MacroExpansionContext
  ) -> [Parameter?] {
    let modifiers = variable.modifiers.map(\.name.tokenKind)
    if modifiers.contains(.keyword(.static)) || modifiers.contains(.keyword(.class))
      || modifiers.contains(.keyword(.lazy))
    {
      return []
    }
    let isConstant = variable.bindingSpecifier.tokenKind == .keyword(.let)
    // In `var a, b: Int` only the last binding carries the annotation; it applies to the earlier ones.
    var sharedType: TypeSyntax?
    var found: [Parameter?] = []
    for binding in variable.bindings.reversed() {
      if let annotation = binding.typeAnnotation?.type { sharedType = annotation }
      if StoredPropertyScanner.isComputed(binding) { continue }
      let initializer = binding.initializer?.value
      if isConstant, initializer != nil { continue }
      let annotation = binding.typeAnnotation?.type ?? (initializer == nil ? sharedType : nil)
      guard let name = binding.pattern.as(IdentifierPatternSyntax.self)?.identifier.text,
        let type = annotation.map(escaping) ?? initializer.flatMap(SyntaxHelpers.inferredType)
      else {
        context.diagnose(Diagnostic(node: binding, message: MemberwiseDiagnostic.needsTypeAnnotation))
        found.append(nil)
        continue
      }
      let isOptional = annotation.flatMap(SyntaxHelpers.optionalWrappedType) != nil
      let defaultValue = initializer?.trimmedDescription ?? (!isConstant && isOptional ? "nil" : nil)
      found.append(Parameter(name: name, type: type, defaultValue: defaultValue))
    }
    return found.reversed()
  }

  /// `type` as a parameter type: a function type (not an optional one) gets `@escaping`.
  private static func escaping(_ type: TypeSyntax) -> String {
    var bare = type
    if let attributed = type.as(AttributedTypeSyntax.self) { bare = attributed.baseType }
    return bare.is(FunctionTypeSyntax.self) ? "@escaping \(type.trimmedDescription)" : type.trimmedDescription
  }
}

/// Why `@MemberwiseInit` wrote nothing, or left a property out.
struct MemberwiseDiagnostic: DiagnosticMessage {
  let message: String
  let identifier: String
  var severity: DiagnosticSeverity { .error }
  var diagnosticID: MessageID { MessageID(domain: "AgentsMacros", id: identifier) }

  static let notAStruct = MemberwiseDiagnostic(
    message: "@MemberwiseInit writes a struct's memberwise initializer; attach it to a struct",
    identifier: "memberwiseNotAStruct")

  static let needsTypeAnnotation = MemberwiseDiagnostic(
    message: "@MemberwiseInit cannot tell this property's type from its initial value; add a type annotation"
      + " (one name per property, no tuple patterns)",
    identifier: "memberwiseNeedsTypeAnnotation")
}
