import FakeModelServer
import Foundation
import OpenAICompatible
import Testing
import WireCore
import TestSupport

/// The wire layer on a second real implementation's formats: responses recorded from llama.cpp's llama-server
/// (`Fixtures/llama-server`, see its README) replayed byte for byte, with their status and content type, over
/// real loopback HTTP through ``ChatCompletionsClient``.
@Suite struct LlamaServerFixtureTests {
  /// The structured output the `chat-json-schema*` requests asked for.
  struct Capital: Codable, Equatable {
    var country: String
    var capital: String
    var populationMillions: Double

    enum CodingKeys: String, CodingKey {
      case country, capital
      case populationMillions = "population_millions"
    }
  }

  /// A recorded exchange: what llama-server answered to one request.
  struct Recording {
    var status: Int
    var contentType: String
    var body: [UInt8]

    init(_ name: String) throws {
      let meta = try Fixture.json("llama-server/\(name).meta.json")
      status = try #require(meta["status"]?.intValue)
      contentType = try #require(meta["content_type"]?.stringValue)
      let ext = contentType.hasPrefix("text/event-stream") ? "sse" : "json"
      body = try Fixture.bytes("llama-server/\(name).response.\(ext)")
    }
  }

  /// Runs `body` with a client whose server answers the next request with the recording `name`.
  func replaying<Result>(
    _ name: String, _ body: (ChatCompletionsClient) async throws -> Result
  ) async throws -> Result {
    let recording = try Recording(name)
    return try await withServer { server in
      server.inject(
        .respond(status: recording.status, headers: [("Content-Type", recording.contentType)], body: recording.body),
        times: 1)
      return try await body(
        ChatCompletionsClient(
          config: OllamaConfig(
            provider: .openAI, baseURL: server.openAIBaseURL, defaultModel: "gemma3-270m", retry: .disabled)))
    }
  }

  /// Streams the recording `name` and returns every event plus the completion they add up to.
  func streamed(_ name: String) async throws -> (events: [ChatStreamEvent], completion: ChatCompletion) {
    try await replaying(name) { client in
      var iterator = try await client.stream(ChatCompletionRequest(messages: [.user("recorded")])).makeAsyncIterator()
      var events: [ChatStreamEvent] = []
      while let event = try await iterator.next() { events.append(event) }
      return (events, iterator.accumulator.completion)
    }
  }

  static let request = ChatCompletionRequest(messages: [.user("recorded")])

  @Test func nonStreamedAnswerKeepsLlamaServerExtras() async throws {
    let completion = try await replaying("chat-plain") { try await $0.complete(Self.request) }
    #expect(completion.message.role == .assistant)
    #expect(completion.message.text.hasPrefix("You are a concise assistant.\n\nName three primary colors."))
    #expect(completion.finishReason == .length)
    #expect(completion.usage?.promptTokens == 21)
    #expect(completion.usage?.completionTokens == 48)
    #expect(completion.usage?.totalTokens == 69)
    #expect(completion.usage?.details["prompt_tokens_details"]?["cached_tokens"] == 0)
    #expect(completion.model == "gemma3-270m")
    #expect(completion.id.hasPrefix("chatcmpl-") && completion.id.count == "chatcmpl-".count + 32)
    #expect(completion.raw["timings"]?["predicted_n"] == 48)
    #expect(completion.raw["system_fingerprint"] == "b0-unknown")
  }

  @Test func streamedAnswerSkipsTheNullFirstDeltaAndEndsWithFinishThenUsage() async throws {
    let (events, completion) = try await streamed("chat-plain-stream")
    let texts = events.compactMap { if case .contentDelta(let text) = $0 { text } else { nil } }
    #expect(!texts.contains(""))
    #expect(texts.joined() == "Name three primary colors.\n(a) (b) (c)\n(a) (b) (c")
    #expect(texts.count == 24)
    let usage = try #require(completion.usage)
    #expect(Array(events.suffix(2)) == [.finished(.length), .usage(usage)])
    #expect(completion.usage?.promptTokens == 14)
    #expect(completion.usage?.completionTokens == 24)
    #expect(completion.message.text == texts.joined())
    #expect(completion.model == "gemma3-270m")
  }

  @Test func streamWithoutIncludeUsageHasNoUsage() async throws {
    let (events, completion) = try await streamed("chat-plain-stream-no-usage")
    #expect(events.last == .finished(.length))
    #expect(!events.contains { if case .usage = $0 { true } else { false } })
    #expect(completion.usage == nil)
    #expect(completion.message.text == "Say hello. mendatanguser\nSay hello")
  }

