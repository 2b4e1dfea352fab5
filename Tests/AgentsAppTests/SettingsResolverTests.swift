import Testing
import TestSupport

@testable import AgentsApp

@Suite struct SettingsResolverTests {
  let directory: TemporaryDirectory
  let configPath: String

  init() throws {
    directory = try TemporaryDirectory()
    configPath = directory.path + "/agents.yaml"
    try directory.write(
      "agents.yaml",
      """
      defaults:
        base_url: http://config-host:11434/v1
        provider: openai
        model: config-model
        timeout: 42
      """)
  }

  func resolve(
    _ options: GlobalOptions = GlobalOptions(), environment: [String: String] = [:], implicit: String? = nil
  ) throws(AppError) -> ServerSettings {
    try SettingsResolver.resolve(
      options: options, environment: environment, implicitConfigPath: implicit,
      fileExists: { path in path == configPath })
  }

  @Test func defaultsWithoutAnything() throws {
    let settings = try resolve()
    #expect(settings.provider == .ollama)
    #expect(settings.baseURL == "http://localhost:11434/v1")
    #expect(settings.defaultModel == "llama3.2")
    #expect(settings.modelOverride == nil)
    #expect(settings.timeout == nil)
    #expect(settings.wireConfig.timeouts.firstByte == .seconds(600))
    #expect(settings.apiKey == nil)
    #expect(settings.configFile == nil)
    #expect(settings.sources["model"] == .defaultValue)
  }

  @Test func configFileBeatsDefaults() throws {
    let settings = try resolve(GlobalOptions(configPath: configPath))
    #expect(settings.provider == .openai)
    #expect(settings.baseURL == "http://config-host:11434/v1")
    #expect(settings.defaultModel == "config-model")
    #expect(settings.timeout == 42)
    #expect(settings.sources["base_url"] == .configFile)
    #expect(settings.sources["config"] == .option)
  }

  @Test func environmentBeatsConfigFile() throws {
    let settings = try resolve(
      GlobalOptions(configPath: configPath),
      environment: ["OPENAI_BASE_URL": "http://env-host:8080/v1", "AGENTS_MODEL": "env-model", "OPENAI_API_KEY": "sk-env"])
    #expect(settings.provider == .openai)
    #expect(settings.baseURL == "http://env-host:8080/v1")
    #expect(settings.defaultModel == "env-model")
    #expect(settings.apiKey == "sk-env")
    #expect(settings.sources["model"] == .environment)
  }

  @Test func optionsBeatEverything() throws {
    let settings = try resolve(
      GlobalOptions(
        baseURL: "http://option-host:1234/v1/", apiKey: "sk-option", provider: "OLLAMA", model: "option-model",
        timeout: 7, configPath: configPath),
      environment: ["OLLAMA_HOST": "env-host", "AGENTS_MODEL": "env-model", "OPENAI_API_KEY": "sk-env"])
    #expect(settings.provider == .ollama)
    #expect(settings.baseURL == "http://option-host:1234/v1")
    #expect(settings.apiKey == "sk-option")
    #expect(settings.defaultModel == "option-model")
    #expect(settings.modelOverride == "option-model")
    #expect(settings.timeout == 7)
    #expect(settings.sources["timeout"] == .option)
    #expect(settings.wireConfig.timeouts.firstByte == .seconds(7))
    #expect(settings.wireConfig.timeouts.idle == .seconds(7))
    #expect(settings.wireConfig.apiKey == "sk-option")
  }

