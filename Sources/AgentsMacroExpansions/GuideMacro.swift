import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxMacros

/// `@Guide(…)`: a marker read by `@Schema`; on its own it generates nothing, it only checks where it is used.
public struct GuideMacro: PeerMacro {
  /// Diagnoses `@Guide` outside a stored property and adds no declarations.
  public static func expansion(
    of node: AttributeSyntax,
    providingPeersOf declaration: some DeclSyntaxProtocol,
    in context: some MacroExpansionContext
  ) throws -> [DeclSyntax] {
    guard let variable = declaration.as(VariableDeclSyntax.self) else {
      context.diagnose(Diagnostic(node: node, message: SchemaDiagnostic.guideOutsideProperty))
      return []
    }
    if variable.bindings.allSatisfy({ StoredPropertyScanner.isComputed($0) }) {
      context.diagnose(Diagnostic(node: node, message: SchemaDiagnostic.guideOnComputedProperty))
    }
    return []
  }
}
