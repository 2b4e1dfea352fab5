import WireCore

/// The `/api/show` answer: a model's details, template, parameters, capabilities and `model_info`.
public struct OllamaModelInfo: Sendable, Hashable, Codable {
  /// The license text.
  public var license: String?
  /// The Modelfile text.
  public var modelfile: String?
  /// The `parameters` text, one `name value` per line (see ``parameterValues``).
  public var parameters: String?
  /// The prompt template.
  public var template: String?
  /// The default system prompt.
  public var system: String?
  /// Family, parameter size, quantization.
  public var details: OllamaModelDetails?
  /// Architecture facts keyed like `general.architecture` or `llama.context_length`.
  public var modelInfo: [String: JSONValue]
  /// What the model can do (empty on servers before v0.6.4).
  public var capabilities: [OllamaCapability]
  /// When it was last modified (RFC 3339, as sent).
  public var modifiedAt: String?

  /// Creates model info.
  public init(
    license: String? = nil, modelfile: String? = nil, parameters: String? = nil, template: String? = nil,
    system: String? = nil, details: OllamaModelDetails? = nil, modelInfo: [String: JSONValue] = [:],
    capabilities: [OllamaCapability] = [], modifiedAt: String? = nil
  ) {
    self.license = license
    self.modelfile = modelfile
    self.parameters = parameters
    self.template = template
    self.system = system
    self.details = details
    self.modelInfo = modelInfo
    self.capabilities = capabilities
    self.modifiedAt = modifiedAt
  }

  /// Decodes, treating missing or `null` `model_info` and `capabilities` as empty.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    license = try container.decodeIfPresent(String.self, forKey: .license)
    modelfile = try container.decodeIfPresent(String.self, forKey: .modelfile)
    parameters = try container.decodeIfPresent(String.self, forKey: .parameters)
    template = try container.decodeIfPresent(String.self, forKey: .template)
    system = try container.decodeIfPresent(String.self, forKey: .system)
    details = try container.decodeIfPresent(OllamaModelDetails.self, forKey: .details)
    modelInfo = try container.decodeIfPresent([String: JSONValue].self, forKey: .modelInfo) ?? [:]
    capabilities = try container.decodeIfPresent([OllamaCapability].self, forKey: .capabilities) ?? []
    modifiedAt = try container.decodeIfPresent(String.self, forKey: .modifiedAt)
  }

  enum CodingKeys: String, CodingKey {
    case license, modelfile, parameters, template, system, details, modelInfo = "model_info", capabilities
    case modifiedAt = "modified_at"
  }

  /// `model_info["general.architecture"]`, falling back to `details.family`.
  public var architecture: String? { modelInfo["general.architecture"]?.stringValue ?? details?.family }

  /// The maximum context length the model supports: `model_info["<architecture>.context_length"]`.
  public var contextLength: Int? { architectureValue("context_length") }

  /// The embedding width: `model_info["<architecture>.embedding_length"]`.
  public var embeddingLength: Int? { architectureValue("embedding_length") }

  /// Whether `capabilities` lists `capability`.
  public func supports(_ capability: OllamaCapability) -> Bool { capabilities.contains(capability) }

  /// The `parameters` text as name–value pairs in order (`stop` may repeat); quotes around values are removed.
  public var parameterValues: [(name: String, value: String)] {
    (parameters ?? "").split(whereSeparator: \.isNewline).compactMap { line in
      let trimmed = line.drop(while: \.isWhitespace)
      guard let space = trimmed.firstIndex(where: \.isWhitespace) else { return nil }
      let name = String(trimmed[..<space])
      var value = String(trimmed[space...].drop(while: \.isWhitespace))
      while value.last?.isWhitespace == true { value.removeLast() }
      if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
      return (name, value)
    }
  }

  /// The configured `num_ctx` from `parameters`, if the Modelfile sets one.
  public var configuredContextLength: Int? {
    parameterValues.last(where: { $0.name == "num_ctx" }).flatMap { Int($0.value) }
  }

  private func architectureValue(_ suffix: String) -> Int? {
    if let architecture, let value = modelInfo["\(architecture).\(suffix)"]?.intValue { return value }
    // Some servers omit `general.architecture`; take the one key with this suffix, if unambiguous.
    let matches = modelInfo.filter { $0.key.hasSuffix("." + suffix) }.compactMap { $0.value.intValue }
    return matches.count == 1 ? matches[0] : nil
  }
}
