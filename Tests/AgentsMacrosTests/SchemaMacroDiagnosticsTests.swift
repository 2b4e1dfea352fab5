import SwiftDiagnostics
import SwiftSyntaxMacrosGenericTestSupport
import Testing

@Suite("@Schema and @Guide diagnostics")
struct SchemaMacroDiagnosticsTests {
  @Test func unsupportedDeclarationsAreRejected() {
    expectRefusal(
      """
      @Schema
      class Box {}
      @Schema
      actor Counter {}
      @Schema
      protocol Named {}
      """,
      diagnostics: [
        DiagnosticSpec(
          message: "@Schema can only be applied to a struct or an enum, not a class; describe reference types"
            + " with a struct that mirrors their data",
          line: 1,
          column: 1
        ),
        DiagnosticSpec(
          message: "@Schema can only be applied to a struct or an enum, not an actor; describe reference types"
            + " with a struct that mirrors their data",
          line: 3,
          column: 1
        ),
        DiagnosticSpec(
          message: "@Schema can only be applied to a struct or an enum, not a protocol; describe reference types"
            + " with a struct that mirrors their data",
          line: 5,
          column: 1
        ),
      ]
    )
  }

  @Test func propertiesWithoutAUsableNameOrTypeAreErrors() {
    expectRefusal(
      """
      @Schema
      struct Settings {
        let fixed = 1
        var inferred = makeValue()
        var (a, b): (Int, Int)
      }
      """,
      diagnostics: [
        DiagnosticSpec(
          message: "'fixed' is a constant with an initial value, so it is left out of the schema and not decoded;"
            + " make it 'var' to let the model set it",
          line: 3,
          column: 7,
          severity: .warning
        ),
        DiagnosticSpec(
          message: "@Schema cannot infer the type of 'inferred' from its initial value; add a type annotation",
          line: 4,
          column: 7
        ),
        DiagnosticSpec(
          message: "@Schema needs one name per stored property; declare each tuple element as its own property",
          line: 5,
          column: 7
        ),
      ]
    )
  }

  @Test func propertyMissingFromCodingKeysWithoutDefaultIsAnError() {
    expectRefusal(
      """
      @Schema
      struct User {
        var name: String
        var age: Int
        var nickname: String?
        enum CodingKeys: String, CodingKey {
          case name
        }
      }
      """,
      diagnostics: [
        DiagnosticSpec(
          message: "'age' is not in CodingKeys and has no default value, so it cannot be decoded; add a case for"
            + " it or give it a default value",
          line: 4,
          column: 7
        )
      ]
    )
  }

  @Test func emptyEnumIsAnErrorAndComputedOnlyStructAWarning() {
    expectExpansion(
      """
      @Schema
      enum Nothing {}
      @Schema
      struct OnlyComputed {
        var x: Int { 1 }
      }
      """,
      expandedSource: """
        enum Nothing {}
        struct OnlyComputed {
          var x: Int { 1 }
        }

        extension OnlyComputed: Agents.SchemaRepresentable, Swift.Decodable, Swift.Encodable {
          nonisolated static var jsonSchema: Agents.JSONSchema {
            Agents.JSONSchema.object(for: Self.self) {
              []
            }
          }

          nonisolated init(from decoder: any Swift.Decoder) throws {
            _ = try decoder.container(keyedBy: Agents.AnyCodingKey.self)
          }

          nonisolated func encode(to encoder: any Swift.Encoder) throws {
            _ = encoder.container(keyedBy: Agents.AnyCodingKey.self)
          }
        }
        """,
      diagnostics: [
        DiagnosticSpec(
          message: "@Schema needs at least one case: an enum without cases has no values to describe",
          line: 2,
          column: 6
        ),
        DiagnosticSpec(
          message: "this struct has only computed properties, which are not part of the schema, so its schema is"
            + " an empty object; make the properties the model should fill in stored properties",
          line: 4,
          column: 8,
          severity: .warning
        ),
      ]
    )
  }

  @Test func guideOutsideStoredPropertiesIsDiagnosed() {
    expectRefusal(
      """
      struct Tools {
        @Guide("x") func run() {}
        @Guide(.range(1...2)) var doubled: Int { 2 }
        @Guide("ok") var stored: Int
      }
      """,
      diagnostics: [
        DiagnosticSpec(
          message: "@Guide describes a stored property of a @Schema type; attach it to a 'var' or 'let'",
          line: 2,
          column: 3
        ),
        DiagnosticSpec(
          message: "@Guide has no effect on a computed property, which is not part of the schema; remove it or make"
            + " the property stored",
          line: 3,
          column: 3
        ),
      ]
    )
  }
}
