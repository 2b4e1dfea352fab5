import Agents
import Foundation
import Testing

/// A weather forecast request.
@Schema
struct ForecastRequest: Equatable {
  /// The city to forecast, e.g. "Lyon".
  var city: String
  /// Ignored: @Guide's description wins.
  @Guide("Number of days to forecast", .range(1...10))
  var days: Int
  var unit: TemperatureUnit = .celsius
  var note: String?
  @Guide(.count(1...5))
  var tags: [String] = []
}

@Schema
enum TemperatureUnit: String, Equatable {
  case celsius
  case fahrenheit
}

/// How the user feels.
@Schema
enum Mood: Equatable {
  case happy, sad
  case `default`
}

@Schema
enum Shape: Equatable {
  /// A circle.
  case circle(radius: Double)
  case rectangle(width: Double, height: Double)
  case label(String, size: Int?)
  case empty
}

@Schema
struct Survey {
  @Guide(.element(.range(0...5)), .maximumCount(3))
  var scores: [Int]
  @Guide(.anyOf(["red", "green"]))
  var colors: Set<String>
  @Guide("Airport code", .pattern("^[A-Z]{3}$"), .count(3))
  var airport: String
  @Guide(.range(0.5...1.5))
  var ratio: Double
  @Guide(.minimum(-1), .maximum(1.5))
  var offset: Double?
  @Guide(.minimumCount(2))
  var name: String
}

@Schema
enum Command: Equatable {
  case move(steps: Int = 1, note: String? = nil)
  case stop
}

@Schema
struct Trip: Equatable {
  var name: String
  var stops: [Stop]
  var shape: Shape?

  @Schema
  struct Stop: Equatable {
    var city: String
    var nights: UInt8 = 1
  }
}

/// A folder tree, which contains itself.
@Schema
struct Folder: Equatable {
  var name: String
  var children: [Folder] = []
}

@Schema
struct Renamed: Codable, Equatable {
  var firstName: String
  var ignored: Int = 7
  private var secret: String = "hidden"

  enum CodingKeys: String, CodingKey {
    case firstName = "first_name"
    case secret
  }

  init(firstName: String) { self.firstName = firstName }
  var revealedSecret: String { secret }
}

@Schema
struct Page<Item: SchemaRepresentable & Codable & Equatable>: Equatable {
  var items: [Item]
  var next: String?
}

@Schema(description: "Explicit description.")
public struct Stamped: Equatable {
  public var id: UUID = UUID()
  public var at: Date
  public var link: URL?
  public var extra: JSONValue = nil
  public var counts: [String: Int] = [:]
}

