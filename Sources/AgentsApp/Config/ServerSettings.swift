/// Where the agents' server is, how to reach it and which model to use, after applying the
/// precedence option > environment > configuration file > default.
public struct ServerSettings: Sendable, Hashable {
  /// The default OpenAI-compatible base URL: a local Ollama.
  public static let defaultBaseURL = "http://localhost:11434/v1"
  /// The default model.
  public static let defaultModel = "llama3.2"
  /// The default timeout in seconds: long enough for a cold model load before the first byte.
  public static let defaultTimeout: Double = 300

  /// Where a setting's value came from, for `agents doctor` and `--verbose`.
  public enum Source: String, Sendable, Hashable {
    case option, environment, configFile = "config file", defaultValue = "default"
  }

  /// The kind of server.
  public var provider: ServerProvider
  /// The OpenAI-compatible base URL, without a trailing slash (for Ollama it ends in `/v1`).
  public var baseURL: String
  /// The API key sent as a bearer token, if any. Never printed.
  public var apiKey: String?
  /// The model for agents that do not name one.
  public var defaultModel: String
  /// A model that replaces every agent's own model (`--model`).
  public var modelOverride: String?
  /// Seconds allowed before the first byte and between chunks.
  public var timeout: Double
  /// The configuration file that was loaded, if any.
  public var configFile: AgentsConfigFile?
  /// Where each setting came from, keyed by `provider`, `base_url`, `api_key`, `model`, `timeout`, `config`.
  public var sources: [String: Source]

  /// Creates settings directly (tests and embedding applications).
  public init(
    provider: ServerProvider = .ollama, baseURL: String = ServerSettings.defaultBaseURL, apiKey: String? = nil,
    defaultModel: String = ServerSettings.defaultModel, modelOverride: String? = nil,
    timeout: Double = ServerSettings.defaultTimeout, configFile: AgentsConfigFile? = nil,
    sources: [String: Source] = [:]
  ) {
    self.provider = provider
    self.baseURL = baseURL
    self.apiKey = apiKey
    self.defaultModel = defaultModel
    self.modelOverride = modelOverride
    self.timeout = timeout
    self.configFile = configFile
    self.sources = sources
  }

  /// The model an agent runs on: `--model`, else the agent's own model, else the default model.
  public func model(for definition: AgentDefinition) -> String {
    modelOverride ?? definition.model ?? defaultModel
  }

  /// The server's root URL for Ollama's native `/api` endpoints (the base URL without `/v1`).
  public var nativeRootURL: String {
    var root = baseURL
    while root.hasSuffix("/") { root.removeLast() }
    if root.hasSuffix("/v1") { root.removeLast(3) }
    return root
  }

  /// Why `text` is not a usable base URL, or `nil` when it is.
  public static func problemWithBaseURL(_ text: String) -> String? {
    let lowered = text.lowercased()
    guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
      return "must start with http:// or https:// (e.g. http://localhost:11434/v1), but is '\(text)'"
    }
    let rest = text.drop(while: { $0 != "/" }).dropFirst(2)
    let host = rest.prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" })
    guard !host.isEmpty, !host.hasPrefix(":") else {
      return "has no host name (e.g. http://localhost:11434/v1): '\(text)'"
    }
    guard !text.contains(" ") else { return "must not contain spaces: '\(text)'" }
    return nil
  }
}
