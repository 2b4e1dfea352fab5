@testable import Agents
import AgentsTesting
import OpenAICompatible
import Testing
import TestSupport
import WireCore

/// Fitting requests to the server's real context on the fake server's context limit (its tokenizer counts 3 or
/// fewer bytes per token where the SDK estimates 4): overflow errors of llama-server, Ollama and vLLM recovered by
/// one trimmed retry, server-side counting, and calibration from reported usage.
@Suite struct ContextOverflowRunTests {
  static let chatPath = "/v1/chat/completions"

  /// `exchanges` earlier exchanges of about 100 bytes per message, then `question`.
  static func history(_ question: String = "And what about today?", exchanges: Int = 10) -> [Item] {
    (0..<exchanges).flatMap { index -> [Item] in
      [
        .user("Question \(index): " + String(repeating: "tell me more about the weather. ", count: 3)),
        .assistant("Answer \(index): " + String(repeating: "it was sunny and mild all day. ", count: 3)),
      ]
    } + [.user(question)]
  }

  func withLimitedServer<T>(
    _ limit: FakeOllamaServer.ContextLimit, _ body: (FakeOllamaServer, Runner) async throws -> T
  ) async throws -> T {
    // The transport's deadlines (the token count's 15 seconds among them) run on virtual time: on a loaded
    // machine a wall-clock deadline could end the count and turn a counted request into an overflow.
    try await TestSupport.withServer { server in
      try await withVirtualTime { clock in
        server.contextLimit = limit
        let config = OllamaConfig(provider: .openAI, baseURL: server.openAIBaseURL, retry: .disabled)
        let client = ChatCompletionsClient(config: config, transport: HTTPTransport.shared.timed(by: clock))
        return try await body(server, Runner(configuration: .init(modelProvider: OpenAICompatibleProvider(client: client))))
      }
    }
  }

  @Test(arguments: [
    FakeOllamaServer.ContextLimit.Dialect.llamaServer, .ollama, .vllm,
  ])
  func anOverflowWithoutAKnownContextIsTrimmedAndRetriedOnce(_ dialect: FakeOllamaServer.ContextLimit.Dialect)
    async throws
  {
    try await withLimitedServer(.init(tokens: 600, bytesPerToken: 2, dialect: dialect)) { server, runner in
      server.enqueue(.text("Sunny again."))
      let agent = Agent(name: "Weather", instructions: "Answer briefly.", model: "llama3.2")
      var retries: [ContextOverflowRetry] = []
      var result: RunResult?
      for try await event in runner.runStreamed(agent, input: Self.history()) {
        if case .contextOverflowRetried(let retry) = event { retries.append(retry) }
        if case .finished(let value) = event { result = value }
      }
      #expect(result?.finalOutputText == "Sunny again.")
      let requests = server.requests(to: Self.chatPath)
      #expect(requests.count == 2, "one rejected request, one retry")
      #expect(requests[1].messages.count < requests[0].messages.count)
      #expect(requests[1].lastUserMessageText == "And what about today?")
      #expect(retries.count == 1)
      #expect(retries.first?.contextLength == 600)
      #expect((retries.first?.promptTokens ?? 0) > 600)
      #expect(retries.first?.trimming?.droppedItems ?? 0 > 0)
      #expect(retries.first?.description.contains("does not fit its 600-token context") == true)
      #expect(result?.contextOverflowRetries == retries)
      #expect(result?.history.count == 22, "the stored history is complete")

      // The runner learned the context and the tokenizer: the next run fits on its first request.
      server.enqueue(.text("Still sunny."))
      let next = try await runner.run(agent, input: Self.history("And tomorrow?"))
      #expect(next.finalOutputText == "Still sunny.")
      #expect(server.requests(to: Self.chatPath).count == 3)
      #expect(next.contextOverflowRetries.isEmpty)
      #expect(next.contextTrimming != nil)
    }
  }

  @Test func vllmsMaxTokensTooLargeIsRetriedWithASmallerLimit() async throws {
    try await withLimitedServer(.init(tokens: 600, dialect: .vllm)) { server, runner in
      server.enqueue(.text("Short answer."))
      let agent = Agent(name: "A", model: "llama3.2", modelSettings: try ModelSettings(maxTokens: 590))
      let result = try await runner.run(agent, input: "Hello there, how are you today?")
      #expect(result.finalOutputText == "Short answer.")
      let requests = server.requests(to: Self.chatPath)
      #expect(requests.count == 2)
      #expect(requests[0].json?["max_tokens"] == 590)
      let retried = try #require(requests[1].json?["max_tokens"]?.intValue)
      #expect(retried < 590)
      #expect(result.contextOverflowRetries.first?.description.contains("asked for a shorter answer") == true)
    }
  }

