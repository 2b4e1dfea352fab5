import AgentsMacroExpansions
import SwiftSyntaxMacroExpansion
import SwiftSyntaxMacrosGenericTestSupport
import Testing

@Suite("@MemberwiseInit expansion")
struct MemberwiseInitExpansionTests {
  private static let macros: [String: MacroSpec] = ["MemberwiseInit": MacroSpec(type: MemberwiseInitMacro.self)]

  /// Expects `@MemberwiseInit` on `header { members }` to add `initializer` after the members (both given as
  /// lines at the members' indentation), with `diagnostics`; an empty `initializer` expects nothing added.
  private func expect(
    _ header: String, _ members: [String], adds initializer: [String], diagnostics: [DiagnosticSpec] = [],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    let body = members.map { "  " + $0 }
    let added = initializer.isEmpty ? [] : [""] + initializer.map { "  " + $0 }
    expectExpansion(
      (["@MemberwiseInit", header + " {"] + body + ["}"]).joined(separator: "\n"),
      expandedSource: ([header + " {"] + body + added + ["}"]).joined(separator: "\n"),
      diagnostics: diagnostics, macros: Self.macros, sourceLocation: sourceLocation)
  }

  @Test func writesSwiftsMemberwiseInitializerAtTheTypesAccessLevel() {
    expect(
      "public struct Call",
      [
        "/// The id.", "public var id: String", "public let name: String", "public var arguments = \"{}\"",
        "public var note: String?", "let fixed: Int?", "let constant = 1", "var first, second: Int",
        "public var onDone: @Sendable (Int) -> Void", "var optionalHandler: (() -> Void)?",
        "var computed: Int { first * 2 }", "static var shared = 1", "lazy var cached = 2",
      ],
      adds: [
        "/// Creates a `Call`; each argument sets the stored property of the same name.",
        "public init(id: String, name: String, arguments: String = \"{}\", note: String? = nil, fixed: Int?, "
          + "first: Int, second: Int, onDone: @escaping @Sendable (Int) -> Void, optionalHandler: (() -> Void)? = nil) {",
        "  self.id = id", "  self.name = name", "  self.arguments = arguments", "  self.note = note",
        "  self.fixed = fixed", "  self.first = first", "  self.second = second", "  self.onDone = onDone",
        "  self.optionalHandler = optionalHandler", "}",
      ])
  }

  @Test(arguments: [("package struct Capabilities", "package "), ("struct Plain", "")])
  func packageAndInternalStructsGetTheirOwnLevel(header: String, access: String) {
    let name = header.split(separator: " ").last!
    expect(
      header, ["var useColor: Bool"],
      adds: [
        "/// Creates a `\(name)`; each argument sets the stored property of the same name.",
        "\(access)init(useColor: Bool) {", "  self.useColor = useColor", "}",
      ])
  }

  @Test func refusesWhatItCannotInitialize() {
    expect(
      "public enum Kind", ["case one"], adds: [],
      diagnostics: [
        DiagnosticSpec(
          message: "@MemberwiseInit writes a struct's memberwise initializer; attach it to a struct", line: 1,
          column: 1)
      ])
    expect(
      "struct Pair", ["var (a, b): (Int, Int)"], adds: [],
      diagnostics: [
        DiagnosticSpec(
          message: "@MemberwiseInit cannot tell this property's type from its initial value; add a type annotation"
            + " (one name per property, no tuple patterns)", line: 3, column: 7)
      ])
  }
}
