import Agents
import Testing

@Suite("Schema validation messages")
struct SchemaValidationTests {
  private func messages(_ schema: JSONSchema, _ value: JSONValue) -> [String] {
    schema.violations(of: value).map(\.message)
  }

  @Test func validArgumentsHaveNoViolations() throws {
    let value: JSONValue = ["city": "Lyon", "days": 3, "unit": "celsius", "tags": ["x"]]
    #expect(messages(ForecastRequest.jsonSchema, value) == [])
    try ForecastRequest.jsonSchema.validate(value)
    // 2.0 is an integer in JSON Schema.
    #expect(messages(ForecastRequest.jsonSchema, ["city": "Lyon", "days": 2.0]) == [])
  }

  @Test func missingRequiredAndWrongTypes() {
    #expect(
      messages(ForecastRequest.jsonSchema, ["days": "three"])
        == ["missing required property 'city'", #"expected integer at $.days, got string "three""#]
    )
    #expect(
      messages(Trip.jsonSchema, ["name": "x", "stops": [["city": "A"], ["nights": 2]]])
        == ["missing required property 'city' in $.stops[1]"]
    )
    #expect(messages(ForecastRequest.jsonSchema, [1, 2]) == ["expected object at $, got array of 2 items"])
  }

  @Test func enumConstraintsAndBounds() {
    let value: JSONValue = ["city": "", "days": 11, "unit": "kelvin", "tags": []]
    #expect(
      messages(ForecastRequest.jsonSchema, value)
        == [
          "expected a number <= 10 at $.days, got 11",
          #"expected one of "celsius", "fahrenheit" at $.unit, got "kelvin""#,
          "expected at least 1 item at $.tags, got 0",
        ]
    )
    let bounded = JSONSchema(["type": "integer", "minimum": 0, "exclusiveMaximum": 5])
    #expect(messages(bounded, -1) == ["expected a number >= 0 at $, got -1"])
    #expect(messages(bounded, 5) == ["expected a number < 5 at $, got 5"])
  }

  @Test func stringLengthAndPattern() {
    let code = JSONSchema(["type": "string", "minLength": 3, "maxLength": 3, "pattern": "^[A-Z]+$"])
    #expect(messages(code, "LYS") == [])
    #expect(
      messages(code, "ab")
        == ["expected at least 3 characters at $, got 2", #"expected a string matching /^[A-Z]+$/ at $, got string "ab""#]
    )
  }

  @Test func additionalPropertiesFalseNamesTheAllowedOnes() throws {
    let strict = try ForecastRequest.jsonSchema.strict()
    let value: JSONValue = [
      "city": "Lyon", "days": 1, "unit": nil, "note": nil, "tags": nil, "country": "FR", "two words": 1,
    ]
    #expect(
      messages(strict, value)
        == [
          "unexpected property 'country' (allowed: city, days, unit, note, tags)",
          "unexpected property 'two words' (allowed: city, days, unit, note, tags)",
        ]
    )
    #expect(strict.violations(of: value).map(\.path) == ["$.country", #"$["two words"]"#])
  }

  @Test func nullableAlternativesAreNamedTogether() throws {
    let strict = try ForecastRequest.jsonSchema.strict()
    let value: JSONValue = ["city": "Lyon", "days": 1, "unit": nil, "note": 3, "tags": nil]
    #expect(messages(strict, value) == ["expected string or null at $.note, got integer 3"])
    let trip = try Trip.jsonSchema.strict()
    let tripValue: JSONValue = ["name": "x", "stops": [], "shape": "round"]
    #expect(messages(trip, tripValue) == [#"expected object or null at $.shape, got string "round""#])
  }

  @Test func anyOfReportsTheClosestBranch() {
    #expect(
      messages(Shape.jsonSchema, ["circle": ["radius": "big"]])
        == [#"expected number at $.circle.radius, got string "big""#]
    )
    #expect(messages(Shape.jsonSchema, ["rectangle": ["width": 1, "height": 2]]) == [])
  }

  @Test func uniqueItemsAndTupleItems() {
    #expect(
      messages(Set<Int>.jsonSchema, [1, 2, 1.0])
        == ["expected unique items at $, but item 2 repeats item 0"]
    )
    let pair = JSONSchema(["type": "array", "items": [["type": "string"], ["type": "integer"]]])
    #expect(messages(pair, ["a", "b"]) == [#"expected integer at $[1], got string "b""#])
  }

  @Test func validateThrowsOneErrorListingEveryViolation() {
    #expect {
      try ForecastRequest.jsonSchema.validate(["days": true])
    } throws: { error in
      guard let error = error as? SchemaError else { return false }
      return error.code == .valueDoesNotMatch && error.violations.count == 2
        && error.message == "missing required property 'city'; expected integer at $.days, got boolean true"
    }
  }

  @Test func violationCountIsCapped() {
    let schema = JSONSchema(["type": "array", "items": ["type": "string"]])
    let value = JSONValue.array(Array(repeating: 1, count: 100))
    #expect(schema.violations(of: value).count == 10)
    #expect(schema.violations(of: value, limit: 3).count == 3)
  }

  @Test func deepValuesAndCyclicSchemasAreBounded() {
    var deep: JSONValue = []
    for _ in 0..<500 { deep = [deep] }
    let nested = JSONSchema(["type": "array", "items": ["$ref": "#"]])
    let found = messages(nested, deep)
    #expect(found.count == 1)
    #expect(found.first?.contains("nested deeper than 64 levels") == true)

    let selfReferencing = JSONSchema(["$ref": "#"])
    #expect(messages(selfReferencing, 1).first?.contains("nested deeper than 64 levels") == true)
    #expect(messages(JSONSchema(["$ref": "#/$defs/Nope"]), 1) == [##"the schema's $ref "#/$defs/Nope" at $ cannot be resolved"##])
  }

  @Test func booleanSchemas() {
    let schema = JSONSchema(["type": "object", "properties": ["never": false, "anything": true]])
    #expect(messages(schema, ["never": 1, "anything": [1]]) == ["no value is allowed at $.never"])
  }
}