  @Test func ollamaHostSetsTheBaseURL() throws {
    #expect(try resolve(environment: ["OLLAMA_HOST": "10.0.0.5"]).baseURL == "http://10.0.0.5:11434/v1")
    #expect(try resolve(environment: ["OLLAMA_HOST": ":9999"]).baseURL == "http://127.0.0.1:9999/v1")
    #expect(try resolve(environment: ["OLLAMA_HOST": "https://ollama.example.com/proxy"]).baseURL == "https://ollama.example.com:443/proxy/v1")
    // OPENAI_API_KEY belongs to the OpenAI provider; Ollama reads OLLAMA_API_KEY.
    #expect(try resolve(environment: ["OPENAI_API_KEY": "sk-global"]).apiKey == nil)
    #expect(try resolve(environment: ["OLLAMA_API_KEY": "ollama-key"]).apiKey == "ollama-key")
    #expect(try resolve(environment: ["OLLAMA_HOST": "0.0.0.0:11434"]).baseURL == "http://127.0.0.1:11434/v1")
    // OLLAMA_HOST implies the Ollama provider even when the file says openai.
    #expect(try resolve(GlobalOptions(configPath: configPath), environment: ["OLLAMA_HOST": "h"]).provider == .ollama)
    #expect(try resolve(environment: ["OLLAMA_HOST": "   "]).baseURL == "http://localhost:11434/v1")
  }

  /// One rule for the command line and the SDK: `OPENAI_BASE_URL` wins over `OLLAMA_HOST` (which is often set for the
  /// Ollama server itself); before, the CLI talked to Ollama and `OllamaConfig.fromEnvironment` to the OpenAI URL.
  @Test func bothServerVariablesResolveTheSameForTheCommandLineAndTheSDK() throws {
    let environment = [
      "OLLAMA_HOST": "gpu-box:11434", "OPENAI_BASE_URL": "http://llama-server:8080/v1", "OPENAI_API_KEY": "sk-1234567",
    ]
    let cli = try resolve(environment: environment)
    let sdk = try OllamaConfig.fromEnvironment(environment)
    #expect(cli.provider == .openai)
    #expect(sdk.provider == .openAI)
    #expect(cli.baseURL == "http://llama-server:8080/v1")
    #expect(cli.wireConfig.baseURL == sdk.baseURL)
    #expect(cli.wireConfig.apiKey == sdk.apiKey)
    #expect(cli.sources["base_url"] == .environment)
    // --provider ollama picks OLLAMA_HOST's server instead.
    let ollama = try resolve(GlobalOptions(provider: "ollama"), environment: environment)
    #expect(ollama.baseURL == "http://gpu-box:11434/v1")
    #expect(ollama.apiKey == nil)
  }

  /// Every setting with an environment variable or a file key is read from it through the one ladder, and its
  /// source is recorded under its key.
  @Test func everyTableSettingResolvesFromEachSource() throws {
    let generic = Setting.all.filter { ![Setting.config, .provider, .baseURL, .apiKey].contains($0) }
    for setting in generic where !setting.variables.isEmpty && setting.example != "" {
      let settings = try resolve(environment: [setting.variables[0]: setting.example])
      #expect(settings.sources[setting.key] == .environment, "\(setting.key)")
      #expect(settings.values[setting] == (try? setting.parse(setting.example).get()), "\(setting.key)")
    }
    for setting in generic where setting.option != nil && setting.kind != .flag {
      var options = GlobalOptions()
      options[setting] = setting.example
      let settings = try resolve(options)
      #expect(settings.sources[setting.key] == .option, "\(setting.key)")
    }
    for setting in generic where setting.inFile {
      try directory.write("one.yaml", "defaults:\n  \(setting.key): \(setting.example)\n")
      let settings = try resolve(GlobalOptions(configPath: directory.path + "/one.yaml"))
      #expect(settings.sources[setting.key] == .configFile, "\(setting.key)")
    }
  }

  @Test func outOfRangeValuesNameTheRangeWhereverTheyComeFrom() throws {
    let option = #expect(throws: AppError.self) { try resolve(GlobalOptions(contextLength: 5)) }
    #expect(option?.code == .usage)
    #expect(option?.message == "invalid value '5' for --context-length; it must be a whole number between 256 and 10000000")
    let variable = #expect(throws: AppError.self) { try resolve(environment: ["AGENTS_TIMEOUT": "0"]) }
    #expect(variable?.code == .invalidInput)
    #expect(variable?.message == "AGENTS_TIMEOUT is '0'; it must be a number between 0.001 and 86400")
    let secret = #expect(throws: AppError.self) { try resolve(GlobalOptions(apiKey: " ")) }
    #expect(secret?.message.contains("(hidden)") == true)
  }

