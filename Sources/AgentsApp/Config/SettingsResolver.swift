/// The options every `agents` command accepts, as given on the command line (all optional).
public struct GlobalOptions: Sendable, Hashable {
  /// `--base-url URL`.
  public var baseURL: String?
  /// `--api-key KEY`.
  public var apiKey: String?
  /// `--provider ollama|openai`.
  public var provider: String?
  /// `--model NAME`.
  public var model: String?
  /// `--timeout SECONDS`.
  public var timeout: Double?
  /// `--config FILE`.
  public var configPath: String?
  /// `--verbose`.
  public var verbose: Bool
  /// `--cache` (true) or `--no-cache` (false); `nil` when neither was given.
  public var responseCache: Bool?
  /// `--max-input-chars N`.
  public var maxInputCharacters: Int?
  /// `--max-concurrent-requests N`.
  public var maxConcurrentRequests: Int?
  /// `--context-length TOKENS`.
  public var contextLength: Int?

  /// Creates options.
  public init(
    baseURL: String? = nil, apiKey: String? = nil, provider: String? = nil, model: String? = nil,
    timeout: Double? = nil, configPath: String? = nil, verbose: Bool = false, responseCache: Bool? = nil,
    maxInputCharacters: Int? = nil, maxConcurrentRequests: Int? = nil, contextLength: Int? = nil
  ) {
    self.baseURL = baseURL
    self.apiKey = apiKey
    self.provider = provider
    self.model = model
    self.timeout = timeout
    self.configPath = configPath
    self.verbose = verbose
    self.responseCache = responseCache
    self.maxInputCharacters = maxInputCharacters
    self.maxConcurrentRequests = maxConcurrentRequests
    self.contextLength = contextLength
  }
}

/// Resolves ``ServerSettings`` from options, environment, configuration file and defaults.
public enum SettingsResolver {
  /// The environment variables the resolver reads.
  public enum Variable {
    /// Ollama's own host variable (`host`, `host:port`, or a URL); `/v1` is appended.
    public static let ollamaHost = "OLLAMA_HOST"
    /// The API key for Ollama's cloud models (ollama.com); local servers ignore keys.
    public static let ollamaAPIKey = "OLLAMA_API_KEY"
    /// The base URL of an OpenAI-compatible server.
    public static let openAIBaseURL = "OPENAI_BASE_URL"
    /// The API key of an OpenAI-compatible server.
    public static let openAIAPIKey = "OPENAI_API_KEY"
    /// The default model.
    public static let model = "AGENTS_MODEL"
    /// The configuration file.
    public static let config = "AGENTS_CONFIG"
    /// The data directory (sessions, run records, the implicit `agents.yaml`).
    public static let home = "AGENTS_HOME"
    /// Whether the local response cache is used (`1`/`true`/`yes` or `0`/`false`/`no`).
    public static let cache = "AGENTS_CACHE"
    /// The longest chat or ask input, in characters.
    public static let maxInputCharacters = "AGENTS_MAX_INPUT_CHARS"
    /// The most requests sent to the server at once (0: no limit).
    public static let maxConcurrentRequests = OllamaConfig.maxConcurrentRequestsVariable
    /// The context length in tokens for agents that name none.
    public static let contextLength = "AGENTS_CONTEXT_LENGTH"
  }

