@testable import Agents
import AgentsTesting
import Testing
import TestSupport

/// The SDK over real loopback HTTP against the in-process fake Ollama server.
@Suite struct FakeServerTests {
  static let chatPath = "/v1/chat/completions"

  @discardableResult
  func withServer<T>(_ body: (FakeOllamaServer, Runner) async throws -> T) async throws -> T {
    try await TestSupport.withServer { server in
      let config = OllamaConfig(baseURL: server.openAIBaseURL, retry: .disabled)
      return try await body(server, Runner(configuration: .init(modelProvider: OpenAICompatibleProvider(config: config))))
    }
  }

  func weatherAgent() -> Agent {
    Agent(name: "Weather", instructions: "Answer briefly.", model: "llama3.2", tools: [weatherTool()])
  }

  @Test func toolLoop() async throws {
    try await withServer { server, runner in
      server.enqueue(.toolCall("get_weather", arguments: ["city": "Paris"], id: "call_p1"), .text("Sunny in Paris."))
      let result = try await runner.run(weatherAgent(), input: "Weather in Paris?")
      #expect(result.text == "Sunny in Paris.")
      #expect(result.toolCallNames == ["get_weather"])
      #expect(result.usage.requests == 2)
      #expect(result.usage.totalTokens > 0)
      let requests = server.requests(to: Self.chatPath)
      #expect(requests.count == 2)
      #expect(requests[0].tools.first?["function"]?["name"] == "get_weather")
      #expect(requests[0].json?["stream"] == false)
      let messages = requests[1].messages
      #expect(messages.map { $0["role"]?.stringValue } == ["system", "user", "assistant", "tool"])
      #expect(messages[2]["tool_calls"]?.arrayValue?.first?["id"] == "call_p1")
      #expect(messages[3]["tool_call_id"] == "call_p1")
      #expect(messages[3]["content"] == "Sunny, 21°C in Paris")
    }
  }

  @Test func streamedToolLoop() async throws {
    try await withServer { server, runner in
      server.enqueue(
        .toolCall("get_weather", arguments: ["city": "Oslo"]), .text("Oslo is sunny today.", chunkSize: 4))
      var deltas: [String] = []
      var called: [String] = []
      var result: RunResult?
      for try await event in runner.runStreamed(weatherAgent(), input: "Weather in Oslo?") {
        switch event {
        case .textDelta(let delta): deltas.append(delta)
        case .toolCalled(let call): called.append(call.name)
        case .finished(let value): result = value
        default: break
        }
      }
      #expect(deltas.count > 1)
      #expect(deltas.joined() == "Oslo is sunny today.")
      #expect(called == ["get_weather"])
      let final = try #require(result)
      #expect(final.text == "Oslo is sunny today.")
      #expect(final.usage.totalTokens > 0)
      #expect(final.modelCalls.allSatisfy { $0.streamed && $0.timeToFirstToken <= $0.latency })
      let requests = server.requests(to: Self.chatPath)
      #expect(requests.allSatisfy { $0.json?["stream"] == true && $0.json?["stream_options"]?["include_usage"] == true })
    }
  }

  @Test func handoff() async throws {
    try await withServer { server, runner in
      let billing = Agent(name: "Billing", instructions: "You handle invoices.", model: "llama3.2")
      let triage = Agent(name: "Triage", instructions: "Route the user.", model: "llama3.2", handoffs: [.to(billing)])
      server.enqueue(.toolCall("transfer_to_billing", id: "call_h"), .text("Your invoice is paid."))
      let result = try await runner.run(triage, input: "Is my invoice paid?")
      #expect(result.lastAgent === billing)
      #expect(result.text == "Your invoice is paid.")
      let second = server.requests(to: Self.chatPath)[1].messages
      #expect(second.first?["content"] == "You handle invoices.")
      #expect(second.last?["role"] == "tool")
      #expect(second.last?["content"] == #"{"assistant":"Billing"}"#)
    }
  }

