import Agents
import Testing

@Suite("Decoding tool arguments")
struct SchemaArgumentsTests {
  private func failure(_ text: String, schema: JSONSchema? = nil) -> SchemaError? {
    do {
      _ = try SchemaCoding.decodeArguments(ForecastRequest.self, from: text, schema: schema)
      return nil
    } catch {
      return error
    }
  }

  @Test func validArgumentsDecodeWithDefaultsAndNullsForOptionalProperties() throws {
    let request = try SchemaCoding.decodeArguments(
      ForecastRequest.self,
      from: #"{"city":"Lyon","days":2,"note":null}"#
    )
    #expect(request == ForecastRequest(city: "Lyon", days: 2))
  }

  @Test func emptyTextMeansEmptyObject() throws {
    let empty = try SchemaCoding.decodeArguments(Folder.Empty.self, from: "  ")
    #expect(empty == Folder.Empty())
    #expect(failure("")?.message == "missing required property 'city'; missing required property 'days'")
  }

  @Test func invalidJSONSaysSo() {
    let error = failure(#"{"city": "Lyon""#)
    #expect(error?.code == .invalidJSON)
    #expect(error?.message.hasPrefix("the arguments are not valid JSON (invalid JSON at byte") == true)
    #expect(error?.message.hasSuffix("send one JSON object") == true)
  }

  @Test func schemaViolationsComeBeforeDecoding() {
    let error = failure(#"{"city":"Lyon","days":"two","unit":"kelvin"}"#)
    #expect(error?.code == .valueDoesNotMatch)
    #expect(
      error?.message
        == #"expected integer at $.days, got string "two"; expected one of "celsius", "fahrenheit" at $.unit, got "kelvin""#
    )
    #expect(error?.violations.map(\.path) == ["$.days", "$.unit"])
  }

  @Test func strictSchemaRejectsUnknownKeys() throws {
    let strict = try ForecastRequest.jsonSchema.strict()
    let error = failure(#"{"city":"Lyon","days":2,"unit":null,"note":null,"tags":null,"x":1}"#, schema: strict)
    #expect(error?.message == "unexpected property 'x' (allowed: city, days, unit, note, tags)")
  }

  @Test func decodingErrorsBecomeViolationsWithPaths() {
    // An empty schema accepts anything, so the decoder is what notices these.
    let any = JSONSchema([:])
    #expect(failure(#"{"days":1}"#, schema: any)?.message == "missing required property 'city'")
    #expect(failure(#"{"city":"A","days":"x"}"#, schema: any)?.message == "expected integer at $.days")
    #expect(
      failure(#"{"city":"A","days":1,"unit":"kelvin"}"#, schema: any)?.violations.first?.path == "$.unit"
    )
    do {
      _ = try SchemaCoding.decodeArguments(Trip.self, from: #"{"name":"x","stops":[{"nights":1}]}"#, schema: any)
      Issue.record("a stop without a city should not decode")
    } catch {
      #expect(error.message == "missing required property 'city' in $.stops[0]")
    }
  }
}

extension Folder {
  @Schema
  struct Empty: Equatable {}
}
