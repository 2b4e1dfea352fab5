import FakeModelServer
import NIOCore
import NIOEmbedded
import OpenAICompatible
import Testing
import TestSupport
import WireCore

/// Counting a request's prompt tokens with the server's own tokenizer (llama-server's `/apply-template` and
/// `/tokenize`), on virtual time.
@Suite struct TokenCountingTests {
  @Test func aProbeThatTimedOutIsNotRememberedAndTheNextCountAsksAgain() async throws {
    try await withServer { server in
      try await withVirtualTime { clock in
        server.contextLimit = .init(tokens: 4096, bytesPerToken: 2, servesTokenizer: true)
        server.inject(.stallBeforeHeaders(nil), on: "/apply-template", times: 1)
        let config = OllamaConfig(provider: .openAI, baseURL: server.openAIBaseURL, retry: .disabled)
        let client = ChatCompletionsClient(config: config, transport: HTTPTransport.shared.timed(by: clock))
        let request = ChatCompletionRequest(model: "llama3.2", messages: [.user("How warm is it in Lisbon today?")])
        let first = Pending { await client.countPromptTokens(request) }
        await server.waitForRequests(count: 1)
        await clock.advanceTime(by: .seconds(15))
        let counted = try await first.value
        #expect(counted == nil, "the count gives up after 15 seconds")
        let second = await client.countPromptTokens(request)
        #expect((second ?? 0) > 0, "the server is asked again, not remembered as one that cannot count")
        #expect(server.requests(to: "/apply-template").count == 2)
      }
    }
  }
}
