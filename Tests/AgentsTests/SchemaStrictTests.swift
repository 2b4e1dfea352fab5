import Agents
import Testing

@Suite("Strict schema conversion")
struct SchemaStrictTests {
  @Test func derivedStructBecomesClosedWithAllPropertiesRequiredAndOptionalOnesNullable() throws {
    let strict = try ForecastRequest.jsonSchema.strict()
    #expect(
      strict.description
        == #"{"type":"object","description":"A weather forecast request.","properties":{"#
        + #""city":{"type":"string","description":"The city to forecast, e.g. \"Lyon\"."},"#
        + #""days":{"type":"integer","minimum":1,"maximum":10,"description":"Number of days to forecast"},"#
        + #""unit":{"type":["string","null"],"enum":["celsius","fahrenheit",null],"default":"celsius"},"#
        + #""note":{"type":["string","null"]},"#
        + #""tags":{"type":["array","null"],"items":{"type":"string"},"minItems":1,"maxItems":5,"default":[]}},"#
        + #""required":["city","days","unit","note","tags"],"additionalProperties":false}"#
    )
  }

  @Test func nullsAllowedByStrictModeDecodeToDefaults() throws {
    let strict = try ForecastRequest.jsonSchema.strict()
    let arguments: JSONValue = ["city": "Lyon", "days": 4, "unit": nil, "note": nil, "tags": nil]
    #expect(strict.violations(of: arguments).isEmpty)
    #expect(try SchemaCoding.decode(ForecastRequest.self, from: arguments) == ForecastRequest(city: "Lyon", days: 4))
  }

  @Test func conversionIsIdempotent() throws {
    for schema in [ForecastRequest.jsonSchema, Trip.jsonSchema, Folder.jsonSchema] {
      let once = try schema.strict()
      #expect(try once.strict().description == once.description)
    }
  }

  @Test func nestedObjectsItemsAndAnyOfBranchesAreClosed() throws {
    let strict = try Trip.jsonSchema.strict().value
    let stop = strict["properties"]?["stops"]?["items"]
    #expect(stop?["additionalProperties"] == false)
    #expect(stop?["required"] == ["city", "nights"])
    #expect(stop?["properties"]?["nights"]?["type"] == ["integer", "null"])
    let shape = strict["properties"]?["shape"]
    let branches = shape?["anyOf"]?.arrayValue ?? []
    #expect(branches.count == 5)
    #expect(branches.last == ["type": "null"])
    #expect(branches.first?["properties"]?["circle"]?["additionalProperties"] == false)
    // The optional associated value becomes nullable but stays listed in required.
    #expect(branches[2]["properties"]?["label"]?["required"] == ["_0", "size"])
    #expect(branches[2]["properties"]?["label"]?["properties"]?["size"]?["type"] == ["integer", "null"])
  }

  @Test func recursiveDefinitionsAreConverted() throws {
    let strict = try Folder.jsonSchema.strict().value
    let definition = strict["$defs"]?["Folder"]
    #expect(definition?["additionalProperties"] == false)
    #expect(definition?["required"] == ["name", "children"])
    #expect(definition?["properties"]?["children"]?["items"] == ["$ref": "#/$defs/Folder"])
  }

  @Test func emptyRootBecomesEmptyClosedObject() throws {
    #expect(
      try JSONSchema([:]).strict().value
        == ["type": "object", "properties": [:], "required": [], "additionalProperties": false]
    )
  }

  @Test func dictionariesAreRejectedWithThePathAndAFix() {
    #expect {
      try Stamped.jsonSchema.strict()
    } throws: { error in
      guard let error = error as? SchemaError else { return false }
      return error.code == .notStrictCompatible && error.message.contains("#/properties/counts")
        && error.message.contains("turn strict mode off")
    }
    let explicit = JSONSchema(["type": "object", "properties": [:], "additionalProperties": true])
    #expect(throws: SchemaError.self) { try explicit.strict() }
  }

  @Test func rootAnyOfIsRejected() {
    #expect {
      try Shape.jsonSchema.strict()
    } throws: { error in
      (error as? SchemaError)?.code == .notStrictCompatible
    }
  }

  @Test func oneOfBecomesAnyOfDefaultNullIsDroppedAndSingleAllOfIsMerged() throws {
    let schema = JSONSchema([
      "type": "object",
      "properties": [
        "choice": ["oneOf": [["type": "string"], ["type": "integer"]], "default": nil],
        "merged": ["allOf": [["type": "object", "properties": ["x": ["type": "number"]]]]],
      ],
      "required": ["choice", "merged"],
    ])
    let strict = try schema.strict().value
    #expect(strict["properties"]?["choice"] == ["anyOf": [["type": "string"], ["type": "integer"]]])
    #expect(
      strict["properties"]?["merged"]
        == [
          "type": "object", "properties": ["x": ["type": ["number", "null"]]], "required": ["x"],
          "additionalProperties": false,
        ]
    )
  }

  @Test func referenceWithSiblingsIsInlinedAndPureReferenceIsWrappedWhenNullable() throws {
    let schema = JSONSchema([
      "type": "object",
      "properties": [
        "home": ["$ref": "#/$defs/Place", "description": "Where you live"],
        "work": ["$ref": "#/$defs/Place"],
      ],
      "required": ["home"],
      "$defs": ["Place": ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]]],
    ])
    let strict = try schema.strict().value
    #expect(
      strict["properties"]?["home"]
        == [
          "type": "object", "properties": ["city": ["type": "string"]], "required": ["city"],
          "description": "Where you live", "additionalProperties": false,
        ]
    )
    #expect(strict["properties"]?["work"] == ["anyOf": [["$ref": "#/$defs/Place"], ["type": "null"]]])
  }

  @Test func brokenReferencesAreErrorsNotCrashes() {
    let dangling = JSONSchema([
      "type": "object", "properties": ["a": ["$ref": "#/$defs/Missing", "description": "x"]],
    ])
    #expect {
      try dangling.strict()
    } throws: { error in
      (error as? SchemaError)?.code == .malformedSchema
        && (error as? SchemaError)?.message.contains("#/$defs/Missing") == true
    }
    let cyclic = JSONSchema([
      "type": "object", "properties": ["a": ["$ref": "#/$defs/Loop", "description": "x"]],
      "$defs": ["Loop": ["$ref": "#/$defs/Loop", "description": "y"]],
    ])
    #expect {
      try cyclic.strict()
    } throws: { error in
      (error as? SchemaError)?.code == .malformedSchema
    }
  }
}
