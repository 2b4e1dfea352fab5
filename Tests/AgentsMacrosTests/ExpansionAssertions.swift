import AgentsMacroExpansions
import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacroExpansion
import SwiftSyntaxMacrosGenericTestSupport
import Testing

/// The macros under test, with the conformances the compiler asks `@Schema` to add when none are declared.
let schemaMacros: [String: MacroSpec] = [
  "Schema": MacroSpec(type: SchemaMacro.self, conformances: ["SchemaRepresentable", "Decodable", "Encodable"]),
  "Guide": MacroSpec(type: GuideMacro.self),
]

/// Expands the schema macros in `source` and records a Swift Testing issue for every difference from
/// `expandedSource` or `diagnostics` (the XCTest-based assertion would not fail a Swift Testing test).
func expectExpansion(
  _ source: String,
  expandedSource: String,
  diagnostics: [DiagnosticSpec] = [],
  macros: [String: MacroSpec] = schemaMacros,
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  assertMacroExpansion(
    source,
    expandedSource: expandedSource,
    diagnostics: diagnostics,
    macroSpecs: macros,
    indentationWidth: .spaces(2),
    failureHandler: { failure in
      Issue.record(Comment(rawValue: failure.message), sourceLocation: sourceLocation)
    }
  )
}

/// Expects the macros to refuse every declaration in `source`: they add nothing and report `diagnostics`, so the
/// expansion is `source` as written without its `@Schema` lines and `@Guide(…)` attributes.
func expectRefusal(
  _ source: String, diagnostics: [DiagnosticSpec], sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  let unchanged = source.split(separator: "\n", omittingEmptySubsequences: false)
    .filter { $0.trimmingPrefix(while: \.isWhitespace) != "@Schema" }
    .map { $0.replacing(#/@Guide\((?:[^()]|\([^()]*\))*\) /#, with: "") }
    .joined(separator: "\n")
  expectExpansion(source, expandedSource: unchanged, diagnostics: diagnostics, sourceLocation: sourceLocation)
}
