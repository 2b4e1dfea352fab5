import WireCore

/// What an OpenAI-compatible server tells about itself and one model it serves: which server software it is and,
/// where the server says, the model's size, quantisation, context, file and whether its chat template handles tools.
///
/// Built by ``ChatCompletionsClient/describeServer(model:)`` from `GET /v1/models` (llama.cpp's `owned_by` and
/// `meta`, vLLM's `max_model_len`) and, for llama.cpp's server, `GET /props`. `agents doctor` and the chat banner
/// show it, so a person can see which local model and server they are talking to.
public struct ServerDescription: Sendable, Hashable {
  /// The server software, as far as its model list tells it.
  public enum Software: String, Sendable, Hashable {
    /// llama.cpp's `llama-server` (also inside the `xllamacpp` wheel that `scripts/local-model-server` runs).
    case llamaCpp = "llama.cpp"
    /// vLLM.
    case vllm = "vLLM"
    /// OpenAI's API.
    case openAI = "OpenAI"
    /// `agents serve` of another OllamaAgents.
    case ollamaAgents = "OllamaAgents"
  }

  /// The server software; `nil` when its model list does not tell (Ollama lists model namespaces).
  public var software: Software?
  /// The model's id in the list (the requested name, or the only model a one-model server lists).
  public var model: String?
  /// The model's parameter count (llama.cpp: `meta.n_params`).
  public var parameters: Int?
  /// The weights' quantisation (llama.cpp: `meta.ftype`, e.g. `Q4_K - Medium`).
  public var quantization: String?
  /// The size of the weights in bytes (llama.cpp: `meta.size`).
  public var size: Int?
  /// The context the server gives one request, in tokens (llama.cpp: `meta.n_ctx`, vLLM: `max_model_len`).
  public var contextLength: Int?
  /// The context the model was trained with, in tokens (llama.cpp: `meta.n_ctx_train`).
  public var trainedContextLength: Int?
  /// The model file the server loaded (llama.cpp: `/props` `model_path`).
  public var modelFile: String?
  /// Whether the model's chat template renders tools and tool calls (llama.cpp: `/props` `chat_template_caps`);
  /// `nil` when the server does not say.
  public var templateSupportsTools: Bool?

  /// Creates a description.
  public init(
    software: Software? = nil, model: String? = nil, parameters: Int? = nil, quantization: String? = nil,
    contextLength: Int? = nil, trainedContextLength: Int? = nil, modelFile: String? = nil,
    templateSupportsTools: Bool? = nil
  ) {
    self.software = software
    self.model = model
    self.parameters = parameters
    self.quantization = quantization
    self.contextLength = contextLength
    self.trainedContextLength = trainedContextLength
    self.modelFile = modelFile
    self.templateSupportsTools = templateSupportsTools
  }

  /// Reads what a `GET /v1/models` answer says about `model` (or about the only model listed) and its server.
  public init(listing models: [ModelInfo], model: String) {
    let entry = ChatCompletionsClient.entry(for: model, in: models)
    self.init(software: models.lazy.compactMap { Self.software(ownedBy: $0.ownedBy) }.first, model: entry?.id)
    guard let raw = entry?.raw else { return }
    let meta = raw["meta"]
    parameters = meta?["n_params"]?.intValue.flatMap { $0 > 0 ? $0 : nil }
    quantization = meta?["ftype"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    size = meta?["size"]?.intValue.flatMap { $0 > 0 ? $0 : nil }
    contextLength = ChatCompletionsClient.servedContextLength(of: model, in: models)
    trainedContextLength = meta?["n_ctx_train"]?.intValue.flatMap { $0 > 0 ? $0 : nil }
  }

  /// The software an `owned_by` value names: `llamacpp`, `vllm`, `openai`/`system`, `ollama-agents`.
  static func software(ownedBy: String?) -> Software? {
    switch ownedBy?.lowercased() {
    case "llamacpp", "llama.cpp": .llamaCpp
    case "vllm": .vllm
    case "openai", "system", "openai-internal": .openAI
    case "ollama-agents": .ollamaAgents
    default: nil
    }
  }

  /// Adds what llama.cpp's `GET /props` says: the model file and the chat template's tool support.
  mutating func read(properties: JSONValue) {
    modelFile = properties["model_path"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    let caps = properties["chat_template_caps"]
    if let tools = caps?["supports_tool_calls"]?.boolValue ?? caps?["supports_tools"]?.boolValue {
      templateSupportsTools = tools
    }
  }

  /// The model's facts for one line: `630M parameters, Q4_K - Medium, context 4096 of 32768`; empty when none
  /// is known.
  public var modelFacts: String {
    var facts: [String] = []
    if let parameters { facts.append(Self.readable(parameters) + " parameters") }
    if let quantization { facts.append(quantization) }
    if let contextLength {
      let trained = trainedContextLength.map { $0 != contextLength ? " of \($0)" : "" } ?? ""
      facts.append("context \(contextLength)\(trained)")
    }
    return facts.joined(separator: ", ")
  }

  /// A parameter count for people: `630167424` → `630M`, `7241732096` → `7.2B`.
  package static func readable(_ count: Int) -> String {
    switch count {
    case 10_000_000_000...: "\(count / 1_000_000_000)B"
    case 1_000_000_000...: "\(Double(count / 100_000_000) / 10)B"
    case 1_000_000...: "\(count / 1_000_000)M"
    default: "\(count)"
    }
  }
}

extension ChatCompletionsClient {
  /// What the server tells about itself and `model`: `GET /v1/models`, and for llama.cpp's server `GET /props`
  /// (whose failure only leaves the file and tool support unknown). No retries; each request may take `limit`
  /// (at most 15 seconds) in all.
  ///
  /// - Throws: ``ModelServerError`` when the model list cannot be had.
  public func describeServer(
    model: String, limit: Duration = .seconds(15)
  ) async throws(ModelServerError)
    -> ServerDescription
  {
    var quick = self.quick
    let limit = min(limit, .seconds(15))
    quick.config.timeouts.connect = min(quick.config.timeouts.connect, limit)
    quick.config.timeouts.firstByte = min(quick.config.timeouts.firstByte, limit)
    quick.config.timeouts.overall = limit
    var description = ServerDescription(listing: try await quick.listModels(), model: model)
    if description.software == .llamaCpp,
      let properties = try? await quick.getJSON(Self.serverRoot(config.baseURL) + "/props")
    {
      description.read(properties: properties)
    }
    return description
  }
}
