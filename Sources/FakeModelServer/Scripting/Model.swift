import WireCore

extension FakeOllamaServer {
  /// A model the fake server has installed or can pull, with the metadata Ollama reports for it.
  public struct Model: Sendable, Hashable {
    /// The full local name with its tag, e.g. `llama3.2:latest` (a name without a tag gets `:latest`).
    public var name: String
    /// The model family reported in `details.family` and used as `general.architecture`.
    public var family: String
    /// The parameter count as Ollama prints it, e.g. `3.2B`.
    public var parameterSize: String
    /// The quantization level, e.g. `Q4_K_M`.
    public var quantizationLevel: String
    /// The file format reported in `details.format`.
    public var format: String
    /// What the model can do (`completion`, `tools`, `thinking`, `embedding`, …).
    public var capabilities: [Capability]
    /// The maximum context length, reported as `model_info["<family>.context_length"]`.
    public var contextLength: Int
    /// The context length a loaded instance gets, reported by `/api/ps`.
    public var loadedContextLength: Int
    /// The embedding width, reported as `model_info["<family>.embedding_length"]` and used by `/v1/embeddings`.
    public var embeddingLength: Int
    /// The size in bytes reported by `/api/tags` (the sum of the layer sizes when layers are derived).
    public var size: Int
    /// The manifest digest (64 hex characters, no `sha256:` prefix), as `/api/tags` reports it.
    public var digest: String
    /// When the model was last modified.
    public var modifiedAt: Timestamp
    /// The `parameters` text `/api/show` returns.
    public var parameters: String
    /// The `template` text `/api/show` returns.
    public var template: String
    /// The blobs `/api/pull` reports progress for, in order.
    public var layers: [Layer]

    /// Creates a model; omitted digests and layers are derived deterministically from the name and size.
    public init(
      name: String,
      family: String = "llama",
      parameterSize: String = "3.2B",
      quantizationLevel: String = "Q4_K_M",
      format: String = "gguf",
      capabilities: [Capability] = [.completion],
      contextLength: Int = 131_072,
      loadedContextLength: Int = 4096,
      embeddingLength: Int = 3072,
      size: Int = 2_019_393_189,
      digest: String? = nil,
      modifiedAt: Timestamp = Timestamp(seconds: 1_746_405_464, nanoseconds: 706_015_396, utcOffsetMinutes: -420),
      parameters: String = "stop \"<|eot_id|>\"",
      template: String = "{{ .Prompt }}",
      layers: [Layer]? = nil
    ) {
      let fullName = ModelName.withTag(name)
      self.name = fullName
      self.family = family
      self.parameterSize = parameterSize
      self.quantizationLevel = quantizationLevel
      self.format = format
      self.capabilities = capabilities
      self.contextLength = contextLength
      self.loadedContextLength = loadedContextLength
      self.embeddingLength = embeddingLength
      self.digest = digest ?? DeterministicHex.digest(seed: "manifest:" + fullName)
      self.modifiedAt = modifiedAt
      self.parameters = parameters
      self.template = template
      let derivedLayers = layers ?? Layer.derived(for: fullName, totalSize: size)
      self.layers = derivedLayers
      self.size = layers == nil ? size : derivedLayers.reduce(0) { $0 + $1.size }
    }

    /// Whether the model has `capability`.
    public func has(_ capability: Capability) -> Bool { capabilities.contains(capability) }
  }

  /// One capability string as `/api/show` lists it.
  public struct Capability: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral {
    /// The capability as Ollama spells it.
    public var rawValue: String
    /// Creates a capability from its wire spelling.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Creates a capability from a string literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// Text generation (every chat model).
    public static let completion: Capability = "completion"
    /// Tool calling; without it Ollama answers 400 `… does not support tools`.
    public static let tools: Capability = "tools"
    /// Reasoning output (`thinking` natively, `reasoning` on /v1).
    public static let thinking: Capability = "thinking"
    /// Embedding generation.
    public static let embedding: Capability = "embedding"
    /// Image input.
    public static let vision: Capability = "vision"
    /// Fill-in-the-middle.
    public static let insert: Capability = "insert"
  }

  /// One blob of a model, as `/api/pull` reports it.
  public struct Layer: Sendable, Hashable {
    /// The digest with its `sha256:` prefix.
    public var digest: String
    /// The blob size in bytes.
    public var size: Int

    /// Creates a layer.
    public init(digest: String, size: Int) {
      self.digest = digest
      self.size = size
    }

    /// Weights, template, license and params layers whose sizes add up to `totalSize`.
    static func derived(for name: String, totalSize: Int) -> [Layer] {
      let small = [1429, 7711, 96]
      let weights = max(1, totalSize - small.reduce(0, +))
      return ([weights] + small).enumerated().map { offset, size in
        Layer(digest: "sha256:" + DeterministicHex.digest(seed: "layer\(offset):" + name), size: size)
      }
    }
  }
}

extension FakeOllamaServer.Model {
  /// `llama3.2:latest`: a 3.2B llama model with `completion` and `tools`.
  public static let llama32 = FakeOllamaServer.Model(
    name: "llama3.2:latest",
    capabilities: [.completion, .tools],
    digest: "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72"
  )

  /// `gemma:2b`: a model without the `tools` capability (tools requests get a 400).
  public static let gemma2b = FakeOllamaServer.Model(
    name: "gemma:2b",
    family: "gemma",
    parameterSize: "3B",
    quantizationLevel: "Q4_0",
    capabilities: [.completion],
    contextLength: 8192,
    loadedContextLength: 8192,
    embeddingLength: 2048,
    size: 1_678_456_656,
    parameters: "stop \"<start_of_turn>\"\nstop \"<end_of_turn>\"",
    template: "<start_of_turn>user\n{{ .Prompt }}<end_of_turn>\n<start_of_turn>model\n"
  )

  /// `qwen3:8b`: a thinking model with tools (in the default pull catalog, not installed).
  public static let qwen3 = FakeOllamaServer.Model(
    name: "qwen3:8b",
    family: "qwen3",
    parameterSize: "8.2B",
    capabilities: [.completion, .tools, .thinking],
    contextLength: 40960,
    embeddingLength: 4096,
    size: 5_225_388_164
  )

  /// `all-minilm:latest`: a small embedding-only model (in the default pull catalog, not installed).
  public static let allMiniLM = FakeOllamaServer.Model(
    name: "all-minilm:latest",
    family: "bert",
    parameterSize: "23M",
    quantizationLevel: "F16",
    capabilities: [.embedding],
    contextLength: 512,
    loadedContextLength: 512,
    embeddingLength: 384,
    size: 45_960_996
  )
}

/// Ollama's model-name rules the fake needs: default tag, registry-qualified name.
enum ModelName {
  /// `name` with `:latest` appended when it has no tag.
  static func withTag(_ name: String) -> String {
    let lastComponent = name.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(name)
    return lastComponent.contains(":") ? name : name + ":latest"
  }

  /// The registry-qualified name Ollama prints in capability errors, e.g. `registry.ollama.ai/library/gemma:2b`.
  static func qualified(_ name: String) -> String {
    let tagged = withTag(name)
    let parts = tagged.split(separator: "/")
    switch parts.count {
    case 1: return "registry.ollama.ai/library/" + tagged
    case 2: return "registry.ollama.ai/" + tagged
    default: return tagged
    }
  }

  /// The namespace `/v1/models` reports as `owned_by` (`library` for official models).
  static func namespace(_ name: String) -> String {
    let parts = name.split(separator: "/")
    return parts.count >= 2 ? String(parts[parts.count - 2]) : "library"
  }
}