  /// Resolves the settings.
  ///
  /// - Parameters:
  ///   - options: The command-line options.
  ///   - environment: The process environment.
  ///   - implicitConfigPath: A configuration file read when it exists and neither `--config` nor
  ///     `AGENTS_CONFIG` names one (normally `$AGENTS_HOME/agents.yaml`).
  ///   - fileExists: Whether a path exists (injected for tests).
  /// - Throws: ``AppError`` with code `usage` for invalid option values, `invalidInput` for invalid
  ///   environment values or configuration files.
  public static func resolve(
    options: GlobalOptions, environment: [String: String], implicitConfigPath: String?,
    fileExists: (String) -> Bool
  ) throws(AppError) -> ServerSettings {
    var sources: [String: ServerSettings.Source] = [:]
    let env = environment.compactMapValues { value -> String? in
      let trimmed = value.trimmingWhitespace()
      return trimmed.isEmpty ? nil : trimmed
    }

    // The configuration file comes first: its defaults sit below options and environment.
    var configFile: AgentsConfigFile?
    if let path = options.configPath {
      configFile = try load(path)
      sources["config"] = .option
    } else if let path = env[Variable.config] {
      configFile = try load(path)
      sources["config"] = .environment
    } else if let path = implicitConfigPath, fileExists(path) {
      configFile = try load(path)
      sources["config"] = .defaultValue
    }
    let defaults = configFile?.defaults ?? AgentsConfigFile.Defaults()

    // Provider: the option, else implied by which server variable is set, else the file, else Ollama.
    let provider: ServerProvider
    if let name = options.provider {
      guard let parsed = ServerProvider(rawValue: name.lowercased()) else {
        throw AppError(
          .usage, "invalid value '\(name)' for --provider", fix: "use --provider ollama or --provider openai")
      }
      provider = parsed
      sources["provider"] = .option
    } else if env[Variable.ollamaHost] == nil, env[Variable.openAIBaseURL] != nil {
      provider = .openai
      sources["provider"] = .environment
    } else if env[Variable.ollamaHost] != nil {
      provider = .ollama
      sources["provider"] = .environment
    } else if let configured = defaults.provider {
      provider = configured
      sources["provider"] = .configFile
    } else {
      provider = .ollama
      sources["provider"] = .defaultValue
    }

    // Base URL.
    let baseURL: String
    if let url = options.baseURL {
      if let problem = ServerSettings.problemWithBaseURL(url) {
        throw AppError(.usage, "invalid value for --base-url. \(problem)", fix: "pass a URL such as --base-url http://localhost:11434/v1")
      }
      baseURL = url
      sources["base_url"] = .option
    } else if let url = try environmentBaseURL(provider: provider, environment: env) {
      baseURL = url
      sources["base_url"] = .environment
    } else if let url = defaults.baseURL {
      baseURL = url
      sources["base_url"] = .configFile
    } else {
      baseURL = ServerSettings.defaultBaseURL
      sources["base_url"] = .defaultValue
    }

    // API key: never from the file, so keys stay out of configuration that gets shared. OPENAI_API_KEY
    // only counts for the OpenAI provider: many machines set it globally for the OpenAI cloud.
    var apiKey: String?
    if let key = options.apiKey?.trimmingWhitespace(), !key.isEmpty {
      apiKey = key
      sources["api_key"] = .option
    } else if let key = env[provider == .ollama ? Variable.ollamaAPIKey : Variable.openAIAPIKey] {
      apiKey = key
      sources["api_key"] = .environment
    }

    // Model: --model overrides every agent; the environment and the file set the default model.
    var modelOverride: String?
    if let model = options.model {
      let trimmed = model.trimmingWhitespace()
      guard !trimmed.isEmpty else {
        throw AppError(.usage, "--model is empty", fix: "pass a model name such as --model llama3.2")
      }
      modelOverride = trimmed
    }
    let defaultModel: String
    if let model = modelOverride {
      defaultModel = model
      sources["model"] = .option
    } else if let model = env[Variable.model] {
      defaultModel = model
      sources["model"] = .environment
    } else if let model = defaults.model {
      defaultModel = model
      sources["model"] = .configFile
    } else {
      defaultModel = ServerSettings.defaultModel
      sources["model"] = .defaultValue
    }

    // Timeout.
    var timeout: Double?
    if let seconds = options.timeout {
      guard ServerSettings.timeoutRange.contains(seconds) else {
        throw AppError(
          .usage, "invalid value \(seconds) for --timeout",
          fix: "pass a number of seconds between 0.001 and 86400 (one day), e.g. --timeout 120")
      }
      timeout = seconds
      sources["timeout"] = .option
    } else if let seconds = defaults.timeout {
      timeout = seconds
      sources["timeout"] = .configFile
    } else {
      sources["timeout"] = .defaultValue
    }

    // Response cache: off unless asked for.
    var responseCache = false
    if let enabled = options.responseCache {
      responseCache = enabled
      sources["response_cache"] = .option
    } else if let text = env[Variable.cache] {
      guard let enabled = YAMLFieldReader.booleanValue(text) else {
        throw AppError(
          .invalidInput, "invalid value '\(text)' for \(Variable.cache)", fix: "set \(Variable.cache) to 1 or 0")
      }
      responseCache = enabled
      sources["response_cache"] = .environment
    } else if let enabled = defaults.responseCache {
      responseCache = enabled
      sources["response_cache"] = .configFile
    } else {
      sources["response_cache"] = .defaultValue
    }
    let limits = try resolveLimits(options: options, environment: env, defaults: defaults, sources: &sources)

    var trimmedBase = baseURL
    while trimmedBase.hasSuffix("/") { trimmedBase.removeLast() }
    return ServerSettings(
      provider: provider, baseURL: trimmedBase, apiKey: apiKey, defaultModel: defaultModel,
      modelOverride: modelOverride, timeout: timeout, responseCache: responseCache, configFile: configFile,
      sources: sources, maxInputCharacters: limits.maxInputCharacters,
      maxConcurrentRequests: limits.maxConcurrentRequests, contextLength: limits.contextLength)
  }

  private static func load(_ path: String) throws(AppError) -> AgentsConfigFile {
    do {
      return try AgentsConfigLoader.load(path: path)
    } catch {
      throw AppError(.invalidInput, "invalid configuration file:\n\(error)", fix: nil)
    }
  }

  /// The base URL implied by the environment for `provider`, or `nil` when none is set.
  private static func environmentBaseURL(
    provider: ServerProvider, environment: [String: String]
  ) throws(AppError) -> String? {
    switch provider {
    case .openai:
      guard let url = environment[Variable.openAIBaseURL] else { return nil }
      if let problem = ServerSettings.problemWithBaseURL(url) {
        throw AppError(.invalidInput, "\(Variable.openAIBaseURL) is not usable. \(problem)", fix: "set it to a URL such as http://localhost:8080/v1")
      }
      return url
    case .ollama:
      guard let host = environment[Variable.ollamaHost] else { return nil }
      return OllamaHost(parsing: host).connectable.url + "/v1"
    }
  }
}
