import Synchronization
import WireCore

extension FakeOllamaServer {
  /// What the fake says about itself while it imitates llama.cpp's `llama-server`: `/v1/models` entries are
  /// `owned_by: "llamacpp"` with llama-server's `meta` (parameters, quantisation, size, trained context), and
  /// `GET /props` answers with the model file and the chat template's tool support. Set it with
  /// ``FakeOllamaServer/llamaServer``.
  public struct LlamaServerIdentity: Sendable, Hashable {
    /// The model file `/props` reports as `model_path`.
    public var modelPath: String
    /// `meta.n_params`.
    public var parameters: Int
    /// `meta.ftype`.
    public var quantization: String
    /// `meta.size`: the weights' bytes.
    public var size: Int
    /// `meta.n_ctx_train`.
    public var trainedContextLength: Int
    /// `chat_template_caps.supports_tool_calls` (llama-server started with `--jinja` and a template with tools).
    public var templateSupportsTools: Bool

    /// Creates an identity; the defaults are those of Qwen2.5-Coder-0.5B-Instruct Q4_K_M.
    public init(
      modelPath: String = "/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", parameters: Int = 630_167_424,
      quantization: String = "Q4_K - Medium", size: Int = 485_452_288, trainedContextLength: Int = 32_768,
      templateSupportsTools: Bool = true
    ) {
      self.modelPath = modelPath
      self.parameters = parameters
      self.quantization = quantization
      self.size = size
      self.trainedContextLength = trainedContextLength
      self.templateSupportsTools = templateSupportsTools
    }
  }

  /// The llama-server the fake imitates in its model list and `GET /props`; `nil` (the default) imitates Ollama.
  public var llamaServer: LlamaServerIdentity? {
    get { core.state.withLock { $0.llamaServer } }
    set { core.state.withLock { $0.llamaServer = newValue } }
  }
}

extension ServerCore {
  /// llama-server's `GET /props`: the loaded model's file and the chat template's capabilities (404 unless the
  /// fake imitates llama-server).
  func llamaServerProperties() -> EndpointResponse {
    guard let identity = state.withLock({ $0.llamaServer }) else { return .notFound }
    return .json(
      [
        "model_path": .string(identity.modelPath), "build_info": "b0-fake",
        "chat_template_caps": [
          "supports_tool_calls": .bool(identity.templateSupportsTools),
          "supports_tools": .bool(identity.templateSupportsTools),
        ],
      ], contentType: ContentType.openAIJSON)
  }

  /// A `/v1/models` entry as llama-server lists it, while the fake imitates one.
  func asLlamaServer(_ entry: JSONValue) -> JSONValue {
    guard let identity = state.withLock({ $0.llamaServer }), case .object(var object) = entry else { return entry }
    object["owned_by"] = "llamacpp"
    var meta = object["meta"]?.objectValue ?? JSONObject()
    meta["n_params"] = .int(identity.parameters)
    meta["ftype"] = .string(identity.quantization)
    meta["size"] = .int(identity.size)
    meta["n_ctx_train"] = .int(identity.trainedContextLength)
    object["meta"] = .object(meta)
    return .object(object)
  }
}
