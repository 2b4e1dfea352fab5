import SwiftCompilerPlugin
import SwiftSyntaxMacros

/// The compiler plugin that provides the Agents macros.
@main
struct AgentsMacrosPlugin: CompilerPlugin {
  let providingMacros: [any Macro.Type] = [SchemaMacro.self, GuideMacro.self, MemberwiseInitMacro.self]
}
