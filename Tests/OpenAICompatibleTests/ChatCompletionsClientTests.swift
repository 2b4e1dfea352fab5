import FakeModelServer
import Synchronization
import OpenAICompatible
import Testing
import TestSupport
import WireCore

/// The client against the in-process fake Ollama over real loopback HTTP.
@Suite struct ChatCompletionsClientTests {
  func withClient<Result>(
    _ configuration: FakeOllamaServer.Configuration = .init(),
    timeouts: OllamaConfig.Timeouts = OllamaConfig.Timeouts(),
    _ body: (ChatCompletionsClient, FakeOllamaServer) async throws -> Result
  ) async throws -> Result {
    try await withServer(configuration) { server in
      let config = OllamaConfig(
        baseURL: server.openAIBaseURL, timeouts: timeouts,
        retry: OllamaConfig.RetryPolicy(initialBackoff: .milliseconds(1), jitter: 0))
      return try await body(ChatCompletionsClient(config: config), server)
    }
  }

  static let weatherTool = ChatTool.function(
    name: "get_weather", description: "Get weather",
    parameters: ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]])

  @Test func completesAndSendsWhatOllamaAccepts() async throws {
    try await withClient { client, server in
      server.enqueue(.text("Paris is sunny."))
      let request = ChatCompletionRequest(
        messages: [.system("Be brief."), .user("Weather?"), .assistant(nil)], temperature: 0.2, maxTokens: 64)
      let completion = try await client.complete(request)
      #expect(completion.message.text == "Paris is sunny.")
      #expect(completion.finishReason == .stop)
      #expect(completion.usage != nil)
      let sent = try #require(server.lastRequest?.json)
      #expect(sent["model"] == "llama3.2")
      #expect(sent["max_tokens"] == 64)
      #expect(sent["stream"] == false)
      #expect(sent["messages"]?.arrayValue?.last?["content"] == "")
    }
  }

  @Test(arguments: [FakeOllamaServer.StreamLayout.current, .legacy])
  func streamedTextAddsUpToTheNonStreamedAnswer(_ layout: FakeOllamaServer.StreamLayout) async throws {
    var configuration = FakeOllamaServer.Configuration()
    configuration.streamLayout = layout
    try await withClient(configuration) { client, server in
      let reply = FakeOllamaServer.Reply(content: "Hello, wörld 😀 — streamed", reasoning: "Think first.", chunkSize: 3)
      server.enqueue(reply, reply)
      let request = ChatCompletionRequest(messages: [.user("hi")], includeUsage: true)
      let whole = try await client.complete(request)
      let stream = try await client.stream(request)
      var deltas: [String] = []
      var iterator = stream.makeAsyncIterator()
      while let event = try await iterator.next() {
        if case .contentDelta(let text) = event { deltas.append(text) }
      }
      #expect(deltas.count > 3)
      let streamed = iterator.accumulator.completion
      #expect(streamed.message == whole.message)
      #expect(streamed.finishReason == whole.finishReason)
      #expect(streamed.usage == whole.usage)
    }
  }

  @Test(arguments: [
    FakeOllamaServer.ToolCallDelivery.whole, .together, .fragments(size: 3),
  ])
  func streamedToolCallsAddUpToTheNonStreamedAnswer(_ delivery: FakeOllamaServer.ToolCallDelivery) async throws {
    try await withClient { client, server in
      let calls = [
        FakeOllamaServer.ToolCall(id: "call_paris001", name: "get_weather", arguments: ["city": "Paris"]),
        FakeOllamaServer.ToolCall(id: "call_tokyo002", name: "get_weather", arguments: ["city": "Tokyo"]),
      ]
      let reply = FakeOllamaServer.Reply.toolCalls(calls, content: "Checking.", delivery: delivery)
      server.enqueue(reply, reply)
      let request = ChatCompletionRequest(messages: [.user("weather?")], tools: [Self.weatherTool])
      let whole = try await client.complete(request)
      let streamed = try await client.stream(request).collect()
      #expect(whole.message.toolCalls.count == 2)
      #expect(streamed.message == whole.message)
      #expect(streamed.finishReason == .toolCalls)
      #expect(streamed.message.toolCalls.map { $0.function.argumentsObject?["city"] } == ["Paris", "Tokyo"])
      #expect(streamed.message.toolCalls.map(\.id) == ["call_paris001", "call_tokyo002"])
    }
  }

  @Test func legacyParallelCallsAllAtIndexZeroStaySeparate() async throws {
    var configuration = FakeOllamaServer.Configuration()
    configuration.toolCallIndexing = .allAtZero
    try await withClient(configuration) { client, server in
      server.enqueue(.toolCalls([
        FakeOllamaServer.ToolCall(name: "write_file", arguments: ["path": "a"]),
        FakeOllamaServer.ToolCall(name: "write_file", arguments: ["path": "b"]),
      ]))
      let completion = try await client.stream(ChatCompletionRequest(messages: [.user("go")], tools: [Self.weatherTool])).collect()
      #expect(completion.message.toolCalls.map(\.function.name) == ["write_file", "write_file"])
      #expect(completion.message.toolCalls.map(\.function.arguments) == [#"{"path":"a"}"#, #"{"path":"b"}"#])
    }
  }

  @Test func aMidStreamFailureIsAStreamCutNotASilentSuccess() async throws {
    try await withClient { client, server in
      server.inject(.midStreamError(afterEvents: 2), times: 1)
      server.enqueue(.text("one two three four five", chunkSize: 3))
      let stream = try await client.stream(ChatCompletionRequest(messages: [.user("go")]))
      _ = await expectError(.streamCut) { _ = try await stream.collect() }

      server.inject(.endAfterEvents(2), times: 1)
      server.enqueue(.text("one two three four five", chunkSize: 3))
      let ended = try await client.stream(ChatCompletionRequest(messages: [.user("go")]))
      _ = await expectError(.streamCut) { _ = try await ended.collect() }
    }
  }

  @Test func garbageAndWrongShapesAreMalformedResponsesWithAnExcerpt() async throws {
    try await withClient { client, server in
      server.inject(.malformedJSON, times: 1)
      let error = await expectError(.malformedResponse) { _ = try await client.complete(ChatCompletionRequest(messages: [.user("x")])) }
      #expect(error?.bodyExcerpt?.isEmpty == false)

      server.inject(.wrongShape(["choices": "nope"]), times: 1)
      _ = await expectError(.malformedResponse) { _ = try await client.complete(ChatCompletionRequest(messages: [.user("x")])) }

      server.inject(.malformedJSON, times: 1)
      let stream = try await client.stream(ChatCompletionRequest(messages: [.user("x")]))
      _ = await expectError(.malformedResponse) { _ = try await stream.collect() }
    }
  }

  @Test func aMissingModelListsTheClosestInstalledNames() async throws {
    try await withClient { client, _ in
      let error = await expectError(.modelNotFound) {
        _ = try await client.complete(ChatCompletionRequest(model: "llama3.3", messages: [.user("hi")]))
      }
      #expect(error?.closestModels.first == "llama3.2:latest")
      #expect(error?.description.contains("ollama pull llama3.3") == true)
      #expect(error?.status == 404)

      let streamError = await expectError(.modelNotFound) {
        _ = try await client.stream(ChatCompletionRequest(model: "lama3.2", messages: [.user("hi")]))
      }
      #expect(streamError?.closestModels.contains("llama3.2:latest") == true)
    }
  }

  @Test func toolsOnAModelWithoutToolsAreTheToolsUnsupportedError() async throws {
    try await withClient { client, _ in
      let error = await expectError(.toolsUnsupported) {
        _ = try await client.complete(ChatCompletionRequest(model: "gemma:2b", messages: [.user("hi")], tools: [Self.weatherTool]))
      }
      #expect(error?.serverMessage?.contains("does not support tools") == true)
      #expect(error?.model == "gemma:2b")
    }
  }

  @Test func listsAndLooksUpModels() async throws {
    try await withClient { client, server in
      let models = try await client.listModels()
      #expect(models.map(\.id) == ["llama3.2:latest", "gemma:2b"])
      #expect(models.first?.ownedBy == "library")
      #expect(try await client.model(id: "llama3.2").id == "llama3.2")
      let missing = await expectError(.modelNotFound) { _ = try await client.model(id: "nope") }
      #expect(missing?.serverMessage == "model 'nope:latest' not found")
      server.uninstall("llama3.2")
      server.uninstall("gemma:2b")
      #expect(try await client.listModels().isEmpty)  // "data": null
    }
  }

  @Test func embedsTexts() async throws {
    var configuration = FakeOllamaServer.Configuration()
    configuration.models.append(.allMiniLM)
    try await withClient(configuration) { client, _ in
      let response = try await client.embeddings(EmbeddingsRequest(model: "all-minilm", input: ["a", "b"], dimensions: 8))
      #expect(response.embeddings.count == 2)
      #expect(response.embeddings.allSatisfy { $0.count == 8 })
      #expect(response.embeddings[0] != response.embeddings[1])
      let again = try await client.embeddings(EmbeddingsRequest(model: "all-minilm", input: ["a"], dimensions: 8))
      #expect(again.embeddings[0] == response.embeddings[0])
    }
  }

  @Test func cancellingAStreamCancelsTheRequest() async throws {
    try await withClient(timeouts: OllamaConfig.Timeouts(idle: .seconds(60))) { client, server in
      server.inject(.stallAfterEvents(2, duration: nil), times: 1)
      server.enqueue(.text("one two three four", chunkSize: 2))
      let stream = try await client.stream(ChatCompletionRequest(messages: [.user("go")]))
      let (started, startedContinuation) = AsyncStream<Void>.makeStream()
      let task = Task {
        for try await event in stream {
          if case .contentDelta = event { startedContinuation.yield() }
        }
      }
      for await _ in started { break }
      task.cancel()
      _ = await expectError(.cancelled) { try await task.value }
    }
  }

  @Test func eachRetryIsReportedToTheTransportsObserverWithModelAndReason() async throws {
    try await withClient { client, server in
      let events = Mutex<[HTTPTransport.RetryEvent]>([])
      var observed = client
      observed.transport.onRetry = { event in events.withLock { $0.append(event) } }
      server.inject(.error(status: 503, message: "server busy"), times: 2)
      server.enqueue(.text("ok"))
      let completion = try await observed.complete(ChatCompletionRequest(model: "llama3.2", messages: [.user("hi")]))
      #expect(completion.message.text == "ok")
      let seen = events.withLock { $0 }
      #expect(seen.map(\.attempt) == [2, 3])
      #expect(seen.allSatisfy { $0.maxAttempts == 3 && $0.model == "llama3.2" && $0.reason.status == 503 })
      #expect(seen.first?.url.hasSuffix("/v1/chat/completions") == true)
    }
  }

  @Test func anInvalidBaseURLIsAConfigurationErrorBeforeAnyRequest() async {
    let client = ChatCompletionsClient(config: OllamaConfig(baseURL: "localhost:11434/v1"))
    let error = await expectError(.invalidConfiguration) { _ = try await client.listModels() }
    #expect(error?.description.contains("no scheme") == true)
  }
}
