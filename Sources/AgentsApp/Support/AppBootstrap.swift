import Foundation
import Logging
import OllamaAPI
import OpenAICompatible

/// The installed models as the server's OpenAI-compatible `GET /v1/models` lists them.
public struct ServerModelDirectory: ModelDirectory {
  /// The client for the server.
  public var client: ChatCompletionsClient

  /// Creates a directory for `client`'s server.
  public init(client: ChatCompletionsClient) { self.client = client }

  /// The model ids.
  public func installedModelNames() async throws -> [String] {
    try await client.listModels().map(\.id)
  }
}

/// Builds the ``AppServices`` a command runs with, from options, environment and terminal.
public enum AppBootstrap {
  /// Resolves settings and opens the store.
  ///
  /// The store is optional: when the data directory cannot be used, commands still run, without
  /// saved sessions or statistics (a warning says so with `--verbose`). Commands that never read or write
  /// it (`agents list`) pass `opensStore: false`, which spares them opening and migrating the database.
  ///
  /// - Throws: ``AppError`` for invalid options, environment or configuration.
  public static func services(
    options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment,
    capabilities: TerminalCapabilities, console: Console? = nil,
    workspaceRoot: String = FileManager.default.currentDirectoryPath,
    metrics: AgentsMetricsRecorder = AgentsMetricsRecorder(), opensStore: Bool = true
  ) throws(AppError) -> AppServices {
    let console = console ?? Console.standard(capabilities)
    let dataDirectory = try? DataDirectory.resolve(environment: environment)
    let settings = try SettingsResolver.resolve(
      options: options, environment: environment,
      implicitConfigPath: dataDirectory.map { $0.path + "/agents.yaml" },
      fileExists: { FileManager.default.fileExists(atPath: $0) })

    let database = opensStore ? openStore(in: dataDirectory, verbose: options.verbose, console: console) : nil
    if options.verbose { describe(settings, dataDirectory: dataDirectory, console: console) }
    logResolution(of: settings, dataDirectory: dataDirectory)

    let wireConfig = settings.wireConfig
    var transport = HTTPTransport.shared(connectTimeout: wireConfig.timeouts.connect)
    transport.onRetry = { event in
      metrics.recordRetry(model: event.model ?? "none", reason: event.reason.code.description)
    }
    let client = ChatCompletionsClient(config: wireConfig, transport: transport)
    var modelProvider: any ModelProvider = OpenAICompatibleProvider(client: client)
    if settings.responseCache, opensStore {
      if let database {
        modelProvider = CachingModelProvider(wrapping: modelProvider, cache: ResponseCache(database: database), metrics: metrics)
      } else {
        console.warn("the response cache needs the data directory, which is not usable; answers are not cached")
      }
    }
    return AppServices(
      settings: settings, console: console, capabilities: capabilities, workspaceRoot: workspaceRoot,
      modelProvider: modelProvider,
      modelDirectory: ServerModelDirectory(client: client),
      runStore: database.map { RunStore(database: $0) },
      sessionStore: database.map { SessionStore(database: $0) }, metrics: metrics,
      contextLengths: settings.provider == .ollama ? .ollama(OllamaClient(config: settings.wireConfig)) : .none)
  }

  /// Logs every resolved setting and its source at debug level (the API key only as set or not).
  private static func logResolution(of settings: ServerSettings, dataDirectory: DataDirectory?) {
    let logger = Logger(label: "ollama-agents.config")
    guard logger.logLevel <= .debug else { return }
    func source(_ key: String) -> Logger.MetadataValue { "\(settings.sources[key]?.rawValue ?? "default")" }
    logger.debug(
      "configuration resolved",
      metadata: [
        "provider": "\(settings.provider.rawValue)", "provider_source": source("provider"),
        "base_url": "\(Redaction.url(settings.baseURL))", "base_url_source": source("base_url"),
        "api_key": "\(settings.apiKey == nil ? "not set" : "set")", "api_key_source": source("api_key"),
        "model": "\(settings.defaultModel)", "model_source": source("model"),
        "model_override": "\(settings.modelOverride ?? "none")",
        "timeout": "\(settings.timeout.map { "\($0)" } ?? "default")", "timeout_source": source("timeout"),
        "response_cache": "\(settings.responseCache)", "response_cache_source": source("response_cache"),
        "config_file": "\(settings.configFile?.path ?? "none")", "data_dir": "\(dataDirectory?.path ?? "none")",
      ])
  }

  /// The database in the data directory, or `nil` (with a warning under `--verbose`) when it cannot be used.
  private static func openStore(in dataDirectory: DataDirectory?, verbose: Bool, console: Console) -> AgentsDatabase? {
    guard let dataDirectory else {
      if verbose { console.warn("no data directory (set AGENTS_HOME); sessions and statistics are not saved") }
      return nil
    }
    do {
      return try AgentsDatabase.open(in: dataDirectory)
    } catch {
      if verbose { console.warn("\(error); sessions and statistics are not saved") }
      return nil
    }
  }

  /// `--verbose`: where each setting came from (the API key only as set or not).
  private static func describe(_ settings: ServerSettings, dataDirectory: DataDirectory?, console: Console) {
    func source(_ key: String) -> String { settings.sources[key].map { " (\($0.rawValue))" } ?? "" }
    let lines = [
      "provider   \(settings.provider.rawValue)\(source("provider"))",
      "base URL   \(Redaction.url(settings.baseURL))\(source("base_url"))",
      "API key    \(settings.apiKey == nil ? "not set" : "set")\(source("api_key"))",
      "model      \(settings.defaultModel)\(source("model"))",
      "timeout    \(settings.timeout.map { "\($0) s" } ?? "default (600 s first byte, 120 s idle)")\(source("timeout"))",
      "cache      \(settings.responseCache ? "on" : "off")\(source("response_cache"))",
      "config     \(settings.configFile?.path ?? "none")\(source("config"))",
      "max input  \(settings.maxInputCharacters) characters\(source("max_input_chars"))",
      "requests   at most \(settings.maxConcurrentRequests == 0 ? "unlimited" : String(settings.maxConcurrentRequests)) at once\(source("max_concurrent_requests"))",
      "context    \(settings.contextLength.map { "\($0) tokens" } ?? "from the server")\(source("context_length"))",
      "data dir   \(dataDirectory?.path ?? "none")",
    ]
    for line in lines { console.err.write(console.style.dim("agents: \(line)") + "\n") }
  }
}
