@testable import Agents
import AgentsTesting
import Synchronization
import Testing

@Suite struct ToolLoopTests {
  @Test func toolOutputGoesBackToTheModel() async throws {
    let (agent, model) = scriptedAgent(
      steps: [.toolCall("get_weather", arguments: ["city": "Paris"], id: "call_1"), .text("It is sunny.")],
      tools: [weatherTool()])
    let result = try await Runner().run(agent, input: "Weather in Paris?")
    #expect(result.text == "It is sunny.")
    #expect(result.turns == 2)
    #expect(result.toolCallNames == ["get_weather"])
    #expect(result.newItems.map(\.kind) == [.toolCall, .toolOutput, .message])
    let second = model.calls[1].request
    #expect(second.input == [
      .user("Weather in Paris?"),
      .toolCall(ToolCall(id: "call_1", name: "get_weather", arguments: #"{"city":"Paris"}"#)),
      .toolOutput(ToolCallOutput(callID: "call_1", output: "Sunny, 21°C in Paris")),
    ])
    #expect(model.calls[0].request.tools.map(\.name) == ["get_weather"])
    #expect(model.calls[0].request.tools[0].parameters == CityArguments.jsonSchema)
  }

  @Test func textThatComesWithToolCallsIsNeverFinal() async throws {
    let (agent, model) = scriptedAgent(
      steps: [.toolCall("get_weather", arguments: ["city": "Rome"], text: "Let me check."), .text("Rome is sunny.")],
      tools: [weatherTool()])
    let result = try await Runner().run(agent, input: "Rome?")
    #expect(result.text == "Rome is sunny.")
    #expect(result.newItems.map(\.kind) == [.message, .toolCall, .toolOutput, .message])
    #expect(model.calls.count == 2)
  }

  @Test func encodableOutputsAreSentAsJSON() async throws {
    let tool = FunctionTool(name: "forecast", description: "Forecast") { (arguments: CityArguments, _: ToolContext) in
      Forecast(city: arguments.city, celsius: 18)
    }
    let (agent, model) = scriptedAgent(steps: [.toolCall("forecast", arguments: ["city": "Oslo"]), .text("ok")], tools: [tool])
    _ = try await Runner().run(agent, input: "x")
    #expect(model.calls[1].request.toolOutputs == [#"{"celsius":18,"city":"Oslo"}"#])
  }

  @Test func rawToolsReceiveJSONAndDeclareTheirOwnSchema() async throws {
    let schema = JSONSchema(["type": "object", "properties": ["n": ["type": "integer"]]])
    let tool = FunctionTool(name: "double", description: "Doubles n", parameters: schema) { arguments, _ in
      "\((arguments["n"]?.intValue ?? 0) * 2)"
    }
    let (agent, model) = scriptedAgent(steps: [.toolCall("double", arguments: ["n": 21]), .text("42")], tools: [tool])
    _ = try await Runner().run(agent, input: "x")
    #expect(model.calls[0].request.tools[0].parameters == schema)
    #expect(model.calls[1].request.toolOutputs == ["42"])
  }

