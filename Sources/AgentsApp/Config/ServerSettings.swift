/// Where the agents' server is, how to reach it and which model to use, after applying the
/// precedence option > environment > configuration file > default.
public struct ServerSettings: Sendable, Hashable {
  /// The default OpenAI-compatible base URL: a local Ollama (``OllamaConfig/defaultBaseURL``).
  public static let defaultBaseURL = OllamaConfig.defaultBaseURL
  /// The default model (``OllamaConfig/defaultModelName``).
  public static let defaultModel = OllamaConfig.defaultModelName

  /// Where a setting's value came from, for `agents doctor` and `--verbose`.
  public typealias Source = Setting.Source

  /// The kind of server.
  public var provider: ServerProvider
  /// The OpenAI-compatible base URL, without a trailing slash (for Ollama it ends in `/v1`).
  public var baseURL: String
  /// ``baseURL`` as a ``ServerAddress``: what banners, `--verbose`, `doctor` and run records show (credentials
  /// removed).
  public var server: ServerAddress { ServerAddress(baseURL) }
  /// The API key sent as a bearer token, if any. Never printed.
  public var apiKey: String?
  /// The model for agents that do not name one.
  public var defaultModel: String
  /// A model that replaces every agent's own model (`--model`).
  public var modelOverride: String?
  /// Seconds allowed before the first byte and between chunks; `nil` keeps the transport's defaults
  /// (10 minutes to the first byte, for cold model loads, and 2 minutes between chunks).
  public var timeout: Double?
  /// Seconds one chat message may take in all (`--deadline`, ``Setting/deadline``); `nil`: no limit beyond each
  /// request's own timeouts.
  public var deadline: Double? { values.number(.deadline) }
  /// Seconds one `ask` or `mcp serve` question may take in all: ``deadline``, else ``defaultQuestionDeadline``.
  public var questionDeadline: Double { deadline ?? Self.defaultQuestionDeadline }
  /// The deadline of `agents ask` when none is set: 30 minutes, so a server that keeps a connection alive without
  /// finishing cannot hang a script for ever, while a cold model load plus a long answer still fits.
  public static let defaultQuestionDeadline: Double = 1800
  /// Whether answers are kept in the local response cache and replayed when the server is unreachable.
  public var responseCache: Bool
  /// The longest chat or ask input, in characters (``Runner/Configuration/maxInputCharacters``).
  public var maxInputCharacters: Int
  /// The most requests sent to the server at once (``OllamaConfig/maxConcurrentRequestsPerServer``; 0: no limit).
  public var maxConcurrentRequests: Int
  /// The context length for agents that name none; `nil` asks an Ollama server (`/api/ps`, `/api/show`) and
  /// sends whole histories to other servers.
  public var contextLength: Int?
  /// The configuration file that was loaded, if any.
  public var configFile: AgentsConfigFile?
  /// Where each setting came from, by ``Setting/key``.
  public var sources: [String: Source]
  /// Every resolved setting (``Setting/all``), for settings without a property of their own:
  /// `settings.values.integer(.contextLength)`. Unresolved settings read as their declared defaults.
  public var values: SettingValues

  /// Creates settings directly (tests and embedding applications).
  public init(
    provider: ServerProvider = .ollama, baseURL: String = ServerSettings.defaultBaseURL, apiKey: String? = nil,
    defaultModel: String = ServerSettings.defaultModel, modelOverride: String? = nil,
    timeout: Double? = nil, responseCache: Bool = false, configFile: AgentsConfigFile? = nil,
    sources: [String: Source] = [:], maxInputCharacters: Int = Runner.defaultMaxInputCharacters,
    maxConcurrentRequests: Int = OllamaConfig.defaultMaxConcurrentRequestsPerServer, contextLength: Int? = nil,
    values: SettingValues = SettingValues()
  ) {
    self.provider = provider
    self.baseURL = OllamaConfig.trimmingTrailingSlashes(baseURL)
    self.apiKey = apiKey
    self.defaultModel = defaultModel
    self.modelOverride = modelOverride
    self.timeout = timeout
    self.responseCache = responseCache
    self.configFile = configFile
    self.sources = sources
    self.maxInputCharacters = maxInputCharacters
    self.maxConcurrentRequests = maxConcurrentRequests
    self.contextLength = contextLength
    self.values = values
  }

  /// The model an agent runs on: `--model`, else the agent's own model, else the default model.
  public func model(for definition: AgentDefinition) -> String {
    modelOverride ?? definition.model ?? defaultModel
  }

  /// The wire-level configuration for clients of this server: provider, base URL, key, default model,
  /// the concurrency limit, and `--timeout` as both the first-byte and the idle timeout.
  public var wireConfig: OllamaConfig {
    var config = OllamaConfig(
      provider: provider == .ollama ? .ollama : .openAI, baseURL: baseURL,
      apiKey: apiKey ?? OllamaConfig.defaultAPIKey, defaultModel: defaultModel,
      maxConcurrentRequestsPerServer: maxConcurrentRequests)
    if let timeout {
      config.timeouts.firstByte = .milliseconds(Int64(timeout * 1000))
      config.timeouts.idle = .milliseconds(Int64(timeout * 1000))
    }
    return config
  }
}
