import Foundation
import Logging
import OllamaAPI
import OpenAICompatible

/// The installed models as the server's OpenAI-compatible `GET /v1/models` lists them.
package struct ServerModelDirectory: ModelDirectory {
  /// The client for the server.
  package var client: ChatCompletionsClient

  /// Creates a directory for `client`'s server.
  package init(client: ChatCompletionsClient) { self.client = client }

  /// The model ids.
  package func installedModelNames() async throws -> [String] {
    try await client.listModels().map(\.id)
  }

  /// Only Ollama pulls models.
  package var canPull: Bool { client.config.provider == .ollama }
}

/// Builds the ``AppServices`` a command runs with, from options, environment and terminal.
package enum AppBootstrap {
  /// Resolves settings and opens the store.
  ///
  /// The store is optional: when the data directory cannot be used, commands still run, without
  /// saved sessions or statistics (a warning says so with `--verbose`), and ``AppServices/storeProblem`` keeps
  /// the cause, so a command that must save (a `--session`) refuses before calling the model and `stats` names
  /// it. The store is checked with a real write, so a read-only file system or a full disk is found here, not
  /// after the answer. Commands that never read or write
  /// it (`agents list`) pass ``StoreUse/none``, which spares them opening and migrating the database; a command that
  /// only records its runs after answering passes ``StoreUse/afterAnswer`` (see ``DeferredRunStore``).
  ///
  /// - Throws: ``AppError`` for invalid options, environment or configuration.
  package static func services(
    options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment,
    capabilities: TerminalCapabilities, console: Console? = nil,
    workspaceRoot: String = FileManager.default.currentDirectoryPath,
    metrics: AgentsMetricsRecorder = AgentsMetricsRecorder(), store: StoreUse = .beforeRunning
  ) throws(AppError) -> AppServices {
    let console = console ?? Console.standard(capabilities)
    let dataDirectory = try? DataDirectory.resolve(environment: environment)
    let settings = try SettingsResolver.resolve(
      options: options, environment: environment,
      implicitConfigPath: dataDirectory.map { $0.path + "/agents.yaml" },
      fileExists: { FileManager.default.fileExists(atPath: $0) })

    // The response cache is read before the question is sent, and --verbose says at once why nothing is saved.
    let opensFirst = store == .beforeRunning || (store == .afterAnswer && (options.verbose || settings.responseCache))
    let (database, storeProblem) =
      opensFirst ? openStore(environment: environment, verbose: options.verbose, console: console) : (nil, nil)
    let deferredRunStore =
      store == .afterAnswer && !opensFirst
      ? DeferredRunStore {
        let (database, problem) = openStore(environment: environment, verbose: false, console: console)
        return DeferredRunStore.Opened(database: database, problem: problem)
      } : nil
    if options.verbose { describe(settings, dataDirectory: dataDirectory, console: console) }
    logResolution(of: settings, dataDirectory: dataDirectory)

    let wireConfig = settings.wireConfig
    var transport = HTTPTransport.shared(connectTimeout: wireConfig.timeouts.connect)
    transport.onRetry = { event in
      metrics.recordRetry(model: event.model ?? "none", reason: event.reason.code.description)
    }
    let client = ChatCompletionsClient(config: wireConfig, transport: transport)
    let modelFacts: ModelFactsSource =
      settings.provider == .ollama
      ? .ollama(OllamaClient(config: settings.wireConfig))
      : .openAICompatible(ChatCompletionsClient(config: settings.wireConfig))
    var serverModels = OpenAICompatibleProvider(client: client)
    serverModels.reportedParameterCount = { modelFacts.reportedParameterCount(of: $0) }
    var modelProvider: any ModelProvider = serverModels
    if settings.responseCache, store != .none {
      if let database {
        modelProvider = CachingModelProvider(wrapping: modelProvider, cache: ResponseCache(database: database), metrics: metrics)
      } else {
        console.warn("the response cache needs the data directory, which is not usable; answers are not cached")
      }
    }
    var services = AppServices(
      settings: settings, console: console, capabilities: capabilities, workspaceRoot: workspaceRoot,
      modelProvider: modelProvider,
      modelDirectory: ServerModelDirectory(client: client),
      runStore: database.map { RunStore(database: $0) },
      sessionStore: database.map { SessionStore(database: $0) }, storeProblem: storeProblem, metrics: metrics,
      modelFacts: modelFacts,
      mcpServers: MCPServerSet(definitions: settings.configFile?.mcpServers ?? [], environment: environment))
    services.dataDirectoryPath = dataDirectory?.path
    services.deferredRunStore = deferredRunStore
    services.networkExecutor = transport.responseExecutor
    return services
  }

  /// When a command opens the data directory's store.
  package enum StoreUse: Sendable {
    /// Never: the command neither reads nor writes it (`agents list`).
    case none
    /// Before the command runs: it reads the store, or must know before calling a model that what it was asked to
    /// keep (a session) can be saved.
    case beforeRunning
    /// When the first run is recorded, after the answer: the command only records its runs (`agents ask` without a
    /// session; see ``DeferredRunStore``). With `--verbose` or the response cache it opens first.
    case afterAnswer
  }

  /// Each resolved setting (``Setting/all``) as `--verbose`, `doctor` and the debug log show it: the setting, its
  /// value (a secret only as set or not) and where it came from.
  package static func resolvedSettings(
    _ settings: ServerSettings, dataDirectory: DataDirectory?
  ) -> [(setting: Setting, value: String, source: Setting.Source?)] {
    Setting.all.filter { ![Setting.verbose, .noColor, .logLevel].contains($0) }.map { setting in
      let value: String
      switch setting {
      case .dataDirectory: value = dataDirectory?.path ?? "none"
      case .baseURL: value = settings.server.redacted
      case .config: value = settings.configFile?.path ?? "none"
      default: value = setting.display(settings.values[setting])
      }
      return (setting, value, settings.values.source(of: setting))
    }
  }

  /// Logs every resolved setting and its source at debug level.
  private static func logResolution(of settings: ServerSettings, dataDirectory: DataDirectory?) {
    let logger = Logger(label: "ollama-agents.config")
    guard logger.logLevel <= .debug else { return }
    var metadata: Logger.Metadata = [:]
    for (setting, value, source) in resolvedSettings(settings, dataDirectory: dataDirectory) {
      metadata[setting.key] = "\(value)"
      metadata[setting.key + "_source"] = "\(source?.rawValue ?? "default")"
    }
    logger.debug("configuration resolved", metadata: metadata)
  }

  /// The database in the data directory and, when it cannot be written, why: the database is `nil` when it
  /// cannot even be opened, and kept for reading when only writing fails. `--verbose` warns.
  private static func openStore(
    environment: [String: String], verbose: Bool, console: Console
  ) -> (AgentsDatabase?, StoreError?) {
    do throws(StoreError) {
      let database = try AgentsDatabase.open(in: DataDirectory.resolve(environment: environment))
      do throws(StoreError) {
        try database.checkWritable()
        return (database, nil)
      } catch {
        if verbose { console.warn("\(error.message); sessions and statistics are not saved") }
        return (database, error)
      }
    } catch {
      if verbose { console.warn("\(error.message); sessions and statistics are not saved") }
      return (nil, error)
    }
  }


  /// `--verbose`: where each setting came from.
  private static func describe(_ settings: ServerSettings, dataDirectory: DataDirectory?, console: Console) {
    for (setting, value, source) in resolvedSettings(settings, dataDirectory: dataDirectory) {
      let label = setting.label + String(repeating: " ", count: max(1, 11 - setting.label.count))
      let from = source.map { " (\($0.rawValue))" } ?? ""
      console.err.write(console.style.dim("agents: \(label)\(value)\(from)") + "\n")
    }
  }
}
