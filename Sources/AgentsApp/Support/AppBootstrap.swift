import Foundation
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
    workspaceRoot: String = FileManager.default.currentDirectoryPath, opensStore: Bool = true
  ) throws(AppError) -> AppServices {
    let console = console ?? Console.standard(capabilities)
    let dataDirectory = try? DataDirectory.resolve(environment: environment)
    let settings = try SettingsResolver.resolve(
      options: options, environment: environment,
      implicitConfigPath: dataDirectory.map { $0.path + "/agents.yaml" },
      fileExists: { FileManager.default.fileExists(atPath: $0) })

    let database = opensStore ? openStore(in: dataDirectory, verbose: options.verbose, console: console) : nil
    if options.verbose { describe(settings, dataDirectory: dataDirectory, console: console) }

    let client = ChatCompletionsClient(config: settings.wireConfig)
    return AppServices(
      settings: settings, console: console, capabilities: capabilities, workspaceRoot: workspaceRoot,
      modelProvider: OpenAICompatibleProvider(client: client),
      modelDirectory: ServerModelDirectory(client: client),
      runStore: database.map { RunStore(database: $0) },
      sessionStore: database.map { SessionStore(database: $0) })
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
      "config     \(settings.configFile?.path ?? "none")\(source("config"))",
      "data dir   \(dataDirectory?.path ?? "none")",
    ]
    for line in lines { console.err.write(console.style.dim("agents: \(line)") + "\n") }
  }
}
