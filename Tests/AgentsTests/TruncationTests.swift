@testable import Agents
import AgentsTesting
import Testing
import TestSupport

/// `finish_reason: "length"` reaches ``RunResult/truncation``, ``RunResult/finishReason`` and the event stream.
@Suite struct TruncationTests {
  @Test func anAnswerCutAtMaxTokensIsMarkedWithTheLimit() async throws {
    let model = ScriptedModel(steps: [
      .response(ModelResponse(text: "Once upon a time", usage: Usage(outputTokens: 64), finishReason: "length"))
    ])
    let agent = Agent(name: "Writer", model: .model(model), modelSettings: try ModelSettings(maxTokens: 64))
    var events: [ResponseTruncation] = []
    var result: RunResult?
    for try await event in Runner().runStreamed(agent, input: "A long story") {
      if case .answerTruncated(let truncation) = event { events.append(truncation) }
      if case .finished(let value) = event { result = value }
    }
    let truncation = try #require(result?.truncation)
    #expect(events == [truncation])
    #expect(truncation.reason == .tokenLimit)
    #expect(truncation.reachedMaxTokens)
    #expect(truncation.description == "the answer reached its 64-token limit (max_tokens)")
    #expect(result?.finishReason == "length")
    #expect(result?.finalOutputText == "Once upon a time", "the cut answer is still the answer")
  }

  @Test func anAnswerCutBeforeMaxTokensFilledTheContext() {
    let truncation = ResponseTruncation(reason: .tokenLimit, maxTokens: 1024, outputTokens: 700)
    #expect(!truncation.reachedMaxTokens)
    #expect(truncation.description == "the server stopped the answer after 700 tokens: the model's context is full")
    #expect(
      ResponseTruncation(reason: .tokenLimit).description == "the server stopped the answer at its length limit")
  }

  @Test func aCompleteAnswerHasNoTruncation() async throws {
    let model = ScriptedModel(steps: [.response(ModelResponse(text: "Done.", finishReason: "stop"))])
    let result = try await Runner().run(Agent(name: "A", model: .model(model)), input: "Hi")
    #expect(result.truncation == nil)
    #expect(result.finishReason == "stop")
  }

  @Test func aCutToolCallTurnIsNotTheAnswerButACutFinalTurnIs() async throws {
    let model = ScriptedModel(steps: [
      .response(ModelResponse(toolCalls: [ToolCall(id: "c1", name: "get_weather", arguments: #"{"city":"Oslo"}"#)], finishReason: "length")),
      .text("Sunny."),
    ])
    let agent = Agent(name: "W", model: .model(model), tools: [weatherTool()])
    let result = try await Runner().run(agent, input: "Weather?")
    #expect(result.truncation == nil)
  }

  @Test(arguments: [false, true])
  func theServersLengthFinishReasonIsMarkedOverHTTP(streamed: Bool) async throws {
    try await TestSupport.withServer { server in
      server.enqueue(FakeOllamaServer.Reply(content: "The dragon flew over the", finishReason: "length", chunkSize: 5))
      let config = OllamaConfig(baseURL: server.openAIBaseURL, retry: .disabled)
      let runner = Runner(configuration: .init(modelProvider: OpenAICompatibleProvider(config: config)))
      var settings = ModelSettings()
      settings.maxTokens = 6
      let agent = Agent(name: "Writer", model: "llama3.2", modelSettings: settings)
      let result =
        streamed
        ? try await runner.runStreamed(agent, input: "Story").result() : try await runner.run(agent, input: "Story")
      #expect(result.finalOutputText == "The dragon flew over the")
      #expect(result.truncation?.reason == .tokenLimit)
      #expect(result.truncation?.maxTokens == 6)
      #expect(result.finishReason == "length")
      #expect(server.lastRequest?.json?["max_tokens"] == 6)
    }
  }
}