@Suite("Schema derivation with @Schema")
struct SchemaDerivationTests {
  @Test func structSchemaListsPropertiesInOrderWithDescriptionsConstraintsAndDefaults() {
    #expect(
      ForecastRequest.jsonSchema.description
        == #"{"type":"object","description":"A weather forecast request.","properties":{"#
        + #""city":{"type":"string","description":"The city to forecast, e.g. \"Lyon\"."},"#
        + #""days":{"type":"integer","minimum":1,"maximum":10,"description":"Number of days to forecast"},"#
        + #""unit":{"type":"string","enum":["celsius","fahrenheit"],"default":"celsius"},"#
        + #""note":{"type":"string"},"#
        + #""tags":{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":5,"default":[]}},"#
        + #""required":["city","days"]}"#
    )
  }

  @Test func decodingFillsDefaultsForMissingAndNullKeys() throws {
    let missing = try SchemaCoding.decode(ForecastRequest.self, from: ["city": "Lyon", "days": 3])
    #expect(missing == ForecastRequest(city: "Lyon", days: 3))
    let nulls = try SchemaCoding.decode(
      ForecastRequest.self,
      from: ["city": "Lyon", "days": 3, "unit": nil, "note": nil, "tags": nil]
    )
    #expect(nulls == ForecastRequest(city: "Lyon", days: 3))
    let full = try SchemaCoding.decode(
      ForecastRequest.self,
      from: ["city": "Oslo", "days": 2, "unit": "fahrenheit", "note": "hi", "tags": ["a"]]
    )
    #expect(full == ForecastRequest(city: "Oslo", days: 2, unit: .fahrenheit, note: "hi", tags: ["a"]))
  }

  @Test func decodingStillRequiresPropertiesWithoutDefaults() {
    #expect(throws: DecodingError.self) {
      try SchemaCoding.decode(ForecastRequest.self, from: ["days": 3])
    }
  }

  @Test func macroAddsEncodableWhenTheTypeDeclaresNoCodable() throws {
    let request = ForecastRequest(city: "Lyon", days: 3, unit: .fahrenheit)
    let encoded = try SchemaCoding.encode(request)
    #expect(encoded["city"] == "Lyon")
    #expect(encoded["unit"] == "fahrenheit")
    #expect(try SchemaCoding.decode(ForecastRequest.self, from: encoded) == request)
  }

  @Test func enumSchemas() {
    #expect(TemperatureUnit.jsonSchema.description == #"{"type":"string","enum":["celsius","fahrenheit"]}"#)
    #expect(
      Mood.jsonSchema.description
        == #"{"type":"string","description":"How the user feels.","enum":["happy","sad","default"]}"#
    )
  }

  @Test func enumWithoutRawValuesCodesByCaseName() throws {
    #expect(try SchemaCoding.decode(Mood.self, from: "default") == .default)
    #expect(try SchemaCoding.encode(Mood.sad) == "sad")
    do {
      _ = try SchemaCoding.decode(Mood.self, from: "angry")
      Issue.record("decoding an unknown case name should fail")
    } catch let DecodingError.dataCorrupted(context) {
      #expect(context.debugDescription == #"expected one of "happy", "sad", "default", got "angry""#)
    }
  }

  @Test func enumWithAssociatedValuesIsAnyOfSingleKeyObjects() throws {
    let closedEmpty = #"{"type":"object","properties":{},"required":[],"additionalProperties":false}"#
    #expect(
      Shape.jsonSchema.description
        == #"{"anyOf":["#
        + #"{"type":"object","description":"A circle.","properties":{"circle":{"type":"object","properties":"#
        + #"{"radius":{"type":"number"}},"required":["radius"],"additionalProperties":false}},"#
        + #""required":["circle"],"additionalProperties":false},"#
        + #"{"type":"object","properties":{"rectangle":{"type":"object","properties":"#
        + #"{"width":{"type":"number"},"height":{"type":"number"}},"required":["width","height"],"#
        + #""additionalProperties":false}},"required":["rectangle"],"additionalProperties":false},"#
        + #"{"type":"object","properties":{"label":{"type":"object","properties":"#
        + #"{"_0":{"type":"string"},"size":{"type":"integer"}},"required":["_0"],"#
        + #""additionalProperties":false}},"required":["label"],"additionalProperties":false},"#
        + #"{"type":"object","properties":{"empty":"# + closedEmpty + #"},"required":["empty"],"#
        + #""additionalProperties":false}]}"#
    )
    #expect(try SchemaCoding.decode(Shape.self, from: ["circle": ["radius": 2]]) == .circle(radius: 2))
    #expect(try SchemaCoding.decode(Shape.self, from: ["label": ["_0": "hi"]]) == .label("hi", size: nil))
    #expect(try SchemaCoding.decode(Shape.self, from: ["empty": [:]]) == .empty)
    let encoded = try SchemaCoding.encode(Shape.rectangle(width: 1, height: 2))
    #expect(Shape.jsonSchema.violations(of: encoded).isEmpty)
  }

  @Test func associatedValueDefaultsAndMalformedCaseObjects() throws {
    #expect(
      Command.jsonSchema.value["anyOf"]?.arrayValue?.first?["properties"]?["move"]
        == [
          "type": "object",
          "properties": ["steps": ["type": "integer", "default": 1], "note": ["type": "string"]],
          "required": [],
          "additionalProperties": false,
        ]
    )
    #expect(try SchemaCoding.decode(Command.self, from: ["move": [:]]) == .move(steps: 1))
    #expect(try SchemaCoding.decode(Command.self, from: ["move": ["steps": 3, "note": "x"]]) == .move(steps: 3, note: "x"))
    #expect(try SchemaCoding.encode(Command.stop) == ["stop": [:]])
    #expect(try SchemaCoding.encode(Command.move(steps: 2)) == ["move": ["steps": 2]])

    let anything = JSONSchema([:])
    #expect {
      try SchemaCoding.decodeArguments(Command.self, from: #"{"move":{},"stop":{}}"#, schema: anything)
    } throws: { error in
      (error as? SchemaError)?.message == #"expected an object with exactly one key, one of "move", "stop" at $"#
    }
    #expect {
      try SchemaCoding.decodeArguments(Command.self, from: #"{"jump":{}}"#, schema: anything)
    } throws: { error in
      (error as? SchemaError)?.message == #"expected one of the keys "move", "stop", got "jump" at $.jump"#
    }
  }

  @Test func guideConstraintsApplyToTheKindOfSchemaTheyMeet() {
    #expect(
      Survey.jsonSchema.value["properties"]
        == [
          "scores": ["type": "array", "items": ["type": "integer", "minimum": 0, "maximum": 5], "maxItems": 3],
          "colors": ["type": "array", "items": ["type": "string", "enum": ["red", "green"]], "uniqueItems": true],
          "airport": [
            "type": "string", "pattern": "^[A-Z]{3}$", "minLength": 3, "maxLength": 3, "description": "Airport code",
          ],
          "ratio": ["type": "number", "minimum": 0.5, "maximum": 1.5],
          "offset": ["type": "number", "minimum": -1, "maximum": 1.5],
          "name": ["type": "string", "minLength": 2],
        ]
    )
    #expect(Survey.jsonSchema.value["required"] == ["scores", "colors", "airport", "ratio", "name"])
    let value: JSONValue = ["scores": [1, 9], "colors": ["blue"], "airport": "LYS", "ratio": 1, "name": "Al"]
    #expect(
      Survey.jsonSchema.violations(of: value).map(\.message)
        == ["expected a number <= 5 at $.scores[1], got 9", #"expected one of "red", "green" at $.colors[0], got "blue""#]
    )
  }

  @Test func nestedTypesUseTheirOwnSchemas() throws {
    let schema = Trip.jsonSchema.value
    #expect(
      schema["properties"]?["stops"]
        == [
          "type": "array",
          "items": [
            "type": "object",
            "properties": [
              "city": ["type": "string"],
              "nights": ["type": "integer", "minimum": 0, "maximum": 255, "default": 1],
            ],
            "required": ["city"],
          ],
        ]
    )
    #expect(schema["properties"]?["shape"] == Shape.jsonSchema.value)
    #expect(schema["required"] == ["name", "stops"])
    let trip = try SchemaCoding.decode(
      Trip.self,
      from: ["name": "Alps", "stops": [["city": "Bern"], ["city": "Chur", "nights": 3]]]
    )
    #expect(trip.stops == [.init(city: "Bern", nights: 1), .init(city: "Chur", nights: 3)])
  }

  @Test func recursiveTypesBecomeReferencesIntoDefs() throws {
    let schema = Folder.jsonSchema
    let definition: JSONValue = [
      "type": "object",
      "description": "A folder tree, which contains itself.",
      "properties": [
        "name": ["type": "string"],
        "children": ["type": "array", "items": ["$ref": "#/$defs/Folder"], "default": []],
      ],
      "required": ["name"],
    ]
    var expected = definition.objectValue!
    expected["$defs"] = ["Folder": definition]
    #expect(schema.value == .object(expected))
    // Nested in an array, the type is a reference whose definition sits at the document root.
    let list = [Folder].jsonSchema.value
    #expect(list["items"] == ["$ref": "#/$defs/Folder"])
    #expect(list["$defs"] == ["Folder": definition])

    let value: JSONValue = ["name": "root", "children": [["name": "a", "children": [["name": 5]]]]]
    #expect(
      schema.violations(of: value).map(\.message)
        == ["expected string at $.children[0].children[0].name, got integer 5"]
    )
    #expect(
      JSONSchema(list).violations(of: [["name": "a", "children": [["children": []]]]]).map(\.message)
        == ["missing required property 'name' in $[0].children[0]"]
    )
  }

  @Test func codingKeysRenameAndExcludeProperties() throws {
    #expect(
      Renamed.jsonSchema.description
        == #"{"type":"object","properties":{"first_name":{"type":"string"},"#
        + #""secret":{"type":"string","default":"hidden"}},"required":["first_name"]}"#
    )
    let decoded = try SchemaCoding.decode(Renamed.self, from: ["first_name": "Ada", "secret": "s"])
    #expect(decoded.firstName == "Ada")
    #expect(decoded.revealedSecret == "s")
    #expect(decoded.ignored == 7)
    #expect(try SchemaCoding.encode(Renamed(firstName: "Bo"))["first_name"] == "Bo")
  }

  @Test func genericTypesUseTheirArgumentsSchemas() throws {
    #expect(Page<Int>.jsonSchema.value["properties"]?["items"] == ["type": "array", "items": ["type": "integer"]])
    let page = try SchemaCoding.decode(Page<Int>.self, from: ["items": [1, 2]])
    #expect(page == Page(items: [1, 2], next: nil))
  }

  @Test func foundationTypesDictionariesAndNonConstantDefaults() throws {
    let schema = Stamped.jsonSchema.value
    #expect(schema["description"] == "Explicit description.")
    #expect(schema["properties"]?["id"] == ["type": "string", "format": "uuid"])
    #expect(schema["properties"]?["at"] == ["type": "string", "format": "date-time"])
    #expect(schema["properties"]?["link"] == ["type": "string", "format": "uri"])
    #expect(schema["properties"]?["extra"] == [:])
    #expect(schema["properties"]?["counts"] == ["type": "object", "additionalProperties": ["type": "integer"], "default": [:]])
    #expect(schema["required"] == ["at"])

    let stamped = try SchemaCoding.decode(
      Stamped.self,
      from: ["at": "2025-01-31T09:30:00Z", "link": "https://example.com/a", "extra": ["k": [1]]]
    )
    #expect(stamped.at == Date(timeIntervalSince1970: 1_738_315_800))
    #expect(stamped.link == URL(string: "https://example.com/a"))
    #expect(stamped.extra == ["k": [1]])
    #expect(try SchemaCoding.encode(stamped)["at"] == "2025-01-31T09:30:00Z")
    #expect(
      try SchemaCoding.decode(Stamped.self, from: ["at": "2025-01-31T09:30:00.250Z"]).at
        == Date(timeIntervalSince1970: 1_738_315_800.25)
    )
    #expect(
      try SchemaCoding.decode(Stamped.self, from: ["at": "2025-01-31"]).at == Date(timeIntervalSince1970: 1_738_281_600)
    )
    #expect {
      try SchemaCoding.decodeArguments(Stamped.self, from: #"{"at":"yesterday"}"#)
    } throws: { error in
      (error as? SchemaError)?.message
        == #"expected an ISO 8601 date-time such as 2025-01-31T09:30:00Z, got "yesterday" at $.at"#
    }
  }
}

