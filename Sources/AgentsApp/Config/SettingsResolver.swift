/// Resolves ``ServerSettings`` from the command line, the environment, the configuration file and the declared
/// defaults of ``Setting/all``, with the precedence option > environment > configuration file > default.
///
/// Every setting goes through one ladder; only where the server is differs: the provider the environment implies
/// and which variables give its base URL and key follow ``ServerEnvironment``'s rule, shared with
/// `OllamaConfig.fromEnvironment`.
public enum SettingsResolver {
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
    let env = environment.compactMapValues { value -> String? in
      let trimmed = value.trimmingWhitespace()
      return trimmed.isEmpty ? nil : trimmed
    }
    var values = SettingValues()

    // The configuration file comes first: its defaults sit below options and environment.
    let (path, pathSource) = try ladder(
      .config, options: options, environment: standardVariable(.config, env), file: nil)
    var configFile: AgentsConfigFile?
    if case .text(let path)? = path {
      configFile = try load(path)
      values.set(.config, .text(path), from: pathSource)
    } else if let path = implicitConfigPath, fileExists(path) {
      configFile = try load(path)
      values.set(.config, .text(path), from: .defaultValue)
    } else {
      values.set(.config, nil, from: .defaultValue)
    }
    let file = configFile?.defaults.values ?? [:]

    // Where the server is: the provider the environment implies, then that provider's variables.
    let implied = ServerEnvironment.impliedProvider(env).map { provider in
      (
        variable: provider == .openAI ? ServerEnvironment.openAIBaseURL : ServerEnvironment.ollamaHost,
        text: provider.description
      )
    }
    let (providerValue, providerSource) = try ladder(.provider, options: options, environment: implied, file: file)
    values.set(.provider, providerValue, from: providerSource)
    let provider = ServerProvider(rawValue: providerValue?.description ?? "") ?? .ollama
    let wireProvider: OllamaConfig.Provider = provider == .ollama ? .ollama : .openAI
    let serverVariable = ServerEnvironment.baseURL(for: wireProvider, in: env).map {
      (variable: $0.variable, text: $0.url)
    }
    let (baseURL, baseURLSource) = try ladder(.baseURL, options: options, environment: serverVariable, file: file)
    values.set(.baseURL, baseURL, from: baseURLSource)
    // The key is never read from the file, so keys stay out of configuration that gets shared.
    let keyVariable = ServerEnvironment.apiKey(for: wireProvider, in: env).map {
      (variable: wireProvider == .openAI ? ServerEnvironment.openAIAPIKey : ServerEnvironment.ollamaAPIKey, text: $0)
    }
    let (apiKey, apiKeySource) = try ladder(.apiKey, options: options, environment: keyVariable, file: nil)
    values.set(.apiKey, apiKey, from: apiKeySource)

    // Every other setting: the same ladder, its own variables.
    let special: Set<String> = [Setting.config.key, Setting.provider.key, Setting.baseURL.key, Setting.apiKey.key]
    for setting in Setting.all where !special.contains(setting.key) {
      let (value, source) = try ladder(
        setting, options: options, environment: standardVariable(setting, env), file: setting.inFile ? file : nil)
      values.set(setting, value, from: source)
    }

    let modelOverride = values.source(of: .model) == .option ? values.text(.model) : nil
    return ServerSettings(
      provider: provider, baseURL: values.text(.baseURL) ?? ServerSettings.defaultBaseURL,
      apiKey: values.text(.apiKey), defaultModel: values.text(.model) ?? ServerSettings.defaultModel,
      modelOverride: modelOverride, timeout: values.number(.timeout), responseCache: values.flag(.responseCache),
      configFile: configFile, sources: values.sources,
      maxInputCharacters: values.integer(.maxInputCharacters) ?? Setting.defaultMaxInputCharacters,
      maxConcurrentRequests: values.integer(.maxConcurrentRequests)
        ?? OllamaConfig.defaultMaxConcurrentRequestsPerServer,
      contextLength: values.integer(.contextLength), values: values)
  }

  /// The first of `setting`'s own variables that is set, with its text.
  private static func standardVariable(
    _ setting: Setting, _ environment: [String: String]
  ) -> (variable: String, text: String)? {
    for variable in setting.variables {
      if let text = environment[variable] { return (variable, text) }
    }
    return nil
  }

  /// One setting's value: the option, else the environment, else the file (checked when it was loaded), else the
  /// declared default. The pairs of a ``Setting/Kind/keyValues`` setting add up: the file's, the environment's, then
  /// the options' (the source named is the highest one).
  private static func ladder(
    _ setting: Setting, options: GlobalOptions, environment: (variable: String, text: String)?,
    file: [String: Setting.Value]?
  ) throws(AppError) -> (Setting.Value?, Setting.Source) {
    guard setting.kind == .keyValues else {
      return try firstValue(setting, options: options, environment: environment, file: file)
    }
    let none = GlobalOptions(values: [:])
    let levels: [(GlobalOptions, (variable: String, text: String)?, [String: Setting.Value]?, Setting.Source)] = [
      (none, nil, file, .configFile), (none, environment, nil, .environment), (options, nil, nil, .option),
    ]
    var pairs: [String] = []
    var source = Setting.Source.defaultValue
    for (levelOptions, levelEnvironment, levelFile, levelSource) in levels {
      let (value, _) = try firstValue(setting, options: levelOptions, environment: levelEnvironment, file: levelFile)
      if case .pairs(let more)? = value {
        pairs += more
        source = levelSource
      }
    }
    return (pairs.isEmpty ? setting.defaultValue : .pairs(pairs), source)
  }

  /// The first of the option, the environment, the file and the declared default that gives `setting` a value.
  private static func firstValue(
    _ setting: Setting, options: GlobalOptions, environment: (variable: String, text: String)?,
    file: [String: Setting.Value]?
  ) throws(AppError) -> (Setting.Value?, Setting.Source) {
    if let text = options[setting], let option = setting.option {
      switch setting.parse(text) {
      case .success(let value): return (value, .option)
      case .failure(let problem):
        let example = setting.kind == .flag ? option : "\(option) \(setting.example)"
        throw AppError(
          .usage, "invalid value '\(problem.shownText)' for \(option); \(problem.reason)", fix: "pass e.g. \(example)")
      }
    }
    if let (variable, text) = environment {
      switch setting.parse(text) {
      case .success(let value): return (value, .environment)
      case .failure(let problem):
        throw AppError(
          .invalidInput, "\(variable) is '\(problem.shownText)'; \(problem.reason)",
          fix: "set it to e.g. \(setting.example), or unset it")
      }
    }
    if let value = file?[setting.key] { return (value, .configFile) }
    return (setting.defaultValue, .defaultValue)
  }

  private static func load(_ path: String) throws(AppError) -> AgentsConfigFile {
    do {
      return try AgentsConfigLoader.load(path: path)
    } catch {
      throw AppError(.invalidInput, "invalid configuration file:\n\(error)", fix: nil)
    }
  }
}
