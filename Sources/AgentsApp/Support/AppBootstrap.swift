import Foundation
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
  /// saved sessions or statistics (a warning says so with `--verbose`).
  ///
  /// - Throws: ``AppError`` for invalid options, environment or configuration.
  public static func services(
    options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment,
    capabilities: TerminalCapabilities, console: Console? = nil,
    workspaceRoot: String = FileManager.default.currentDirectoryPath
  ) throws(AppError) -> AppServices {
    let console = console ?? Console.standard(capabilities)
    let dataDirectory = try? DataDirectory.resolve(environment: environment)
    let settings = try SettingsResolver.resolve(
      options: options, environment: environment,
      implicitConfigPath: dataDirectory.map { $0.path + "/agents.yaml" },
      fileExists: { FileManager.default.fileExists(atPath: $0) })

    var database: AgentsDatabase?
    if let dataDirectory {
      do {
        database = try AgentsDatabase.open(in: dataDirectory)
      } catch {
        if options.verbose { console.warn("\(error); sessions and statistics are not saved") }
      }
    } else if options.verbose {
      console.warn("no data directory (set AGENTS_HOME); sessions and statistics are not saved")
    }
    if options.verbose { describe(settings, dataDirectory: dataDirectory, console: console) }

    let client = ChatCompletionsClient(config: settings.wireConfig)
    return AppServices(
      settings: settings, console: console, capabilities: capabilities, workspaceRoot: workspaceRoot,
      modelProvider: OpenAICompatibleProvider(client: client),
      modelDirectory: ServerModelDirectory(client: client),
      runStore: database.map { RunStore(database: $0) },
      sessionStore: database.map { SessionStore(database: $0) },
      contextLengths: settings.provider == .ollama ? .ollama(OllamaClient(config: settings.wireConfig)) : .none)
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
      "config     \(settings.configFile?.path ?? "none")\(source("config"))",
      "max input  \(settings.maxInputCharacters) characters\(source("max_input_chars"))",
      "requests   at most \(settings.maxConcurrentRequests == 0 ? "unlimited" : String(settings.maxConcurrentRequests)) at once\(source("max_concurrent_requests"))",
      "context    \(settings.contextLength.map { "\($0) tokens" } ?? "from the server")\(source("context_length"))",
      "data dir   \(dataDirectory?.path ?? "none")",
    ]
    for line in lines { console.err.write(console.style.dim("agents: \(line)") + "\n") }
  }
}
