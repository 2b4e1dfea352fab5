import Synchronization
import WireCore

extension FakeOllamaServer {
  /// A context window the fake enforces on `/v1/chat/completions`, with a tokenizer of its own that counts more
  /// tokens than the SDK's estimate (3 bytes per token by default against the SDK's 4), the way real tokenizers
  /// often do. Set it with ``FakeOllamaServer/contextLimit``.
  ///
  /// With a limit, a chat request is rendered by a small chat template (`<|role|>` + content per message, the
  /// tools as JSON) and counted at ``bytesPerToken``; a prompt over ``tokens`` gets the 400 that ``dialect``'s
  /// server sends, byte for byte in its format, and answers report that count as `usage.prompt_tokens`.
  /// `/v1/models` reports the context (llama-server's `meta.n_ctx`, vLLM's `max_model_len`), and with
  /// ``servesTokenizer`` the fake answers llama-server's `POST /apply-template` and `POST /tokenize`.
  public struct ContextLimit: Sendable, Hashable {
    /// Whose overflow error and model listing the fake imitates.
    public enum Dialect: Sendable, Hashable {
      /// llama.cpp's `llama-server`: `exceed_context_size_error` with `n_prompt_tokens` and `n_ctx`.
      case llamaServer
      /// Ollama ≥ 0.32: llama-server's error body as the message of an OpenAI-style error.
      case ollama
      /// vLLM: `This model's maximum context length is …`, and a 400 when prompt plus `max_tokens` exceeds it.
      case vllm
    }

    /// The context length in tokens.
    public var tokens: Int
    /// UTF-8 bytes per token of the fake tokenizer (rounded up per request), at least 1.
    public var bytesPerToken: Int
    /// Whose error format and listing to imitate.
    public var dialect: Dialect
    /// Whether `POST /apply-template` and `POST /tokenize` answer like llama-server's (otherwise 404).
    public var servesTokenizer: Bool

    /// Creates a limit.
    public init(tokens: Int, bytesPerToken: Int = 3, dialect: Dialect = .llamaServer, servesTokenizer: Bool = false) {
      self.tokens = tokens
      self.bytesPerToken = max(1, bytesPerToken)
      self.dialect = dialect
      self.servesTokenizer = servesTokenizer
    }

    /// The tokens `text` takes.
    public func count(_ text: String) -> Int { (text.utf8.count + bytesPerToken - 1) / bytesPerToken }
  }

  /// The context window enforced on chat requests; `nil` (the default) accepts prompts of any size.
  public var contextLimit: ContextLimit? {
    get { core.state.withLock { $0.contextLimit } }
    set { core.state.withLock { $0.contextLimit = newValue } }
  }
}

/// The fake's chat template: what its tokenizer counts for a chat request.
enum FakeChatTemplate {
  /// `<|role|>\n` + content (and tool calls) + `\n` per message, then the tools as JSON, then `<|assistant|>\n`.
  static func render(messages: [JSONValue], tools: [JSONValue]) -> String {
    var prompt = ""
    for message in messages {
      prompt += "<|" + (message["role"]?.stringValue ?? "user") + "|>\n"
      prompt += RecordedRequest.text(of: message["content"]) ?? ""
      for call in message["tool_calls"]?.arrayValue ?? [] {
        prompt += (call["function"]?["name"]?.stringValue ?? "") + (call["function"]?["arguments"]?.stringValue ?? "")
      }
      prompt += "\n"
    }
    if !tools.isEmpty { prompt += JSONValue.array(tools).jsonString + "\n" }
    return prompt + "<|assistant|>\n"
  }
}

extension ServerCore {
  /// The prompt tokens of a chat request under the context limit, or `nil` without one.
  func limitedPromptTokens(_ body: JSONObject) -> Int? {
    guard let limit = state.withLock({ $0.contextLimit }) else { return nil }
    return limit.count(FakeChatTemplate.render(messages: body["messages"]?.arrayValue ?? [], tools: body["tools"]?.arrayValue ?? []))
  }

  /// The overflow error the limit's server sends for a chat request, or `nil` when it fits.
  func contextOverflowRejection(_ body: JSONObject) -> EndpointResponse? {
    guard let limit = state.withLock({ $0.contextLimit }), let prompt = limitedPromptTokens(body) else { return nil }
    let context = limit.tokens
    let maxTokens = body["max_tokens"]?.intValue ?? body["max_completion_tokens"]?.intValue
    switch limit.dialect {
    case .llamaServer, .ollama:
      guard prompt > context else { return nil }
      let llama: JSONValue = [
        "error": [
          "code": 400,
          "message": .string(
            "request (\(prompt) tokens) exceeds the available context size (\(context) tokens), try increasing it"),
          "type": "exceed_context_size_error", "n_prompt_tokens": .int(prompt), "n_ctx": .int(context),
        ]
      ]
      if limit.dialect == .ollama { return ErrorBody.response(.openAI, status: 400, message: llama.jsonString) }
      return .json(llama, status: 400)
    case .vllm:
      let message: String
      if prompt > context {
        message = "This model's maximum context length is \(context) tokens. However, your request has \(prompt) "
          + "input tokens. Please reduce the length of the input messages."
      } else if let maxTokens, prompt + maxTokens > context {
        message = "'max_tokens' or 'max_completion_tokens' is too large: \(maxTokens). This model's maximum context "
          + "length is \(context) tokens and your request has \(prompt) input tokens (\(maxTokens) > \(context) - "
          + "\(prompt)). None"
      } else {
        return nil
      }
      let error: JSONValue = ["message": .string(message), "type": "BadRequestError", "param": nil, "code": 400]
      return .json(["error": error], status: 400)
    }
  }

  /// llama-server's `POST /apply-template`: `{"prompt": …}` rendered by the fake's template.
  func applyTemplate(_ request: RecordedRequest) -> EndpointResponse {
    guard state.withLock({ $0.contextLimit?.servesTokenizer == true }) else { return .notFound }
    guard let body = request.json?.objectValue else { return ErrorBody.response(.openAI, status: 400, message: "invalid JSON") }
    let prompt = FakeChatTemplate.render(messages: body["messages"]?.arrayValue ?? [], tools: body["tools"]?.arrayValue ?? [])
    return .json(["prompt": .string(prompt)], contentType: ContentType.nativeJSON)
  }

  /// llama-server's `POST /tokenize`: `{"tokens": […]}`, one id per token of `content` (none without content).
  func tokenize(_ request: RecordedRequest) -> EndpointResponse {
    guard let limit = state.withLock({ $0.contextLimit }), limit.servesTokenizer else { return .notFound }
    let content = request.json?["content"]?.stringValue ?? ""
    return .json(["tokens": .array((0..<limit.count(content)).map { .int($0 % 151_000) })], contentType: ContentType.nativeJSON)
  }

  /// The `/v1/models` entry with the context the limit's server reports.
  func withServedContext(_ entry: JSONValue) -> JSONValue {
    guard let limit = state.withLock({ $0.contextLimit }), case .object(var object) = entry else { return entry }
    switch limit.dialect {
    case .llamaServer: object["meta"] = ["n_ctx": .int(limit.tokens)]
    case .vllm: object["max_model_len"] = .int(limit.tokens)
    case .ollama: break
    }
    return .object(object)
  }
}
