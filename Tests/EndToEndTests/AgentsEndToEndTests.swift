import Agents
import Foundation
import Testing

/// The Agents SDK against a real llama-server: runs, streamed runs, structured output and sessions.
@Suite(
  .enabled(if: EndToEndEnvironment.isEnabled, EndToEndEnvironment.skipReason), .serialized,
  .timeLimit(.minutes(3)))
struct AgentsEndToEndTests {
  /// The structured output the agent is asked for; the server constrains the answer to its schema.
  struct Capital: Codable, SchemaRepresentable, Sendable {
    var country: String
    var capital: String

    static var jsonSchema: JSONSchema {
      JSONSchema([
        "type": "object",
        "properties": ["country": ["type": "string"], "capital": ["type": "string"]],
        "required": ["country", "capital"], "additionalProperties": false,
      ])
    }
  }

  func runner() throws -> Runner {
    Runner(configuration: Runner.Configuration(modelProvider: OpenAICompatibleProvider(config: try RealServer.config())))
  }

  func agent(maxTokens: Int = 16, outputType: (any StructuredOutput.Type)? = nil) throws -> Agent {
    Agent(
      name: "Assistant", instructions: "You are a concise assistant.", model: .named(EndToEndEnvironment.model),
      modelSettings: try ModelSettings(temperature: 0, maxTokens: maxTokens), outputType: outputType)
  }

  @Test func runAnswersWithTextAndUsage() async throws {
    let result = try await runner().run(try agent(), input: "Name three primary colors.")
    #expect(!result.finalOutputText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    #expect(try result.finalOutput(as: String.self) == result.finalOutputText)
    #expect(result.turns == 1)
    #expect(result.usage.requests == 1)
    #expect(result.usage.inputTokens > 0)
    #expect(result.usage.outputTokens > 0 && result.usage.outputTokens <= 16)
    #expect(result.modelCalls.map(\.streamed) == [false])
  }

  @Test func streamedRunDeliversTextDeltasThenTheResult() async throws {
    var deltas: [String] = []
    var finished: RunResult?
    var eventsAfterFinish = 0
    for try await event in try runner().runStreamed(try agent(), input: "Tell me about the sea.") {
      if finished != nil { eventsAfterFinish += 1 }
      switch event {
      case .textDelta(let text): deltas.append(text)
      case .finished(let result): finished = result
      default: break
      }
    }
    let result = try #require(finished, "a streamed run ends with .finished")
    #expect(eventsAfterFinish == 0)
    #expect(deltas.count > 1)
    #expect(!deltas.joined().trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    #expect(result.finalOutputText.trimmingCharacters(in: .whitespacesAndNewlines)
      == deltas.joined().trimmingCharacters(in: .whitespacesAndNewlines))
    let call = try #require(result.modelCalls.first)
    #expect(call.streamed)
    #expect(call.usage.outputTokens > 0)
    #expect(call.timeToFirstToken > .zero && call.timeToFirstToken <= call.latency)
  }

  @Test func structuredOutputDecodesIntoTheAgentsOutputType() async throws {
    let result = try await runner().run(
      try agent(maxTokens: 64, outputType: Capital.self), input: "Give the capital of France.")
    let capital = try result.finalOutput(as: Capital.self)
    #expect(!capital.country.isEmpty, "got \(result.finalOutputText)")
    let decodedAgain = try JSONDecoder().decode(Capital.self, from: Data(result.finalOutputText.utf8))
    #expect(decodedAgain.capital == capital.capital)
  }

  @Test func sessionCarriesHistoryIntoTheNextRun() async throws {
    let runner = try runner()
    let agent = try agent()
    let session = InMemorySession(sessionID: "e2e")
    let first = try await runner.run(agent, input: "My name is Ada.", session: session)
    let second = try await runner.run(agent, input: "What is my name?", session: session)

    let items = await session.items(limit: nil)
    let userMessages = items.compactMap { item -> String? in
      if case .message(let message) = item, message.role == .user { message.content } else { nil }
    }
    #expect(userMessages == ["My name is Ada.", "What is my name?"])
    let assistantMessages = items.compactMap { item -> String? in
      if case .message(let message) = item, message.role == .assistant { message.content } else { nil }
    }
    #expect(assistantMessages == [first.finalOutputText, second.finalOutputText])
    #expect(second.input.contains(.user("My name is Ada.")))

    // The real server counted the first exchange in the second prompt.
    let firstPrompt = try #require(first.modelCalls.first?.usage.inputTokens)
    let secondPrompt = try #require(second.modelCalls.first?.usage.inputTokens)
    #expect(secondPrompt > firstPrompt)
  }
}