  @Test func structuredOutputWithJSONSchema() async throws {
    try await withServer { server, runner in
      let agent = Agent(name: "Forecaster", instructions: "Forecast.", model: "llama3.2", outputType: Forecast.self)
      server.enqueue(.text(#"{"city":"Oslo","celsius":3}"#))
      let result = try await runner.run(agent, input: "Oslo?")
      #expect(try result.finalOutput(as: Forecast.self) == Forecast(city: "Oslo", celsius: 3))
      let format = server.requests(to: Self.chatPath)[0].json?["response_format"]
      #expect(format?["type"] == "json_schema")
      #expect(format?["json_schema"]?["schema"] == Forecast.jsonSchema.value)
    }
  }

  @Test func structuredOutputFallsBackToJSONObjectThenToInstructions() async throws {
    try await withServer { server, runner in
      let agent = Agent(name: "Forecaster", instructions: "Forecast.", model: "llama3.2", outputType: Forecast.self)
      let rejection = "'response_format.type' : value is not one of the allowed values ['text','json_object']"
      server.inject(.error(status: 400, message: rejection), on: Self.chatPath, times: 1)
      server.enqueue(.text("```json\n{\"city\": \"Oslo\", \"celsius\": 3}\n```"))
      let first = try await runner.run(agent, input: "Oslo?")
      #expect(try first.finalOutput(as: Forecast.self).celsius == 3)
      var requests = server.requests(to: Self.chatPath)
      #expect(requests.count == 2)
      #expect(requests[1].json?["response_format"] == ["type": "json_object"])
      #expect(requests[1].messages.first?["content"]?.stringValue?.contains(#""required":["city","celsius"]"#) == true)

      // The server now rejects json_object too: the runner drops response_format and keeps the instructions.
      server.clearRecordedRequests()
      server.inject(.error(status: 400, message: "response_format json_object is not supported"), on: Self.chatPath, times: 1)
      server.enqueue(.text(#"Here you go: {"city": "Rome", "celsius": 20}"#))
      let second = try await runner.run(agent, input: "Rome?")
      #expect(try second.finalOutput(as: Forecast.self).city == "Rome")
      requests = server.requests(to: Self.chatPath)
      #expect(requests.map { $0.json?["response_format"]?["type"] } == ["json_object", nil])
      #expect(requests[1].messages.first?["content"]?.stringValue?.contains("Reply with only a JSON object") == true)
    }
  }

  @Test func invalidStructuredOutputGetsACorrectiveTurn() async throws {
    try await withServer { server, runner in
      let agent = Agent(name: "Forecaster", model: "llama3.2", outputType: Forecast.self)
      server.enqueue(.text(#"{"city":"Oslo","celsius":"three"}"#), .text(#"{"city":"Oslo","celsius":3}"#))
      let result = try await runner.run(agent, input: "Oslo?")
      #expect(try result.finalOutput(as: Forecast.self).celsius == 3)
      let correction = server.requests(to: Self.chatPath)[1].messages.last
      #expect(correction?["role"] == "user")
      #expect(correction?["content"]?.stringValue?.contains("expected integer at $.celsius") == true)
    }
  }

  @Test func reasoningIsSeparatedFromTheAnswer() async throws {
    try await withServer { server, runner in
      server.enqueue(FakeOllamaServer.Reply(content: "Hello!", reasoning: "The user greets me."))
      let result = try await runner.run(Agent(name: "A", model: "llama3.2"), input: "Hi")
      #expect(result.text == "Hello!")
      #expect(result.reasoning == ["The user greets me."])
    }
  }

  @Test func aModelWithoutToolSupportIsAClearError() async throws {
    try await withServer { _, runner in
      let agent = Agent(name: "Small", model: "gemma:2b", tools: [weatherTool()])
      await #expect {
        try await runner.run(agent, input: "x")
      } throws: { error in
        let error = try #require(error as? AgentsError)
        return error.code == .toolsUnsupported && error.message.contains("gemma:2b") && error.message.contains("get_weather")
      }
    }
  }

  @Test func serverErrorsPassThrough() async throws {
    try await withServer { _, runner in
      await #expect {
        try await runner.run(Agent(name: "A", model: "llama9"), input: "x")
      } throws: { error in
        (error as? ModelServerError)?.code == .modelNotFound
      }
    }
  }
}
