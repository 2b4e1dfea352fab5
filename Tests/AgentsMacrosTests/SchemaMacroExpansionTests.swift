import AgentsMacros
import SwiftSyntaxBuilder
import SwiftSyntaxMacroExpansion
import SwiftSyntaxMacrosGenericTestSupport
import Testing

@Suite("@Schema expansion")
struct SchemaMacroExpansionTests {
  @Test func structWithDocCommentsGuidesDefaultsAndOptionals() {
    expectExpansion(
      """
      /// A weather query.
      @Schema
      public struct Weather {
        /// The city.
        public var city: String
        @Guide("Days ahead", .range(1...10))
        var days: Int
        var unit = "celsius"
        var note: String?
        var id: UUID = UUID()
        var computed: Int { days * 2 }
        static var shared = 1
      }
      """,
      expandedSource: """
        /// A weather query.
        public struct Weather {
          /// The city.
          public var city: String
          var days: Int
          var unit = "celsius"
          var note: String?
          var id: UUID = UUID()
          var computed: Int { days * 2 }
          static var shared = 1
        }

        extension Weather: SchemaRepresentable, Decodable, Encodable {
          public static var jsonSchema: JSONSchema {
            JSONSchema.object(for: Self.self, description: "A weather query.") {
              [
                SchemaProperty("city", String.self, description: "The city."),
                SchemaProperty("days", Int.self, description: "Days ahead", constraints: [.range(1 ... 10)]),
                SchemaProperty("unit", String.self, default: "celsius"),
                SchemaProperty("note", String?.self),
                SchemaProperty("id", UUID.self, isRequired: false),
              ]
            }
          }

          public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyCodingKey.self)
            self.city = try container.decode(String.self, forKey: AnyCodingKey("city"))
            self.days = try container.decode(Int.self, forKey: AnyCodingKey("days"))
            self.unit = try container.decodeIfPresent(String.self, forKey: AnyCodingKey("unit")) ?? "celsius"
            self.note = try container.decodeIfPresent(String.self, forKey: AnyCodingKey("note"))
            self.id = try container.decodeIfPresent(UUID.self, forKey: AnyCodingKey("id")) ?? UUID()
          }
        }
        """
    )
  }

  @Test func sharedAnnotationsConstantsOptionalSpellingsAndBlockComments() {
    expectExpansion(
      #"""
      /**
       * A point.
       *
       * Second "paragraph".
       */
      @Schema(description: Texts.point)
      package struct Point {
        /// A coordinate.
        var x, y: Double
        @Guide(Texts.label, .count(1...20))
        let label: String
        var tag: Optional<String> = nil
        var legacy: Int!
        var kind: Kind = .plain
      }
      """#,
      expandedSource: #"""
        /**
         * A point.
         *
         * Second "paragraph".
         */
        package struct Point {
          /// A coordinate.
          var x, y: Double
          let label: String
          var tag: Optional<String> = nil
          var legacy: Int!
          var kind: Kind = .plain
        }

        extension Point: SchemaRepresentable, Decodable, Encodable {
          package static var jsonSchema: JSONSchema {
            JSONSchema.object(for: Self.self, description: Texts.point) {
              [
                SchemaProperty("x", Double.self, description: "A coordinate."),
                SchemaProperty("y", Double.self, description: "A coordinate."),
                SchemaProperty("label", String.self, description: Texts.label, constraints: [.count(1 ... 20)]),
                SchemaProperty("tag", Optional<String>.self, isRequired: false),
                SchemaProperty("legacy", Optional<Int>.self),
                SchemaProperty("kind", Kind.self, default: .plain),
              ]
            }
          }

          package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyCodingKey.self)
            self.x = try container.decode(Double.self, forKey: AnyCodingKey("x"))
            self.y = try container.decode(Double.self, forKey: AnyCodingKey("y"))
            self.label = try container.decode(String.self, forKey: AnyCodingKey("label"))
            self.tag = try container.decodeIfPresent(String.self, forKey: AnyCodingKey("tag")) ?? nil
            self.legacy = try container.decodeIfPresent(Int.self, forKey: AnyCodingKey("legacy"))
            self.kind = try container.decodeIfPresent(Kind.self, forKey: AnyCodingKey("kind")) ?? .plain
          }
        }
        """#
    )
  }

  @Test func docBlockCommentBecomesParagraphs() {
    expectExpansion(
      #"""
      /**
       * A point.
       *
       * Second "paragraph".
       */
      @Schema
      struct Empty {}
      """#,
      expandedSource: #"""
        /**
         * A point.
         *
         * Second "paragraph".
         */
        struct Empty {}