  @Test(arguments: ["chat-tools-required", "chat-tools-auto"])
  func streamedToolCallFragmentsAddUpToTheNonStreamedCall(_ name: String) async throws {
    let whole = try await replaying(name) { try await $0.complete(Self.request) }
    let (events, streamed) = try await streamed(name + "-stream")

    let expected = try #require(whole.message.toolCalls.first)
    #expect(whole.message.toolCalls.count == 1)
    #expect(expected.function.name == "get_weather")
    #expect(expected.function.argumentsObject?["city"] == "Paris")
    #expect(expected.function.argumentsObject?["unit"] == "celsius")
    #expect(expected.id.count == 32 && !expected.id.hasPrefix("call_"))

    // Same request at temperature 0: the streamed message is the non-streamed one, apart from the call's id.
    #expect(streamed.message.text == whole.message.text)
    #expect(streamed.message.text == "You may call tools. To call one, answer with ")
    let call = try #require(streamed.message.toolCalls.first)
    #expect(streamed.message.toolCalls.count == 1)
    #expect(call.function == expected.function)
    #expect(streamed.finishReason == .length)

    // The arguments arrive in pieces; only the first piece names the call.
    let deltas = events.compactMap { if case .toolCallDelta(let delta) = $0 { delta } else { nil } }
    #expect(deltas.count > 3)
    #expect(deltas.first?.id == call.id)
    #expect(deltas.first?.name == "get_weather")
    #expect(deltas.dropFirst().allSatisfy { $0.id == nil && $0.name == nil && $0.index == 0 })
    #expect(deltas.compactMap(\.arguments).joined() == call.function.arguments)
    // The assembled call is announced once, before the finish event.
    let announced = events.compactMap { if case .toolCall(let call) = $0 { call } else { nil } }
    #expect(announced == [call])
    let finish = try #require(events.firstIndex(of: .finished(.length)))
    #expect(events.firstIndex(of: .toolCall(call)).map { $0 < finish } == true)
  }

  @Test func truncatedToolCallKeepsItsRawArgumentsInsteadOfFailing() async throws {
    let completion = try await replaying("chat-tool-result") { try await $0.complete(Self.request) }
    let calls = completion.message.toolCalls
    #expect(calls.map(\.function.name) == ["get_weather", "get_weather"])
    #expect(calls.first?.function.argumentsObject?["city"] == "Paris")
    #expect(calls.last?.function.arguments == #"{"city": ""#)
    #expect(calls.last?.function.argumentsObject == nil)
    #expect(completion.message.text == "")
    #expect(completion.finishReason == .length)
  }

  @Test func jsonSchemaAnswerDecodesIntoACodableType() async throws {
    let completion = try await replaying("chat-json-schema") { try await $0.complete(Self.request) }
    let capital = try JSONDecoder().decode(Capital.self, from: Data(completion.message.text.utf8))
    #expect(capital == Capital(country: "France", capital: "Paris", populationMillions: 1e15))
    #expect(completion.finishReason == .stop)
  }

  @Test func streamedJSONSchemaAnswerDecodesIntoACodableType() async throws {
    let (_, completion) = try await streamed("chat-json-schema-stream")
    let capital = try JSONDecoder().decode(Capital.self, from: Data(completion.message.text.utf8))
    #expect(capital == Capital(country: "Japan", capital: "Tokyo", populationMillions: 1e15))
    #expect(completion.finishReason == .stop)
    #expect(completion.usage?.completionTokens == 57)
  }

  @Test(arguments: [false, true])
  func contextOverflowIsAContextOverflowErrorWithTheServersMessage(streaming: Bool) async throws {
    let name = streaming ? "error-context-exceeded-stream" : "error-context-exceeded"
    let error = await #expect(throws: ModelServerError.self) {
      try await replaying(name) { client in
        if streaming {
          _ = try await client.stream(Self.request)
        } else {
          _ = try await client.complete(Self.request)
        }
      }
    }
    #expect(error?.code == .contextOverflow)
    #expect(error?.status == 400)
    #expect(error?.promptTokens == 6009)
    #expect(error?.contextLength == 4096)
    #expect(
      error?.serverMessage == "request (6009 tokens) exceeds the available context size (4096 tokens), try increasing it")
  }

  @Test func invalidRequestErrorCarriesTheServersMessage() async throws {
    let error = await #expect(throws: ModelServerError.self) {
      try await replaying("error-invalid-messages") { _ = try await $0.complete(Self.request) }
    }
    #expect(error?.code == .httpStatus)
    #expect(error?.status == 400)
    #expect(error?.serverMessage == "Expected 'messages' to be an array")
  }

  @Test func modelListReadsTheOpenAIDataArray() async throws {
    let models = try await replaying("models") { try await $0.listModels() }
    #expect(models.map(\.id) == ["gemma3-270m"])
    #expect(models.first?.ownedBy == "llamacpp")
    #expect(models.first?.raw["meta"]?["n_ctx"] == 4096)
  }

  @Test(arguments: try Self.streamFixtureNames())
  func everyRecordedStreamSurvivesAnyChunking(_ name: String) async throws {
    let bytes = try Fixture.bytes("llama-server/" + name)
    let whole = await StreamOutcome.replay([bytes])
    #expect(whole.errorCode == nil, "\(whole.errorMessage ?? "")")
    #expect(whole.completion?.finishReason != nil)
    let byteByByte = await StreamOutcome.replay(bytes.map { [$0] })
    #expect(byteByByte == whole)
    var generator = SeededGenerator(seed: UInt64(bytes.count))
    for _ in 0..<5 {
      let offsets = (0..<20).map { _ in Int.random(in: 1..<bytes.count, using: &generator) }
      #expect(await StreamOutcome.replay(Fixture.split(bytes, at: offsets)) == whole)
    }
  }

  /// The recorded `.sse` files, so a newly recorded stream is covered without editing this file.
  static func streamFixtureNames() throws -> [String] {
    guard let base = Bundle.module.resourceURL else { return [] }
    let folder = base.appendingPathComponent("Fixtures").appendingPathComponent("llama-server")
    return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sse") }.sorted()
  }
}
