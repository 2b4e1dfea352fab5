import Testing
import WireCore

/// ``ContextOverflow/recognize(_:)`` on every server's wording, and on messages that only look similar.
@Suite struct ContextOverflowTests {
  @Test(arguments: [
    ("request (6009 tokens) exceeds the available context size (4096 tokens), try increasing it", 6009, 4096),
    ("the request exceeds the available context size, try increasing it", nil, nil),
    ("This model's maximum context length is 32768 tokens. However, your request has 40000 input tokens. "
      + "Please reduce the length of the input messages.", 40000, 32768),
    ("This model's maximum context length is 16384 tokens. However, you requested 122946 tokens (112946 in the "
      + "messages, 10000 in the completion). Please reduce the length of the messages or completion.", 112946, 16384),
    ("This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.", 9000, 8192),
    ("input length (5000 tokens) exceeds the model's maximum context length (4096 tokens)", 5000, 4096),
    ("The decoder prompt (length 5000) is longer than the maximum model length of 4096. Make sure that "
      + "`max_model_len` is no smaller than the number of text tokens.", 5000, 4096),
    ("the input length exceeds the context length", nil, nil),
    ("input exceeds maximum context length and cannot be truncated further", nil, nil),
    ("Prompt too long: 51,587 tokens exceeds max context window of 32,768 tokens", nil, nil),
  ] as [(String, Int?, Int?)])
  func recognizesOverflowMessages(_ message: String, prompt: Int?, context: Int?) {
    let overflow = ContextOverflow.recognize(message)
    #expect(overflow != nil)
    #expect(overflow?.promptTokens == prompt)
    #expect(overflow?.contextLength == context)
  }

  @Test func readsVLLMsMaxTokensWording() {
    let overflow = ContextOverflow.recognize(
      "'max_tokens' or 'max_completion_tokens' is too large: 8000. This model's maximum context length is 4096 "
        + "tokens and your request has 2778 input tokens (8000 > 4096 - 2778). None")
    #expect(overflow == ContextOverflow(promptTokens: 2778, contextLength: 4096, requestedAnswerTokens: 8000))
  }

  @Test func readsLlamaServersFieldsInsideOllamasMessage() {
    let message = #"{"error":{"code":400,"message":"request (351 tokens) exceeds the available context size "#
      + #"(256 tokens), try increasing it","type":"exceed_context_size_error","n_prompt_tokens":351,"n_ctx":256}}"#
    #expect(ContextOverflow.recognize(message) == ContextOverflow(promptTokens: 351, contextLength: 256))
  }

  @Test(arguments: [
    "context deadline exceeded",
    "context canceled",
    "model 'llama9' not found",
    "registry.ollama.ai/library/gemma:2b does not support tools",
    "max_completion_tokens is not valid: expected a value <= 8192, but got 32000 instead",
    "server busy, please try again.  maximum pending requests exceeded",
    #"{"error":{"message":"invalid tool call arguments"}}"#,
    "",
  ])
  func ignoresOtherMessages(_ message: String) {
    #expect(ContextOverflow.recognize(message) == nil)
  }

  @Test func httpAndStreamErrorsWithAnOverflowMessageAreContextOverflows() {
    let http = ModelServerError.httpStatus(
      400, serverMessage: "request (5030 tokens) exceeds the available context size (4096 tokens), try increasing it",
      url: "http://127.0.0.1:8080/v1/chat/completions")
    #expect(http.code == .contextOverflow)
    #expect(http.contextOverflow == ContextOverflow(promptTokens: 5030, contextLength: 4096))
    #expect(http.shortDescription == "context_overflow")
    #expect(http.description.contains("the prompt has 5030 tokens, the context 4096"))
    let stream = ModelServerError.streamError("the request exceeds the available context size", url: nil, status: 500)
    #expect(stream.code == .contextOverflow)
    #expect(stream.status == 500)
    #expect(ModelServerError.httpStatus(400, serverMessage: "bad schema", url: nil).code == .httpStatus)
    #expect(ModelServerError.httpStatus(400, serverMessage: "bad schema", url: nil).contextOverflow == nil)
  }
}
