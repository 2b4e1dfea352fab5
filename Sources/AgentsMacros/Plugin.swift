import AgentsMacroExpansions
import SwiftCompilerPlugin
import SwiftSyntax
import SwiftSyntaxMacros

/// The compiler plugin that provides the Agents macros.
///
/// The expansions live in `AgentsMacroExpansions` (a library, so their tests run them in-process); the compiler asks
/// this plugin for `AgentsMacros.<type>` (the module its `#externalMacro` declarations name), so each macro has a
/// type here that hands the expansion to the library's.
@main
struct AgentsMacrosPlugin: CompilerPlugin {
  let providingMacros: [any Macro.Type] = [SchemaMacro.self, GuideMacro.self, MemberwiseInitMacro.self]
}

/// `@Schema`: ``AgentsMacroExpansions/SchemaMacro``.
struct SchemaMacro: ExtensionMacro {
  static func expansion(
    of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
    providingExtensionsOf type: some TypeSyntaxProtocol, conformingTo protocols: [TypeSyntax],
    in context: some MacroExpansionContext
  ) throws -> [ExtensionDeclSyntax] {
    try AgentsMacroExpansions.SchemaMacro.expansion(
      of: node, attachedTo: declaration, providingExtensionsOf: type, conformingTo: protocols, in: context)
  }
}

/// `@Guide`: ``AgentsMacroExpansions/GuideMacro``.
struct GuideMacro: PeerMacro {
  static func expansion(
    of node: AttributeSyntax, providingPeersOf declaration: some DeclSyntaxProtocol,
    in context: some MacroExpansionContext
  ) throws -> [DeclSyntax] {
    try AgentsMacroExpansions.GuideMacro.expansion(of: node, providingPeersOf: declaration, in: context)
  }
}

/// `@MemberwiseInit`: ``AgentsMacroExpansions/MemberwiseInitMacro``.
struct MemberwiseInitMacro: MemberMacro {
  static func expansion(
    of node: AttributeSyntax, providingMembersOf declaration: some DeclGroupSyntax,
    conformingTo protocols: [TypeSyntax],
    in context: some MacroExpansionContext
  ) throws -> [DeclSyntax] {
    try AgentsMacroExpansions.MemberwiseInitMacro.expansion(
      of: node, providingMembersOf: declaration, conformingTo: protocols, in: context)
  }
}
