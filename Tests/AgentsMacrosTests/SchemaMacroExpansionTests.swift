import AgentsMacroExpansions
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

        extension Weather: Agents.SchemaRepresentable, Swift.Decodable, Swift.Encodable {
          public nonisolated static var jsonSchema: Agents.JSONSchema {
            Agents.JSONSchema.object(for: Self.self, description: "A weather query.") {
              [
                Agents.SchemaProperty("city", String.self, description: "The city."),
                Agents.SchemaProperty("days", Int.self, description: "Days ahead", constraints: [.range(1 ... 10)]),
                Agents.SchemaProperty("unit", String.self, default: "celsius"),
                Agents.SchemaProperty("note", String?.self),
                Agents.SchemaProperty("id", UUID.self, isRequired: false),
              ]
            }
          }

          public nonisolated init(from decoder: any Swift.Decoder) throws {
            let container = try decoder.container(keyedBy: Agents.AnyCodingKey.self)
            self.city = try container.decode(String.self, forKey: Agents.AnyCodingKey("city"))
            self.days = try container.decode(Int.self, forKey: Agents.AnyCodingKey("days"))
            self.unit = try container.decodeIfPresent(String.self, forKey: Agents.AnyCodingKey("unit")) ?? "celsius"
            self.note = try container.decodeIfPresent(String.self, forKey: Agents.AnyCodingKey("note"))
            self.id = try container.decodeIfPresent(UUID.self, forKey: Agents.AnyCodingKey("id")) ?? UUID()
          }

          public nonisolated func encode(to encoder: any Swift.Encoder) throws {
            var container = encoder.container(keyedBy: Agents.AnyCodingKey.self)
            try container.encode(self.city, forKey: Agents.AnyCodingKey("city"))
            try container.encode(self.days, forKey: Agents.AnyCodingKey("days"))
            try container.encode(self.unit, forKey: Agents.AnyCodingKey("unit"))
            try container.encodeIfPresent(self.note, forKey: Agents.AnyCodingKey("note"))
            try container.encode(self.id, forKey: Agents.AnyCodingKey("id"))
          }
        }
        """
    )
  }

  @Test func sharedAnnotationsConstantDescriptionsAndOptionalSpellings() {
    expectExpansion(
      #"""
      /// Overridden by the attribute's description.
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
        /// Overridden by the attribute's description.
        package struct Point {
          /// A coordinate.
          var x, y: Double
          let label: String
          var tag: Optional<String> = nil
          var legacy: Int!
          var kind: Kind = .plain
        }

        extension Point: Agents.SchemaRepresentable, Swift.Decodable, Swift.Encodable {
          package nonisolated static var jsonSchema: Agents.JSONSchema {
            Agents.JSONSchema.object(for: Self.self, description: Texts.point) {
              [
                Agents.SchemaProperty("x", Double.self, description: "A coordinate."),
                Agents.SchemaProperty("y", Double.self, description: "A coordinate."),
                Agents.SchemaProperty("label", String.self, description: Texts.label, constraints: [.count(1 ... 20)]),
                Agents.SchemaProperty("tag", Optional<String>.self, isRequired: false),
                Agents.SchemaProperty("legacy", Optional<Int>.self),
                Agents.SchemaProperty("kind", Kind.self, default: .plain),
              ]
            }
          }

          package nonisolated init(from decoder: any Swift.Decoder) throws {
            let container = try decoder.container(keyedBy: Agents.AnyCodingKey.self)
            self.x = try container.decode(Double.self, forKey: Agents.AnyCodingKey("x"))
            self.y = try container.decode(Double.self, forKey: Agents.AnyCodingKey("y"))
            self.label = try container.decode(String.self, forKey: Agents.AnyCodingKey("label"))
            self.tag = try container.decodeIfPresent(String.self, forKey: Agents.AnyCodingKey("tag")) ?? nil
            self.legacy = try container.decodeIfPresent(Int.self, forKey: Agents.AnyCodingKey("legacy"))
            self.kind = try container.decodeIfPresent(Kind.self, forKey: Agents.AnyCodingKey("kind")) ?? .plain
          }

          package nonisolated func encode(to encoder: any Swift.Encoder) throws {
            var container = encoder.container(keyedBy: Agents.AnyCodingKey.self)
            try container.encode(self.x, forKey: Agents.AnyCodingKey("x"))
            try container.encode(self.y, forKey: Agents.AnyCodingKey("y"))
            try container.encode(self.label, forKey: Agents.AnyCodingKey("label"))
            try container.encodeIfPresent(self.tag, forKey: Agents.AnyCodingKey("tag"))
            try container.encodeIfPresent(self.legacy, forKey: Agents.AnyCodingKey("legacy"))
            try container.encode(self.kind, forKey: Agents.AnyCodingKey("kind"))
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

        extension Empty: Agents.SchemaRepresentable, Swift.Decodable, Swift.Encodable {
          nonisolated static var jsonSchema: Agents.JSONSchema {
            Agents.JSONSchema.object(for: Self.self, description: "A point.\nSecond \"paragraph\".") {
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

        extension User: Agents.SchemaRepresentable {
          nonisolated static var jsonSchema: Agents.JSONSchema {
            Agents.JSONSchema.object(for: Self.self) {
              [
                Agents.SchemaProperty("first_name", String.self),
              ]
            }
          }

          nonisolated init(from decoder: any Swift.Decoder) throws {
            let container = try decoder.container(keyedBy: Agents.AnyCodingKey.self)
            self.firstName = try container.decode(String.self, forKey: Agents.AnyCodingKey("first_name"))
          }

          nonisolated func encode(to encoder: any Swift.Encoder) throws {
            var container = encoder.container(keyedBy: Agents.AnyCodingKey.self)
            try container.encode(self.firstName, forKey: Agents.AnyCodingKey("first_name"))
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

        extension Query: Agents.SchemaRepresentable {
          nonisolated static var jsonSchema: Agents.JSONSchema {
            Agents.JSONSchema.object(for: Self.self) {
              [
                Agents.SchemaProperty("text", String.self),
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
      enum Unit: String {
        case celsius, fahrenheit = "F"
      }
      @Schema
      public enum Level: Int {
        case low = 1, high
      }
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
        enum Unit: String {
          case celsius, fahrenheit = "F"
        }
        public enum Level: Int {
          case low = 1, high
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

        extension Unit: Agents.SchemaRepresentable, Swift.Decodable, Swift.Encodable {
          nonisolated static var jsonSchema: Agents.JSONSchema {
            Agents.JSONSchema.enumeration([Self.celsius.rawValue, Self.fahrenheit.rawValue])
          }
        }

        extension Level: Agents.SchemaRepresentable, Swift.Decodable, Swift.Encodable {
          public nonisolated static var jsonSchema: Agents.JSONSchema {
            Agents.JSONSchema.enumeration([Self.low.rawValue, Self.high.rawValue])
          }
        }

        extension Mood: Agents.SchemaRepresentable, Swift.Decodable, Swift.Encodable {
          nonisolated static var jsonSchema: Agents.JSONSchema {
            Agents.JSONSchema.enumeration(["happy", "default"], description: "How one feels.")
          }

          nonisolated init(from decoder: any Swift.Decoder) throws {
            let container = try decoder.singleValueContainer()
            let name = try container.decode(String.self)
            switch name {
            case "happy":
              self = .happy
            case "default":
              self = .`default`
            default:
              throw Swift.DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected one of \"happy\", \"default\", got \"\(name)\""
              )
            }
          }

          nonisolated func encode(to encoder: any Swift.Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .happy:
              try container.encode("happy")
            case .`default`:
              try container.encode("default")
            }
          }
        }

        extension Shape: Agents.SchemaRepresentable, Swift.Decodable, Swift.Encodable {
          nonisolated static var jsonSchema: Agents.JSONSchema {
            Agents.JSONSchema.cases(for: Self.self) {
              [
                Agents.SchemaEnumCase("circle", description: "Round.", properties: [Agents.SchemaProperty("radius", Double.self)]),
                Agents.SchemaEnumCase("label", properties: [Agents.SchemaProperty("_0", String.self), Agents.SchemaProperty("size", Int?.self)]),
                Agents.SchemaEnumCase("empty"),
              ]
            }
          }

          nonisolated init(from decoder: any Swift.Decoder) throws {
            let container = try decoder.container(keyedBy: Agents.AnyCodingKey.self)
            guard container.allKeys.count == 1, let key = container.allKeys.first else {
              throw Swift.DecodingError.dataCorrupted(
                Swift.DecodingError.Context(
                  codingPath: container.codingPath,
                  debugDescription: "expected an object with exactly one key, one of \"circle\", \"label\", \"empty\""
                )
              )
            }
            switch key.stringValue {
            case "circle":
              let values = try container.nestedContainer(keyedBy: Agents.AnyCodingKey.self, forKey: key)
              self = try .circle(radius: values.decode(Double.self, forKey: Agents.AnyCodingKey("radius")))
            case "label":
              let values = try container.nestedContainer(keyedBy: Agents.AnyCodingKey.self, forKey: key)
              self = try .label(values.decode(String.self, forKey: Agents.AnyCodingKey("_0")), size: values.decodeIfPresent(Int.self, forKey: Agents.AnyCodingKey("size")))
            case "empty":
              self = .empty
            default:
              throw Swift.DecodingError.dataCorruptedError(
                forKey: key,
                in: container,
                debugDescription: "expected one of the keys \"circle\", \"label\", \"empty\", got \"\(key.stringValue)\""
              )
            }
          }

          nonisolated func encode(to encoder: any Swift.Encoder) throws {
            var container = encoder.container(keyedBy: Agents.AnyCodingKey.self)
            switch self {
            case .circle(let value0):
              var values = container.nestedContainer(keyedBy: Agents.AnyCodingKey.self, forKey: Agents.AnyCodingKey("circle"))
              try values.encode(value0, forKey: Agents.AnyCodingKey("radius"))
            case .label(let value0, let value1):
              var values = container.nestedContainer(keyedBy: Agents.AnyCodingKey.self, forKey: Agents.AnyCodingKey("label"))
              try values.encode(value0, forKey: Agents.AnyCodingKey("_0"))
              try values.encodeIfPresent(value1, forKey: Agents.AnyCodingKey("size"))
            case .empty:
              _ = container.nestedContainer(keyedBy: Agents.AnyCodingKey.self, forKey: Agents.AnyCodingKey("empty"))
            }
          }
        }
        """#
    )
  }
}