  @Test func whenOnlyTheLatestMessageIsLeftTheRunFailsWithoutASecondRequest() async throws {
    try await withLimitedServer(.init(tokens: 300, bytesPerToken: 2)) { server, runner in
      let agent = Agent(name: "A", model: "llama3.2")
      let error = await #expect(throws: AgentsError.self) {
        _ = try await runner.run(agent, input: String(repeating: "A very long question. ", count: 40))
      }
      #expect(error?.code == .contextLengthExceeded)
      #expect(server.requests(to: Self.chatPath).count == 1)
    }
  }

  @Test func aSecondOverflowEndsTheRunWithTheServersMessage() async throws {
    try await withLimitedServer(.init(tokens: 600, bytesPerToken: 2)) { server, runner in
      let agent = Agent(name: "A", model: "llama3.2")
      // The fake keeps answering 400 whatever is sent: the retry fails too.
      server.inject(
        .respond(
          status: 400, headers: [("Content-Type", "application/json")],
          body: Array(#"{"error":{"code":400,"message":"request (9000 tokens) exceeds the available context size (600 tokens), try increasing it","type":"exceed_context_size_error","n_prompt_tokens":9000,"n_ctx":600}}"#.utf8)),
        on: Self.chatPath, times: .always)
      let error = await #expect(throws: AgentsError.self) { _ = try await runner.run(agent, input: Self.history()) }
      #expect(error?.code == .contextLengthExceeded)
      #expect(error?.message.contains("still says the request does not fit") == true)
      #expect(server.requests(to: Self.chatPath).count == 2, "exactly one retry")
    }
  }

  @Test func llamaServersTokenizerIsAskedNearTheLimitSoNothingIsRejected() async throws {
    try await withLimitedServer(.init(tokens: 1200, bytesPerToken: 2, servesTokenizer: true)) { server, runner in
      server.enqueue(.text("Sunny."))
      let agent = Agent(name: "Weather", model: "llama3.2")
      agent.contextLength = 1200
      let result = try await runner.run(agent, input: Self.history())
      #expect(result.finalOutputText == "Sunny.")
      #expect(server.requests(to: Self.chatPath).count == 1, "no 400: the request was trimmed by the server's count")
      #expect(!server.requests(to: "/tokenize").isEmpty)
      #expect(!server.requests(to: "/apply-template").isEmpty)
      #expect(result.contextTrimming != nil)
      #expect(result.contextOverflowRetries.isEmpty)
    }
  }

  @Test func ollamasReportedPromptTokensCalibrateTheNextRun() async throws {
    try await withLimitedServer(.init(tokens: 1200, bytesPerToken: 2, dialect: .ollama)) { server, runner in
      let agent = Agent(name: "Weather", model: "llama3.2")
      agent.contextLength = 1200
      server.enqueue(.text("Fine."), .text("Sunny."))
      // Usage reports the server's count of this shorter conversation, which fits.
      _ = try await runner.run(agent, input: Self.history("Hello", exchanges: 4))
      let result = try await runner.run(agent, input: Self.history())
      #expect(result.finalOutputText == "Sunny.")
      #expect(server.requests(to: Self.chatPath).count == 2, "the second run fitted on its first request")
      #expect(result.contextOverflowRetries.isEmpty)
    }
  }

  @Test func withoutCountingOrCalibrationTheSameRequestIsRejectedFirst() async throws {
    // The control for the two tests above: by the SDK's estimate alone the history fits 1200 tokens, so a fresh
    // runner on a server that cannot count sends it whole and needs the overflow retry.
    try await withLimitedServer(.init(tokens: 1200, bytesPerToken: 2)) { server, runner in
      server.enqueue(.text("Sunny."))
      let agent = Agent(name: "Weather", model: "llama3.2")
      agent.contextLength = 1200
      let result = try await runner.run(agent, input: Self.history())
      #expect(result.contextOverflowRetries.count == 1)
      #expect(server.requests(to: Self.chatPath).count == 2)
    }
  }
}
