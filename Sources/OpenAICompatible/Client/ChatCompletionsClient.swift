import NIOHTTP1
import WireCore

/// A client for the OpenAI-compatible API of Ollama, llama-server, vLLM or OpenAI: chat completions
/// (whole or streamed), model listing and embeddings.
///
/// It is a cheap value: copy it freely. All errors are ``ModelServerError``s whose description says
/// what happened and what to do; a missing model lists the closest installed ones.
public struct ChatCompletionsClient: Sendable {
  /// Where the server is and how to talk to it.
  public var config: OllamaConfig
  /// The HTTP transport requests go through.
  public var transport: HTTPTransport

  /// Creates a client; without a transport, the process-wide one for the configured connect timeout is used.
  public init(config: OllamaConfig = OllamaConfig(), transport: HTTPTransport? = nil) {
    self.config = config
    self.transport = transport ?? .shared(connectTimeout: config.timeouts.connect)
  }

  /// Sends a chat completion request and returns the whole answer.
  ///
  /// - Throws: ``ModelServerError``: unreachable, timed out, model not found (with the closest installed
  ///   names), tools unsupported, HTTP status with the server's message, malformed response.
  public func complete(_ request: ChatCompletionRequest) async throws(ModelServerError) -> ChatCompletion {
    let model = request.model ?? config.defaultModel
    let body = request.jsonBytes(stream: false, defaultModel: config.defaultModel)
    let response = try await send(.POST, "/chat/completions", body: body, model: model)
    return try ChatCompletionDecoding.completion(from: try await collect(response), url: response.url)
  }

  /// Sends a streaming chat completion request and returns its events once the response has started.
  ///
  /// Errors before the first byte of the answer (including retries) are thrown here; errors during the
  /// stream are thrown while iterating it.
  public func stream(_ request: ChatCompletionRequest) async throws(ModelServerError) -> ChatCompletionStream {
    let model = request.model ?? config.defaultModel
    let body = request.jsonBytes(stream: true, defaultModel: config.defaultModel)
    let response = try await send(.POST, "/chat/completions", body: body, model: model, accept: "text/event-stream")
    return ChatCompletionStream(chunks: ChatCompletionChunks(response: response))
  }

  /// The models the server offers (`GET /v1/models`); an Ollama without models answers `"data": null`,
  /// which is an empty list here.
  public func listModels() async throws(ModelServerError) -> [ModelInfo] {
    let response = try await send(.GET, "/models", body: nil, model: nil)
    let json = try ChatCompletionDecoding.parse(try await collect(response), url: response.url)
    guard json.objectValue != nil else {
      throw ModelServerError.malformedResponse("the model list is not a JSON object", body: json.jsonString, url: response.url)
    }
    return (json["data"]?.arrayValue ?? []).compactMap(ModelInfo.decode)
  }

  /// One model (`GET /v1/models/{id}`).
  ///
  /// - Throws: ``ModelServerError/Code/modelNotFound`` when it is not installed.
  public func model(id: String) async throws(ModelServerError) -> ModelInfo {
    let response = try await send(.GET, "/models/" + ChatCompletionsClient.percentEncodedPathSegment(id), body: nil, model: id)
    let json = try ChatCompletionDecoding.parse(try await collect(response), url: response.url)
    guard let info = ModelInfo.decode(json) else {
      throw ModelServerError.malformedResponse("the model has no \"id\"", body: json.jsonString, url: response.url)
    }
    return info
  }

  /// Embeds texts (`POST /v1/embeddings`).
  public func embeddings(_ request: EmbeddingsRequest) async throws(ModelServerError) -> EmbeddingsResponse {
    let model = request.model ?? config.defaultModel
    let body = JSONValue.object(request.jsonObject(defaultModel: config.defaultModel)).jsonBytes
    let response = try await send(.POST, "/embeddings", body: body, model: model)
    let json = try ChatCompletionDecoding.parse(try await collect(response), url: response.url)
    do {
      return try EmbeddingsResponse.decode(json)
    } catch {
      throw ModelServerError.malformedResponse("not an embeddings response (\(error.reason))", body: json.jsonString, url: response.url)
    }
  }

  // MARK: - Plumbing

  private func send(
    _ method: HTTPMethod, _ path: String, body: [UInt8]?, model: String?, accept: String = "application/json"
  ) async throws(ModelServerError) -> TransportResponse {
    try config.validate()
    var request = TransportRequest(method, path: path, baseURL: config.baseURL, config: config, body: body, accept: accept)
    request.model = model
    do {
      return try await transport.send(request)
    } catch {
      throw await refine(error, model: model)
    }
  }

  private func collect(_ response: TransportResponse) async throws(ModelServerError) -> [UInt8] {
    do {
      return try await response.body.collect(upTo: 64 << 20)
    } catch let error as ModelServerError {
      throw error.redacting(secrets: [config.apiKey])
    } catch {
      throw ModelServerError.malformedResponse(String(describing: error), url: response.url)
    }
  }

  /// Percent-encodes a model name for use as one path segment (`/` in namespaced names included).
  static func percentEncodedPathSegment(_ text: String) -> String {
    var output = ""
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
        UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: ":"):
        output.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        output += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
      }
    }
    return output
  }
}