@Suite("Standard SchemaRepresentable conformances")
struct StandardSchemaTests {
  @Test func scalars() {
    #expect(String.jsonSchema.value == ["type": "string"])
    #expect(Bool.jsonSchema.value == ["type": "boolean"])
    #expect(Double.jsonSchema.value == ["type": "number"])
    #expect(Float.jsonSchema.value == ["type": "number"])
    #expect(Int.jsonSchema.value == ["type": "integer"])
    #expect(Int64.jsonSchema.value == ["type": "integer"])
    #expect(Int8.jsonSchema.value == ["type": "integer", "minimum": -128, "maximum": 127])
    #expect(UInt32.jsonSchema.value == ["type": "integer", "minimum": 0, "maximum": 4_294_967_295])
    #expect(UInt64.jsonSchema.value == ["type": "integer", "minimum": 0])
    #expect(UInt.jsonSchema.value == ["type": "integer", "minimum": 0])
  }

  @Test func collectionsAndOptionals() {
    #expect(Int?.jsonSchema.value == ["type": "integer"])
    #expect([String].jsonSchema.value == ["type": "array", "items": ["type": "string"]])
    #expect(Set<Int>.jsonSchema.value == ["type": "array", "items": ["type": "integer"], "uniqueItems": true])
    #expect([String: Bool].jsonSchema.value == ["type": "object", "additionalProperties": ["type": "boolean"]])
    #expect(JSONValue.jsonSchema.value == [:])
  }
}
