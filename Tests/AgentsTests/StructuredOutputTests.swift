@testable import Agents
import AgentsTesting
import Testing

@Suite struct StructuredOutputTests {
  static let rejected = AgentsError(.responseFormatUnsupported, "The server rejected response_format json_schema.")

  @Test func outputTypeIsRequestedAsJSONSchemaAndDecoded() async throws {
    let (agent, model) = scriptedAgent(steps: [.text(#"{"city":"Oslo","celsius":4}"#)], outputType: Forecast.self)
    let result = try await Runner().run(agent, input: "x")
    #expect(try result.finalOutput(as: Forecast.self) == Forecast(city: "Oslo", celsius: 4))
    #expect(result.finalOutputText == #"{"city":"Oslo","celsius":4}"#)
    let request = try #require(model.calls.first?.request)
    #expect(request.outputFormat == .jsonSchema(name: "Forecast", schema: Forecast.jsonSchema, strict: true))
    #expect(request.systemPrompt == "Be helpful.")
  }

  @Test(arguments: [
    "```json\n{\"city\":\"Oslo\",\"celsius\":4}\n```",
    "Here is the forecast:\n{\"city\": \"Oslo\", \"celsius\": 4}\nHope that helps!",
    "Sure! ```\n{\"city\":\"Oslo\",\"celsius\":4}\n``` Anything else?",
    "<think>The user wants {json}</think>{\"city\":\"Oslo\",\"celsius\":4}",
  ])
  func fencesProseAndThinkingAroundTheJSONAreStripped(reply: String) async throws {
    let (agent, _) = scriptedAgent(steps: [.text(reply)], outputType: Forecast.self)
    let result = try await Runner().run(agent, input: "x")
    #expect(try result.finalOutput(as: Forecast.self) == Forecast(city: "Oslo", celsius: 4))
  }

  @Test func invalidOutputGetsOneCorrectiveTurnQuotingTheError() async throws {
    let (agent, model) = scriptedAgent(
      steps: [.text(#"{"city":"Oslo"}"#), .text(#"{"city":"Oslo","celsius":4}"#)], outputType: Forecast.self)
    let result = try await Runner().run(agent, input: "x")
    #expect(try result.finalOutput(as: Forecast.self) == Forecast(city: "Oslo", celsius: 4))
    #expect(result.turns == 2)
    let correction = try #require(model.calls[1].request.input.last?.messageText)
    #expect(correction.contains("the required field 'celsius' is missing"))
    #expect(correction.contains(#""required":["city","celsius"]"#))
    // The correction is not part of the run's history.
    #expect(result.history == [.user("x"), .assistant(#"{"city":"Oslo"}"#), .assistant(#"{"city":"Oslo","celsius":4}"#)])
  }

  @Test func outputThatStaysInvalidIsATypedError() async throws {
    let (agent, model) = scriptedAgent(
      steps: [.text("I think it is cold."), .text(#"{"city":"Oslo","celsius":"cold"}"#)], outputType: Forecast.self)
    await #expect {
      try await Runner().run(agent, input: "x")
    } throws: { error in
      let error = try #require(error as? AgentsError)
      return error.code == .modelBehavior && error.message.contains("'celsius' has the wrong type")
        && error.partialRun?.turns == 2
    }
    #expect(model.calls.count == 2)
    #expect(model.calls[1].request.input.last?.messageText?.contains("not valid JSON") == true)
  }

  @Test func anEmptyReplyIsCorrectedToo() async throws {
    let (agent, model) = scriptedAgent(steps: [.text(""), .text(#"{"city":"Oslo","celsius":1}"#)], outputType: Forecast.self)
    _ = try await Runner().run(agent, input: "x")
    #expect(model.calls[1].request.input.last?.messageText?.contains("the reply was empty") == true)
  }

  @Test func rejectedJSONSchemaFallsBackToJSONObjectWithTheSchemaInTheInstructions() async throws {
    let (agent, model) = scriptedAgent(
      steps: [.failure(Self.rejected), .text(#"{"city":"Oslo","celsius":4}"#)], outputType: Forecast.self)
    let runner = Runner()
    let result = try await runner.run(agent, input: "x")
    #expect(try result.finalOutput(as: Forecast.self).celsius == 4)
    #expect(result.turns == 1)
    let retry = model.calls[1].request
    #expect(retry.outputFormat == .jsonObject)
    #expect(retry.systemPrompt?.hasPrefix("Be helpful.\n\nReply with only a JSON object") == true)
    #expect(retry.systemPrompt?.contains(Forecast.jsonSchema.description) == true)

    // The runner remembers the rejection for this model.
    model.append([.text(#"{"city":"Rome","celsius":20}"#)])
    _ = try await runner.run(agent, input: "again")
    #expect(model.calls[2].request.outputFormat == .jsonObject)
  }

  @Test func rejectedJSONObjectFallsBackToInstructionsOnly() async throws {
    let (agent, model) = scriptedAgent(
      steps: [.failure(Self.rejected), .failure(Self.rejected), .text(#"{"city":"Oslo","celsius":4}"#)],
      outputType: Forecast.self)
    let result = try await Runner().run(agent, input: "x")
    #expect(try result.finalOutput(as: Forecast.self).city == "Oslo")
    #expect(model.calls.map(\.request.outputFormat) == [
      .jsonSchema(name: "Forecast", schema: Forecast.jsonSchema, strict: true), .jsonObject, .text,
    ])
    #expect(model.calls[2].request.systemPrompt?.contains("Reply with only a JSON object") == true)
  }

  @Test func strictJSONSchemaStrategyDoesNotFallBack() async throws {
    let (agent, _) = scriptedAgent(steps: [.failure(Self.rejected)], outputType: Forecast.self)
    await #expect {
      try await Runner(configuration: .init(structuredOutput: .jsonSchema)).run(agent, input: "x")
    } throws: { error in
      (error as? AgentsError)?.code == .responseFormatUnsupported
    }
  }

  @Test func nonObjectOutputTypesAreWrapped() async throws {
    let (agent, model) = scriptedAgent(steps: [.text(#"{"response":["a","b"]}"#)], outputType: Tags.self)
    let result = try await Runner().run(agent, input: "x")
    #expect(try result.finalOutput(as: Tags.self).values == ["a", "b"])
    guard case .jsonSchema(_, let schema, _) = model.calls[0].request.outputFormat else {
      Issue.record("expected a json_schema format")
      return
    }
    #expect(schema.value["properties"]?["response"]?["type"] == "array")
  }

  @Test func textAgentsGetPlainText() async throws {
    let (agent, model) = scriptedAgent(steps: [.text("plain")])
    _ = try await Runner().run(agent, input: "x")
    #expect(model.calls[0].request.outputFormat == .text)
  }

  @Test func extractionFindsBalancedJSON() {
    #expect(JSONExtraction.extract(from: #"noise {"a":"}{","b":[1,{"c":2}]} trailing }"#) == #"{"a":"}{","b":[1,{"c":2}]}"#)
    #expect(JSONExtraction.extract(from: "```\n[1, 2]\n```") == "[1, 2]")
    #expect(JSONExtraction.extract(from: #"{"escaped":"quote \" and } brace"}"#) == #"{"escaped":"quote \" and } brace"}"#)
    #expect(JSONExtraction.extract(from: "  no json  ") == "no json")
  }
}

/// A non-object output type: a JSON array of strings.
struct Tags: Decodable, SchemaRepresentable, Sendable, Equatable {
  var values: [String]
  init(from decoder: any Decoder) throws { values = try decoder.singleValueContainer().decode([String].self) }
  static var jsonSchema: JSONSchema { JSONSchema(["type": "array", "items": ["type": "string"]]) }
}