  @Test func allToolCallsOfOneResponseRunConcurrently() async throws {
    let gate = Gate(releaseAt: 3)
    let tool = FunctionTool(name: "wait", description: "Waits for the others") { (arguments: CityArguments, _: ToolContext) in
      await gate.arrive()
      return arguments.city
    }
    let calls = ["a", "b", "c"].map { ToolCall(id: "call_\($0)", name: "wait", arguments: #"{"city":"\#($0)"}"#) }
    let (agent, model) = scriptedAgent(steps: [.toolCalls(calls), .text("done")], tools: [tool])
    _ = try await Runner().run(agent, input: "x")
    // Each call waits until all three have started, so finishing proves they overlapped; outputs keep call order.
    #expect(model.calls[1].request.toolOutputs == ["a", "b", "c"])
  }

  @Test func toolConcurrencyIsBounded() async throws {
    let inFlight = Mutex((now: 0, peak: 0))
    let gate = Gate(releaseAt: 2)
    let tool = FunctionTool(name: "work", description: "Works") { (arguments: CityArguments, _: ToolContext) in
      inFlight.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
      await gate.arrive()
      inFlight.withLock { $0.now -= 1 }
      return arguments.city
    }
    let calls = (1...6).map { ToolCall(id: "call_\($0)", name: "work", arguments: #"{"city":"\#($0)"}"#) }
    let (agent, model) = scriptedAgent(steps: [.toolCalls(calls), .text("done")], tools: [tool])
    _ = try await Runner(configuration: .init(maxToolConcurrency: 2)).run(agent, input: "x")
    #expect(inFlight.withLock { $0.peak } == 2)
    #expect(model.calls[1].request.toolOutputs == ["1", "2", "3", "4", "5", "6"])
  }

  @Test func aThrowingToolReportsItsErrorToTheModel() async throws {
    let tool = FunctionTool(name: "get_weather", description: "Weather") { (_: CityArguments, _: ToolContext) -> String in
      throw ToolBroke()
    }
    let (agent, model) = scriptedAgent(steps: [.toolCall("get_weather", arguments: ["city": "Paris"]), .text("Sorry")], tools: [tool])
    let result = try await Runner().run(agent, input: "x")
    #expect(result.text == "Sorry")
    let output = try #require(model.calls[1].request.toolOutputs.first)
    #expect(output.contains("An error occurred while running the tool 'get_weather'"))
    #expect(output.contains("the weather service is down"))
  }

  @Test func aThrowingToolStopsTheRunWhenConfigured() async throws {
    let tool = FunctionTool(name: "get_weather", description: "Weather") { (_: CityArguments, _: ToolContext) -> String in
      throw ToolBroke()
    }
    let (agent, _) = scriptedAgent(steps: [.toolCall("get_weather", arguments: ["city": "Paris"])], tools: [tool])
    await #expect {
      try await Runner(configuration: .init(toolFailures: .throwError)).run(agent, input: "x")
    } throws: { error in
      let error = try #require(error as? AgentsError)
      return error.code == .toolFailed && error.underlying is ToolBroke && error.partialRun?.turns == 1
    }
  }

  @Test func invalidJSONArgumentsGoBackToTheModel() async throws {
    let calls = [ToolCall(id: "c", name: "get_weather", arguments: #"{"city": "Par"#)]
    let (agent, model) = scriptedAgent(steps: [.toolCalls(calls), .text("retrying")], tools: [weatherTool()])
    _ = try await Runner().run(agent, input: "x")
    let output = try #require(model.calls[1].request.toolOutputs.first)
    #expect(output.contains("not valid JSON"))
    #expect(output.contains("Call the tool again"))
  }

  @Test func argumentsThatDoNotDecodeGoBackToTheModel() async throws {
    let (agent, model) = scriptedAgent(
      steps: [.toolCall("get_weather", arguments: ["town": "Paris"]), .text("retrying")], tools: [weatherTool()])
    _ = try await Runner().run(agent, input: "x")
    let output = try #require(model.calls[1].request.toolOutputs.first)
    #expect(output.contains("missing required property 'city'"))
  }

  @Test func nonObjectArgumentsGoBackToTheModel() async throws {
    let calls = [ToolCall(id: "c", name: "get_weather", arguments: #"["Paris"]"#)]
    let (agent, model) = scriptedAgent(steps: [.toolCalls(calls), .text("retrying")], tools: [weatherTool()])
    _ = try await Runner().run(agent, input: "x")
    #expect(model.calls[1].request.toolOutputs.first?.contains("must be a JSON object") == true)
  }

  @Test func badArgumentsStopTheRunWhenConfigured() async throws {
    let (agent, _) = scriptedAgent(steps: [.toolCall("get_weather", arguments: ["town": "Paris"])], tools: [weatherTool()])
    await expectAgentsError(.modelBehavior, mentioning: "'city'") {
      _ = try await Runner(configuration: .init(toolFailures: .throwError)).run(agent, input: "x")
    }
  }

  @Test func unknownToolsGoBackToTheModel() async throws {
    let (agent, model) = scriptedAgent(
      steps: [.toolCall("get_wether", arguments: ["city": "Paris"]), .text("fixed")], tools: [weatherTool()])
    let result = try await Runner().run(agent, input: "x")
    #expect(result.text == "fixed")
    #expect(model.calls[1].request.toolOutputs == [
      "Tool 'get_wether' not found. Available tools: get_weather. Call one of those, or answer directly."
    ])
  }

  @Test func unknownToolsThrowWhenConfigured() async throws {
    let (agent, _) = scriptedAgent(steps: [.toolCall("get_wether")], tools: [weatherTool()])
    await expectAgentsError(.modelBehavior, mentioning: "get_wether") {
      _ = try await Runner(configuration: .init(unknownTools: .throwError)).run(agent, input: "x")
    }
  }

  @Test func toolTimeoutsReportToTheModel() async throws {
    let tool = neverFinishingTool()
    let (agent, model) = scriptedAgent(steps: [.toolCall("slow", arguments: ["city": "x"]), .text("gave up")], tools: [tool])
    _ = try await Runner().run(agent, input: "x")
    #expect(model.calls[1].request.toolOutputs.first?.hasPrefix("Tool 'slow' timed out") == true)
  }

  @Test func toolTimeoutsThrowWhenConfigured() async throws {
    let tool = neverFinishingTool()
    let (agent, _) = scriptedAgent(steps: [.toolCall("slow", arguments: ["city": "x"])], tools: [tool])
    await expectAgentsError(.toolTimeout) {
      _ = try await Runner(configuration: .init(toolFailures: .throwError)).run(agent, input: "x")
    }
  }

  @Test func disabledToolsAreNotOffered() async throws {
    let hidden = FunctionTool(name: "hidden", description: "Hidden", isEnabled: { _, _ in false }) {
      (_: CityArguments, _: ToolContext) in "x"
    }
    let (agent, model) = scriptedAgent(steps: [.text("ok")], tools: [weatherTool(), hidden])
    _ = try await Runner().run(agent, input: "x")
    #expect(model.calls[0].request.tools.map(\.name) == ["get_weather"])
  }
}

/// A tool that only ends when cancelled, with a timeout far shorter than that.
func neverFinishingTool() -> FunctionTool {
  FunctionTool(name: "slow", description: "Never finishes", timeout: .milliseconds(1)) {
    (_: CityArguments, _: ToolContext) -> String in
    try await Task.sleep(for: .seconds(3600))
    return "never"
  }
}

/// Suspends arrivals until `releaseAt` callers have arrived, then lets everyone through.
actor Gate {
  private let releaseAt: Int
  private var arrived = 0
  private var waiting: [CheckedContinuation<Void, Never>] = []

  init(releaseAt: Int) { self.releaseAt = releaseAt }

  func arrive() async {
    arrived += 1
    if arrived >= releaseAt {
      for continuation in waiting { continuation.resume() }
      waiting.removeAll()
      return
    }
    await withCheckedContinuation { waiting.append($0) }
  }
}

@Suite struct ToolCallIDTests {
  @Test func repeatedAndEmptyIDsAreMadeUnique() async throws {
    let calls = [
      ToolCall(id: "same", name: "get_weather", arguments: #"{"city":"A"}"#),
      ToolCall(id: "same", name: "get_weather", arguments: #"{"city":"B"}"#),
      ToolCall(id: "", name: "get_weather", arguments: #"{"city":"C"}"#),
    ]
    let (agent, model) = scriptedAgent(steps: [.toolCalls(calls), .text("ok")], tools: [weatherTool()])
    _ = try await Runner().run(agent, input: "x")
    let input = model.calls[1].request.input
    let callIDs = input.compactMap { if case .toolCall(let call) = $0 { call.id } else { nil } }
    let outputIDs = input.compactMap { if case .toolOutput(let output) = $0 { output.callID } else { nil } }
    #expect(Set(callIDs).count == 3)
    #expect(callIDs == outputIDs)
    #expect(model.calls[1].request.toolOutputs == ["Sunny, 21°C in A", "Sunny, 21°C in B", "Sunny, 21°C in C"])
  }
}

@Suite struct StrictToolTests {
  /// Arguments with an optional field, whose schema is not strict yet.
  struct SearchArguments: Decodable, SchemaRepresentable, Sendable {
    var query: String
    var limit: Int?
    static var jsonSchema: JSONSchema {
      JSONSchema([
        "type": "object", "properties": ["query": ["type": "string"], "limit": ["type": "integer"]],
        "required": ["query"],
      ])
    }
  }

  @Test func strictToolsSendTheStrictSchemaAndAcceptNullForOptionalFields() async throws {
    let tool = FunctionTool(name: "search", description: "Search", strict: true) {
      (arguments: SearchArguments, _: ToolContext) in "\(arguments.query) \(arguments.limit.map(String.init) ?? "all")"
    }
    #expect(tool.definition.strict)
    #expect(tool.definition.parameters.value["additionalProperties"] == false)
    #expect(tool.definition.parameters.value["required"] == ["query", "limit"])
    let (agent, model) = scriptedAgent(
      steps: [.toolCall("search", arguments: ["query": "swift", "limit": nil]), .text("ok")], tools: [tool])
    _ = try await Runner().run(agent, input: "x")
    #expect(model.calls[1].request.toolOutputs == ["swift all"])
  }

  @Test func rawToolArgumentsAreCheckedAgainstTheirSchema() async throws {
    let schema = JSONSchema(["type": "object", "properties": ["n": ["type": "integer"]], "required": ["n"]])
    let tool = FunctionTool(name: "double", description: "Doubles n", parameters: schema) { arguments, _ in
      "\((arguments["n"]?.intValue ?? 0) * 2)"
    }
    let (agent, model) = scriptedAgent(steps: [.toolCall("double", arguments: ["n": "two"]), .text("ok")], tools: [tool])
    _ = try await Runner().run(agent, input: "x")
    #expect(model.calls[1].request.toolOutputs.first?.contains("expected integer") == true)
  }
}