        extension Empty: SchemaRepresentable, Decodable, Encodable {
          static var jsonSchema: JSONSchema {
            JSONSchema.object(for: Self.self, description: "A point.\nSecond \"paragraph\".") {
              []
            }
          }

          init(from decoder: any Decoder) throws {
            _ = try decoder.container(keyedBy: AnyCodingKey.self)
          }
        }
        """#
    )
  }

  @Test func codingKeysRenameKeysAndDeclaredConformancesAreNotRepeated() {
    // A type that declares Codable is only missing SchemaRepresentable.
    let macros: [String: MacroSpec] = [
      "Schema": MacroSpec(type: SchemaMacro.self, conformances: ["SchemaRepresentable"])
    ]
    expectExpansion(
      """
      @Schema
      struct User: Codable {
        var firstName: String
        var cache: [String] = []
        enum CodingKeys: String, CodingKey {
          case firstName = "first_name"
        }
      }
      """,
      expandedSource: """
        struct User: Codable {
          var firstName: String
          var cache: [String] = []
          enum CodingKeys: String, CodingKey {
            case firstName = "first_name"
          }
        }

        extension User: SchemaRepresentable {
          static var jsonSchema: JSONSchema {
            JSONSchema.object(for: Self.self) {
              [
                SchemaProperty("first_name", String.self),
              ]
            }
          }

          init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyCodingKey.self)
            self.firstName = try container.decode(String.self, forKey: AnyCodingKey("first_name"))
          }
        }
        """,
      macros: macros
    )
  }

  @Test func decodableOnlyTypeIsNotMadeEncodableAndOwnDecoderIsKept() {
    // The type declares Decodable, so the compiler reports only these two as missing.
    let macros: [String: MacroSpec] = [
      "Schema": MacroSpec(type: SchemaMacro.self, conformances: ["SchemaRepresentable", "Encodable"])
    ]
    expectExpansion(
      """
      @Schema
      struct Query: Decodable {
        var text: String
        init(from decoder: any Decoder) throws { text = "" }
      }
      """,
      expandedSource: """
        struct Query: Decodable {
          var text: String
          init(from decoder: any Decoder) throws { text = "" }
        }

        extension Query: SchemaRepresentable {
          static var jsonSchema: JSONSchema {
            JSONSchema.object(for: Self.self) {
              [
                SchemaProperty("text", String.self),
              ]
            }
          }
        }
        """,
      macros: macros
    )
  }

  @Test func enumsWithRawValuesCaseNamesAndAssociatedValues() {
    expectExpansion(
      """
      @Schema
      enum Unit: String { case celsius, fahrenheit = "F" }
      @Schema
      public enum Level: Int { case low = 1, high }
      /// How one feels.
      @Schema
      enum Mood {
        case happy
        case `default`
      }
      @Schema
      enum Shape {
        /// Round.
        case circle(radius: Double)
        case label(String, size: Int?)
        case empty
      }
      """,
      expandedSource: #"""
        enum Unit: String { case celsius, fahrenheit = "F" 
        }
        public enum Level: Int { case low = 1, high 
        }
        /// How one feels.
        enum Mood {
          case happy
          case `default`
        }
        enum Shape {
          /// Round.
          case circle(radius: Double)
          case label(String, size: Int?)
          case empty
        }

        extension Unit: SchemaRepresentable, Decodable, Encodable {
          static var jsonSchema: JSONSchema {
            JSONSchema.enumeration([Self.celsius.rawValue, Self.fahrenheit.rawValue])
          }
        }

        extension Level: SchemaRepresentable, Decodable, Encodable {
          public static var jsonSchema: JSONSchema {
            JSONSchema.enumeration([Self.low.rawValue, Self.high.rawValue])
          }
        }

        extension Mood: SchemaRepresentable, Decodable, Encodable {
          static var jsonSchema: JSONSchema {
            JSONSchema.enumeration(["happy", "default"], description: "How one feels.")
          }

          init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let name = try container.decode(String.self)
            switch name {
            case "happy":
              self = .happy
            case "default":
              self = .`default`
            default:
              throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected one of \"happy\", \"default\", got \"\(name)\""
              )
            }
          }

          func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .happy:
              try container.encode("happy")
            case .`default`:
              try container.encode("default")
            }
          }
        }

        extension Shape: SchemaRepresentable, Decodable, Encodable {
          static var jsonSchema: JSONSchema {
            JSONSchema.cases(for: Self.self) {
              [
                SchemaEnumCase("circle", description: "Round.", properties: [SchemaProperty("radius", Double.self)]),
                SchemaEnumCase("label", properties: [SchemaProperty("_0", String.self), SchemaProperty("size", Int?.self)]),
                SchemaEnumCase("empty"),
              ]
            }
          }
        }
        """#
    )
  }
}
