import WireCore

/// What a model can do, as Ollama lists it in `capabilities` (`/api/show`, and `/api/tags` since v0.30.0).
public struct OllamaCapability: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral,
  CustomStringConvertible
{
  /// The capability as Ollama spells it.
  public var rawValue: String
  /// Creates a capability from its wire spelling.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// Creates a capability from a string literal.
  public init(stringLiteral value: String) { self.rawValue = value }
  /// Decodes the wire string (any value is kept, so new capabilities do not break decoding).
  public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
  /// Encodes the wire string.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
  /// The wire spelling.
  public var description: String { rawValue }

  /// Text generation.
  public static let completion: OllamaCapability = "completion"
  /// Tool calling (without it Ollama rejects `tools` with a 400).
  public static let tools: OllamaCapability = "tools"
  /// Reasoning output; needed for `think` / `reasoning_effort`.
  public static let thinking: OllamaCapability = "thinking"
  /// Embeddings.
  public static let embedding: OllamaCapability = "embedding"
  /// Image input.
  public static let vision: OllamaCapability = "vision"
  /// Fill-in-the-middle.
  public static let insert: OllamaCapability = "insert"
  /// Image output.
  public static let image: OllamaCapability = "image"
  /// Audio input.
  public static let audio: OllamaCapability = "audio"
}

/// The `details` object of a model (`api.ModelDetails`); every field is optional because servers vary.
public struct OllamaModelDetails: Sendable, Hashable, Codable {
  /// The model this one was derived from (often empty).
  public var parentModel: String?
  /// The file format, e.g. `gguf`.
  public var format: String?
  /// The model family, e.g. `llama`.
  public var family: String?
  /// All families.
  public var families: [String]?
  /// The parameter count as printed, e.g. `3.2B`.
  public var parameterSize: String?
  /// The quantization, e.g. `Q4_K_M`.
  public var quantizationLevel: String?
  /// The context length when the list cache reports it.
  public var contextLength: Int?
  /// The embedding width when the list cache reports it.
  public var embeddingLength: Int?

  /// Creates details.
  public init(
    parentModel: String? = nil, format: String? = nil, family: String? = nil, families: [String]? = nil,
    parameterSize: String? = nil, quantizationLevel: String? = nil, contextLength: Int? = nil,
    embeddingLength: Int? = nil
  ) {
    self.parentModel = parentModel
    self.format = format
    self.family = family
    self.families = families
    self.parameterSize = parameterSize
    self.quantizationLevel = quantizationLevel
    self.contextLength = contextLength
    self.embeddingLength = embeddingLength
  }

  enum CodingKeys: String, CodingKey {
    case parentModel = "parent_model", format, family, families, parameterSize = "parameter_size"
    case quantizationLevel = "quantization_level", contextLength = "context_length"
    case embeddingLength = "embedding_length"
  }
}

/// One installed model as `/api/tags` lists it.
public struct OllamaModel: Sendable, Hashable, Codable {
  /// The local name with tag, e.g. `llama3.2:latest`.
  public var name: String
  /// The model name (normally equal to `name`).
  public var model: String?
  /// When it was last modified (RFC 3339 with nanoseconds and a local offset, as sent).
  public var modifiedAt: String?
  /// The size in bytes.
  public var size: Int64?
  /// The manifest digest.
  public var digest: String?
  /// Family, parameter size, quantization.
  public var details: OllamaModelDetails?
  /// Capabilities, when the server reports them here (v0.30.0 and later); use `/api/show` otherwise.
  public var capabilities: [OllamaCapability]?
  /// The remote model name of a cloud stub.
  public var remoteModel: String?
  /// The remote host of a cloud stub.
  public var remoteHost: String?

  /// Creates a model entry.
  public init(
    name: String, model: String? = nil, modifiedAt: String? = nil, size: Int64? = nil, digest: String? = nil,
    details: OllamaModelDetails? = nil, capabilities: [OllamaCapability]? = nil, remoteModel: String? = nil,
    remoteHost: String? = nil
  ) {
    self.name = name
    self.model = model
    self.modifiedAt = modifiedAt
    self.size = size
    self.digest = digest
    self.details = details
    self.capabilities = capabilities
    self.remoteModel = remoteModel
    self.remoteHost = remoteHost
  }