  @Test func openAIBaseURLImpliesTheOpenAIProvider() throws {
    let settings = try resolve(environment: ["OPENAI_BASE_URL": "http://llama-server:8080/v1"])
    #expect(settings.provider == .openai)
    #expect(settings.baseURL == "http://llama-server:8080/v1")
  }

  @Test func agentModelsSitBetweenOverrideAndDefault() throws {
    let agent = AgentDefinition(id: "a", name: "A", instructions: "x", model: "agent-model")
    let plain = AgentDefinition(id: "b", name: "B", instructions: "x")
    let withEnvironment = try resolve(environment: ["AGENTS_MODEL": "env-model"])
    #expect(withEnvironment.model(for: agent) == "agent-model")
    #expect(withEnvironment.model(for: plain) == "env-model")
    let withOption = try resolve(GlobalOptions(model: "option-model"))
    #expect(withOption.model(for: agent) == "option-model")
  }

  @Test func implicitConfigFileIsReadOnlyWhenItExists() throws {
    #expect(try resolve(implicit: configPath).defaultModel == "config-model")
    #expect(try resolve(implicit: configPath).sources["config"] == .defaultValue)
    #expect(try resolve(implicit: directory.path + "/other.yaml").configFile == nil)
    #expect(try resolve(environment: ["AGENTS_CONFIG": configPath]).sources["config"] == .environment)
  }

  @Test func rejectsInvalidValuesWithTheFix() {
    let provider = #expect(throws: AppError.self) { try resolve(GlobalOptions(provider: "anthropic")) }
    #expect(provider?.code == .usage)
    #expect(provider?.message == "invalid value 'anthropic' for --provider; it must be 'ollama' or 'openai'")
    #expect(provider?.fix == "pass e.g. --provider openai")

    let url = #expect(throws: AppError.self) { try resolve(GlobalOptions(baseURL: "localhost:11434")) }
    #expect(url?.code == .usage)

    let timeout = #expect(throws: AppError.self) { try resolve(GlobalOptions(timeout: 0)) }
    #expect(timeout?.code == .usage)

    let model = #expect(throws: AppError.self) { try resolve(GlobalOptions(model: " ")) }
    #expect(model?.code == .usage)

    let environment = #expect(throws: AppError.self) { try resolve(environment: ["OPENAI_BASE_URL": "ftp://x"]) }
    #expect(environment?.code == .invalidInput)

    let missing = #expect(throws: AppError.self) { try resolve(GlobalOptions(configPath: directory.path + "/missing.yaml")) }
    #expect(missing?.code == .invalidInput)
    #expect(missing?.exitStatus == 65)
  }

  @Test func theResponseCacheIsOffUnlessAskedForWithOptionEnvironmentOrFile() throws {
    #expect(try resolve().responseCache == false)
    #expect(try resolve().sources["response_cache"] == .defaultValue)
    try directory.write("cache.yaml", "defaults:\n  response_cache: yes\n")
    let fromFile = try resolve(GlobalOptions(configPath: directory.path + "/cache.yaml"))
    #expect(fromFile.responseCache == true)
    #expect(fromFile.sources["response_cache"] == .configFile)
    let fromEnvironment = try resolve(
      GlobalOptions(configPath: directory.path + "/cache.yaml"), environment: ["AGENTS_CACHE": "0"])
    #expect(fromEnvironment.responseCache == false)
    #expect(fromEnvironment.sources["response_cache"] == .environment)
    let fromOption = try resolve(GlobalOptions(responseCache: true), environment: ["AGENTS_CACHE": "no"])
    #expect(fromOption.responseCache == true)
    #expect(fromOption.sources["response_cache"] == .option)
  }

  @Test func anUnreadableCacheVariableIsAnInputErrorNamingTheFix() {
    #expect {
      try resolve(environment: ["AGENTS_CACHE": "sometimes"])
    } throws: { error in
      let error = error as? AppError
      return error?.code == .invalidInput && error?.message == "AGENTS_CACHE is 'sometimes'; it must be 1 or 0 (also true/false, yes/no, on/off)"
    }
  }
}
