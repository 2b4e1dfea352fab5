import NIOHTTP1
import Synchronization
import WireCore

extension ChatCompletionsClient {
  /// How a server counts a chat request's prompt tokens.
  enum TokenCountingDialect: Sendable {
    /// llama.cpp's `llama-server`: `POST /apply-template` renders the chat template, `POST /tokenize` counts.
    case llamaServer
    /// vLLM: `POST /tokenize` with the messages answers `count`.
    case vllm
    /// Neither (Ollama, OpenAI, most others).
    case none
  }

  /// What each server (by root URL) turned out to support, learned once per process.
  static let tokenCountingDialects = Mutex<[String: TokenCountingDialect]>([:])

  /// The prompt tokens `request` takes on the server, counted by its own chat template and tokenizer: llama.cpp's
  /// `llama-server` (`/apply-template`, then `/tokenize`) or vLLM (`/tokenize` with the messages).
  ///
  /// Returns `nil` when the server offers neither (Ollama, OpenAI) or the count fails; which servers can count
  /// is remembered per server for the process, so others cost one probe (a probe that timed out or did not reach
  /// the server is not remembered). Counting never retries and gives up after 15 seconds.
  public func countPromptTokens(_ request: ChatCompletionRequest) async -> Int? {
    let root = Self.serverRoot(config.baseURL)
    let known = Self.tokenCountingDialects.withLock { $0[root] }
    let body = request.jsonObject(stream: false, defaultModel: config.defaultModel)
    switch known {
    case .none?: return nil
    case let dialect?: return try? await count(body, root: root, as: dialect)
    case nil:
      // A probe that timed out or did not reach the server proves nothing: the server is asked again next time
      // instead of being remembered as one that cannot count.
      var settled = true
      for dialect in [TokenCountingDialect.llamaServer, .vllm] {
        do {
          if let count = try await count(body, root: root, as: dialect) {
            Self.tokenCountingDialects.withLock { $0[root] = dialect }
            return count
          }
        } catch let error as ModelServerError where [.httpStatus, .malformedResponse].contains(error.code) {
          continue
        } catch {
          settled = false
        }
      }
      if settled { Self.tokenCountingDialects.withLock { $0[root] = TokenCountingDialect.none } }
      return nil
    }
  }

  private func count(_ body: JSONObject, root: String, as dialect: TokenCountingDialect) async throws -> Int? {
    switch dialect {
    case .llamaServer: return try await llamaServerCount(body, root: root)
    case .vllm: return try await vllmCount(body, root: root)
    case .none: return nil
    }
  }

  /// The context length the server gives `model`, from `GET /v1/models`: llama-server's `meta.n_ctx` (per slot)
  /// or vLLM's `max_model_len`; `nil` when the server does not say (Ollama: ask its native API instead).
  public func servedContextLength(model: String) async -> Int? {
    guard let models = try? await quick.listModels() else { return nil }
    return Self.servedContextLength(of: model, in: models)
  }

  /// The context length `models` (a `GET /v1/models` answer) gives `model`: llama-server's `meta.n_ctx` or vLLM's
  /// `max_model_len`, from the entry named `model` (or `model:latest`, or the only entry); `nil` when none says.
  public static func servedContextLength(of model: String, in models: [ModelInfo]) -> Int? {
    guard let raw = entry(for: model, in: models)?.raw else { return nil }
    let length = raw["meta"]?["n_ctx"]?.intValue ?? raw["max_model_len"]?.intValue
    return length.flatMap { $0 > 0 ? $0 : nil }
  }

  /// The entry of `models` (a `GET /v1/models` answer) that serves `model`: the one named `model`, or `model:latest`,
  /// or the only entry (llama-server serves one model under whatever name is asked for).
  static func entry(for model: String, in models: [ModelInfo]) -> ModelInfo? {
    models.first { $0.id == model } ?? models.first { $0.id == model + ":latest" }
      ?? (models.count == 1 ? models.first : nil)
  }

  /// This client without retries and with a 15-second deadline, for lookups that must cost little.
  var quick: ChatCompletionsClient {
    var copy = self
    copy.config.retry = .disabled
    copy.config.timeouts.firstByte = min(copy.config.timeouts.firstByte, .seconds(15))
    copy.config.timeouts.overall = .seconds(15)
    return copy
  }

  private func llamaServerCount(_ body: JSONObject, root: String) async throws -> Int? {
    var template: JSONObject = ["messages": body["messages"] ?? .array([])]
    if let tools = body["tools"] { template["tools"] = tools }
    let rendered = try await quick.post(root + "/apply-template", JSONValue.object(template))
    guard let prompt = rendered["prompt"]?.stringValue else { return nil }
    let tokenized = try await quick.post(
      root + "/tokenize", ["content": .string(prompt), "add_special": true, "parse_special": true])
    return tokenized["tokens"]?.arrayValue?.count
  }

  private func vllmCount(_ body: JSONObject, root: String) async throws -> Int? {
    var tokenize: JSONObject = ["messages": body["messages"] ?? .array([]), "add_generation_prompt": true]
    if let model = body["model"] { tokenize["model"] = model }
    if let tools = body["tools"] { tokenize["tools"] = tools }
    return try await quick.post(root + "/tokenize", JSONValue.object(tokenize))["count"]?.intValue
  }

  /// POSTs `body` to the absolute `url` and parses the JSON answer.
  private func post(_ url: String, _ body: JSONValue) async throws(ModelServerError) -> JSONValue {
    try await exchange(.POST, url, body: body.jsonBytes)
  }

  /// GETs the absolute `url` (e.g. llama.cpp's `/props`, outside `/v1`) and parses the JSON answer.
  func getJSON(_ url: String) async throws(ModelServerError) -> JSONValue {
    try await exchange(.GET, url, body: nil)
  }

  private func exchange(_ method: HTTPMethod, _ url: String, body: [UInt8]?) async throws(ModelServerError) -> JSONValue {
    try config.validate()
    var request = TransportRequest(method, path: "", baseURL: config.baseURL, config: config, body: body)
    request.url = url
    let response = try await transport.send(request)
    let bytes: [UInt8]
    do {
      bytes = try await response.body.collect(upTo: 16 << 20)
    } catch {
      throw ModelServerError.malformedResponse(String(describing: error), url: response.url)
    }
    return try ChatCompletionDecoding.parse(bytes, url: response.url)
  }

  /// The server's root: the base URL without a trailing `/v1`.
  static func serverRoot(_ baseURL: String) -> String {
    var root = baseURL
    while root.hasSuffix("/") { root.removeLast() }
    if root.hasSuffix("/v1") { root.removeLast(3) }
    return root
  }
}
