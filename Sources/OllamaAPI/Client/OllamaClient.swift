import NIOHTTP1
import WireCore

/// A client for Ollama's native API (`/api/*` under the server root): health, version, installed and
/// loaded models, model details, deletion and pulls with progress.
///
/// The native root is derived from the configuration's OpenAI-compatible base URL
/// (`http://host:11434/v1` → `http://host:11434`). It is a cheap value: copy it freely. Every error is a
/// ``ModelServerError`` saying what happened and what to do; a missing model lists the closest
/// installed names.
public struct OllamaClient: Sendable {
  /// Where the server is and how to talk to it.
  public var config: OllamaConfig
  /// The HTTP transport requests go through.
  public var transport: HTTPTransport

  /// Creates a client; without a transport, the process-wide one for the configured connect timeout is used.
  public init(config: OllamaConfig = OllamaConfig(), transport: HTTPTransport? = nil) {
    self.config = config
    self.transport = transport ?? .shared(connectTimeout: config.timeouts.connect)
  }

  /// The native API root, e.g. `http://localhost:11434`.
  public var nativeBaseURL: String { config.nativeBaseURL }

  /// Checks that an Ollama server answers at the root (`GET /` → `Ollama is running`).
  ///
  /// - Throws: ``ModelServerError/Code/serverUnreachable`` when nothing answers, or
  ///   ``ModelServerError/Code/malformedResponse`` when something other than Ollama answers.
  public func checkHealth() async throws(ModelServerError) {
    let response = try await get("/", accept: "text/plain")
    let text = String(decoding: response.body, as: UTF8.self)
    guard text.contains("Ollama is running") else {
      throw ModelServerError.malformedResponse(
        "the server answered but is not Ollama (expected \"Ollama is running\")", body: text, url: response.url)
    }
  }

  /// Whether an Ollama server answers at the root; never throws.
  public func isRunning() async -> Bool {
    do {
      try await checkHealth()
      return true
    } catch {
      return false
    }
  }

  /// The server version (`GET /api/version`).
  public func version() async throws(ModelServerError) -> OllamaVersion {
    try OllamaResponseDecoding.decode(OllamaVersion.self, from: try await get("/api/version"))
  }

  /// The installed models (`GET /api/tags`).
  public func listModels() async throws(ModelServerError) -> [OllamaModel] {
    try OllamaResponseDecoding.decode(OllamaModelList.self, from: try await get("/api/tags")).models
  }

  /// A model's details, capabilities, template, parameters and context length (`POST /api/show`).
  ///
  /// - Throws: ``ModelServerError/Code/modelNotFound`` (with the closest installed names) when it is not installed.
  public func show(_ model: String, verbose: Bool = false) async throws(ModelServerError) -> OllamaModelInfo {
    var body: JSONObject = ["model": .string(model)]
    if verbose { body["verbose"] = true }
    let response = try await send(.POST, "/api/show", body: .object(body), model: model)
    return try OllamaResponseDecoding.decode(OllamaModelInfo.self, from: response)
  }

  /// The models loaded in memory (`GET /api/ps`).
  public func runningModels() async throws(ModelServerError) -> [OllamaRunningModel] {
    try OllamaResponseDecoding.decode(OllamaRunningModelList.self, from: try await get("/api/ps")).models
  }

  /// Deletes an installed model (`DELETE /api/delete`).
  ///
  /// - Throws: ``ModelServerError/Code/modelNotFound`` when it is not installed.
  public func delete(_ model: String) async throws(ModelServerError) {
    _ = try await send(.DELETE, "/api/delete", body: ["model": .string(model)], model: model)
  }

  /// Starts pulling `model` (`POST /api/pull`) and returns its progress once the server has answered.
  ///
  /// Iterate the result for progress events; the sequence ends after `success` and throws if the server
  /// reports an error line (a missing model answers HTTP 200, then an error), sends a malformed line, or
  /// the stream ends without `success`. Cancelling the iterating task stops the pull request.
  public func pull(_ model: String, insecure: Bool = false) async throws(ModelServerError) -> OllamaPullStream {
    var body: JSONObject = ["model": .string(model), "stream": true]
    if insecure { body["insecure"] = true }
    let request = try makeRequest(.POST, "/api/pull", body: .object(body), accept: "application/x-ndjson")
    let response: TransportResponse
    do {
      response = try await transport.send(request)
    } catch {
      throw await refine(error, model: model)
    }
    return OllamaPullStream(response: response, model: model, secrets: request.secrets)
  }

  /// Pulls `model` to the end, calling `onProgress` for every event, and returns the final event.
  ///
  /// - Throws: ``ModelServerError`` as ``pull(_:insecure:)`` and iterating its stream do.
  @discardableResult
  public func pullToCompletion(
    _ model: String, insecure: Bool = false, onProgress: (OllamaPullProgress) -> Void = { _ in }
  ) async throws(ModelServerError) -> OllamaPullProgress {
    let stream = try await pull(model, insecure: insecure)
    var last: OllamaPullProgress?
    do {
      for try await progress in stream {
        onProgress(progress)
        last = progress
      }
    } catch {
      throw OllamaPullStream.asModelServerError(error, url: stream.url)
    }
    // The stream only ends cleanly after `success`, so `last` is set.
    guard let last else { throw ModelServerError.streamCut(url: stream.url, detail: "ended without any progress") }
    return last
  }

  // MARK: - Plumbing

  private func get(_ path: String, accept: String = "application/json") async throws(ModelServerError)
    -> BufferedResponse
  {
    try await buffered(.GET, path, body: nil, accept: accept, model: nil)
  }

  private func send(_ method: HTTPMethod, _ path: String, body: JSONValue, model: String?)
    async throws(ModelServerError) -> BufferedResponse
  {
    try await buffered(method, path, body: body, accept: "application/json", model: model)
  }

  private func makeRequest(_ method: HTTPMethod, _ path: String, body: JSONValue?, accept: String)
    throws(ModelServerError) -> TransportRequest
  {
    guard config.provider.hasNativeAPI else {
      throw ModelServerError.invalidConfiguration(
        "The native Ollama API (\(path)) is not available: the configured server is a generic OpenAI-compatible one.",
        suggestion: "Use provider .ollama with an Ollama base URL, or use the /v1 client (ChatCompletionsClient)."
      )
    }
    try config.validate()
    return TransportRequest(
      method, path: path, baseURL: nativeBaseURL, config: config, body: body?.jsonBytes, accept: accept)
  }

  // The request is built here rather than passed in: handing a `TransportRequest` to another async
  // typed-throws function miscompiles with Swift 6.3.1 (the callee reads a corrupted `self`).
  private func buffered(_ method: HTTPMethod, _ path: String, body: JSONValue?, accept: String, model: String?)
    async throws(ModelServerError) -> BufferedResponse
  {
    let request = try makeRequest(method, path, body: body, accept: accept)
    do {
      return try await transport.data(request)
    } catch {
      throw await refine(error, model: model)
    }
  }

  /// A 404 about a model becomes model-not-found, with the closest installed names from `/api/tags`.
  private func refine(_ error: ModelServerError, model: String?) async -> ModelServerError {
    guard error.code == .httpStatus, error.status == 404, let model,
      ModelNameMatching.isModelNotFound((error.serverMessage ?? "").lowercased())
    else { return error }
    let installed = (try? await listModels().map(\.name)) ?? []
    return ModelServerError.modelNotFound(
      model, closest: ModelNameMatching.closestNames(to: model, among: installed), url: error.url,
      status: error.status, serverMessage: error.serverMessage)
  }
}