  enum CodingKeys: String, CodingKey {
    case name, model, modifiedAt = "modified_at", size, digest, details, capabilities
    case remoteModel = "remote_model", remoteHost = "remote_host"
  }
}

/// A list of models as `/api/tags` (``OllamaModelList``) and `/api/ps` (``OllamaRunningModelList``) answer it;
/// a `null` or missing list decodes as empty.
public struct OllamaModelListing<Entry: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
  /// The models: installed ones for `/api/tags`, loaded ones (longest remaining first) for `/api/ps`.
  public var models: [Entry]

  /// Creates a list.
  public init(models: [Entry]) { self.models = models }

  /// Decodes, treating `"models": null` as an empty list.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    models = try container.decodeIfPresent([Entry].self, forKey: .models) ?? []
  }

  enum CodingKeys: String, CodingKey { case models }
}

/// The `/api/tags` answer: the installed models.
public typealias OllamaModelList = OllamaModelListing<OllamaModel>

/// One loaded model as `/api/ps` lists it.
public struct OllamaRunningModel: Sendable, Hashable, Codable {
  /// The local name with tag.
  public var name: String
  /// The model name.
  public var model: String?
  /// Memory used in bytes.
  public var size: Int64?
  /// The manifest digest.
  public var digest: String?
  /// Family, parameter size, quantization.
  public var details: OllamaModelDetails?
  /// When it will be unloaded (RFC 3339, as sent).
  public var expiresAt: String?
  /// Video memory used in bytes.
  public var sizeVRAM: Int64?
  /// The context length actually allocated (`num_ctx`).
  public var contextLength: Int?

  /// Creates an entry.
  public init(
    name: String, model: String? = nil, size: Int64? = nil, digest: String? = nil,
    details: OllamaModelDetails? = nil, expiresAt: String? = nil, sizeVRAM: Int64? = nil, contextLength: Int? = nil
  ) {
    self.name = name
    self.model = model
    self.size = size
    self.digest = digest
    self.details = details
    self.expiresAt = expiresAt
    self.sizeVRAM = sizeVRAM
    self.contextLength = contextLength
  }

  enum CodingKeys: String, CodingKey {
    case name, model, size, digest, details, expiresAt = "expires_at", sizeVRAM = "size_vram"
    case contextLength = "context_length"
  }
}

/// The `/api/ps` answer: the loaded models, longest remaining first.
public typealias OllamaRunningModelList = OllamaModelListing<OllamaRunningModel>

/// The `/api/version` answer.
public struct OllamaVersion: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
  /// The version as sent, e.g. `0.32.15` or `0.33.0-rc2`.
  public var version: String

  /// Creates a version.
  public init(_ version: String) { self.version = version }

  /// The numeric `major.minor.patch` parts (missing parts are 0; a pre-release suffix is ignored).
  public var numericComponents: [Int] {
    let core = version.split(whereSeparator: { $0 == "-" || $0 == "+" }).first ?? ""
    var parts = core.split(separator: ".").map { Int($0.filter(\.isNumber)) ?? 0 }
    while parts.count < 3 { parts.append(0) }
    return Array(parts.prefix(3))
  }

  /// Whether this version is `other` or newer (e.g. `isAtLeast("0.32.6")` for the current SSE layout).
  public func isAtLeast(_ other: String) -> Bool { self >= OllamaVersion(other) }

  /// Orders by numeric components.
  public static func < (lhs: OllamaVersion, rhs: OllamaVersion) -> Bool {
    lhs.numericComponents.lexicographicallyPrecedes(rhs.numericComponents)
  }

  /// Equal when the numeric components are equal.
  public static func == (lhs: OllamaVersion, rhs: OllamaVersion) -> Bool {
    lhs.numericComponents == rhs.numericComponents
  }

  /// Hashes the numeric components.
  public func hash(into hasher: inout Hasher) { hasher.combine(numericComponents) }

  /// The version string.
  public var description: String { version }
}
