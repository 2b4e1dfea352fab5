import FakeModelServer
import Foundation
import OpenAICompatible
import Testing
import WireCore

/// Context-overflow errors of llama-server, Ollama, vLLM and OpenAI (`Fixtures/context-overflow`, see its README)
/// replayed over loopback: each one is a ``ModelServerError/Code/contextOverflow`` with the sizes the server named.
@Suite struct ContextOverflowFixtureTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var file: String
    var status: Int
    var promptTokens: Int?
    var contextLength: Int?
    var answerTokens: Int?
    var testDescription: String { file }
  }

  static let cases: [Case] = {
    guard let list = try? Fixture.json("context-overflow/cases.json").arrayValue else { return [] }
    return list.map {
      Case(
        file: $0["file"]?.stringValue ?? "", status: $0["status"]?.intValue ?? 0,
        promptTokens: $0["prompt_tokens"]?.intValue, contextLength: $0["context_length"]?.intValue,
        answerTokens: $0["answer_tokens"]?.intValue)
    }
  }()

  static let request = ChatCompletionRequest(model: "qwen2.5-coder-0.5b", messages: [.user("word word word")])

  @Test func everyFixtureIsListed() throws {
    #expect(Self.cases.count == 9)
  }

  @Test(arguments: cases, [false, true])
  func overflowBodyIsAContextOverflow(_ fixture: Case, streaming: Bool) async throws {
    let body = try Fixture.bytes("context-overflow/" + fixture.file)
    let server = try await FakeOllamaServer.start()
    server.inject(.respond(status: fixture.status, headers: [("Content-Type", "application/json")], body: body))
    let client = ChatCompletionsClient(
      config: OllamaConfig(provider: .openAI, baseURL: server.openAIBaseURL, defaultModel: "m", retry: .disabled))
    let error = await #expect(throws: ModelServerError.self) {
      if streaming { _ = try await client.stream(Self.request) } else { _ = try await client.complete(Self.request) }
    }
    try await server.shutdown()
    #expect(error?.code == .contextOverflow)
    #expect(error?.status == fixture.status)
    #expect(error?.promptTokens == fixture.promptTokens)
    #expect(error?.contextLength == fixture.contextLength)
    #expect(error?.requestedAnswerTokens == fixture.answerTokens)
    #expect(error?.isTransient == false)
    #expect(error?.description.contains("does not fit the model's context") == true)
  }

  @Test func theRecordedRunawayStreamRepeatsOneLineUntilTheLengthLimit() async throws {
    let bytes = try Fixture.bytes("context-overflow/llama-server-runaway-stream.response.sse")
    let outcome = await StreamOutcome.replay(Fixture.split(bytes, at: [4096, 30000]))
    #expect(outcome.errorCode == nil)
    #expect(outcome.completion?.finishReason == .length)
    let lines = outcome.contentText.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    #expect(lines.filter { $0 == "Silent whispers of leaves," }.count > 40)
  }
}
