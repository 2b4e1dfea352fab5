import FakeModelServer
import Testing
import TestSupport
import WireCore

/// The fake's context window: each dialect's overflow body in its server's shape, counted prompt tokens in usage,
/// the served context in `/v1/models`, and llama-server's template and tokenizer endpoints.
@Suite("context limit")
struct ContextLimitTests {
  static let long = String(repeating: "word ", count: 200)  // 1000 bytes

  @Test func llamaServersOverflowHasItsFieldsAndTheCountedSizes() async throws {
    try await withServer { server in
      server.contextLimit = .init(tokens: 256, bytesPerToken: 3)
      let response = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat(Self.long))
      #expect(response.status == 400)
      let error = try #require(response.json["error"])
      #expect(error.objectValue?.keys == ["code", "message", "type", "n_prompt_tokens", "n_ctx"])
      #expect(error["type"] == "exceed_context_size_error")
      #expect(error["n_ctx"] == 256)
      let prompt = try #require(error["n_prompt_tokens"]?.intValue)
      #expect(prompt > 333)
      #expect(error["message"]?.stringValue == "request (\(prompt) tokens) exceeds the available context size (256 tokens), try increasing it")
    }
  }

  @Test func ollamaWrapsLlamaServersBodyAndVLLMNamesItsLimits() async throws {
    try await withServer { server in
      server.contextLimit = .init(tokens: 256, dialect: .ollama)
      let ollama = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat(Self.long))
      #expect(ollama.status == 400)
      #expect(ollama.json["error"]?["type"] == "invalid_request_error")
      #expect(ollama.json["error"]?["message"]?.stringValue?.hasPrefix(#"{"error":{"code":400,"message":"request ("#) == true)

      server.contextLimit = .init(tokens: 256, dialect: .vllm)
      let vllm = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat(Self.long))
      #expect(vllm.json["error"]?["message"]?.stringValue?.hasPrefix("This model's maximum context length is 256 tokens. However, your request has ") == true)
      let answer = try await TestHTTP.post(
        server.openAIBaseURL + "/chat/completions", TestHTTP.chat("Hi", extra: ["max_tokens": 300]))
      #expect(answer.status == 400)
      #expect(answer.json["error"]?["message"]?.stringValue?.hasPrefix("'max_tokens' or 'max_completion_tokens' is too large: 300.") == true)
    }
  }

  @Test func aFittingRequestReportsTheCountInUsageAndTheContextInTheModelList() async throws {
    try await withServer { server in
      server.contextLimit = .init(tokens: 4096, bytesPerToken: 2, servesTokenizer: true)
      server.enqueue(.text("ok"))
      let answer = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat("Hello there"))
      #expect(answer.status == 200)
      let rendered = "<|user|>\nHello there\n<|assistant|>\n"
      #expect(answer.json["usage"]?["prompt_tokens"]?.intValue == (rendered.utf8.count + 1) / 2)
      let models = try await TestHTTP.get(server.openAIBaseURL + "/models")
      #expect(models.json["data"]?.arrayValue?.first?["meta"]?["n_ctx"] == 4096)
      let template = try await TestHTTP.post(
        server.baseURL + "/apply-template", ["messages": [["role": "user", "content": "Hello there"]]])
      #expect(template.json["prompt"]?.stringValue == rendered)
      let tokens = try await TestHTTP.post(server.baseURL + "/tokenize", ["content": .string(rendered)])
      #expect(tokens.json["tokens"]?.arrayValue?.count == (rendered.utf8.count + 1) / 2)
    }
  }

  @Test func withoutALimitTheTokenizerIsNotServed() async throws {
    try await withServer { server in
      let response = try await TestHTTP.post(server.baseURL + "/tokenize", ["content": "hi"])
      #expect(response.status == 404)
    }
  }
}
