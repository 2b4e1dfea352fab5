import AgentsServer
import AgentsStorePostgres
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `agents serve`: the agents behind an OpenAI-compatible HTTP endpoint until SIGTERM or Ctrl-C.
@MemberwiseInit
package struct ServeCommand: Sendable {
  /// What the command line asked for, beyond the global options.
  @MemberwiseInit
  package struct Options: Sendable {
    /// The address to listen on.
    package var host: String = "127.0.0.1"
    /// The port (0 picks a free one, printed at start).
    package var port: Int = 8088
    /// A file with one API key per line, added to `AGENTS_SERVE_API_KEYS`.
    package var apiKeysFile: String?
    /// Where sessions and run records live: `postgres://…`, or nil for the local SQLite store.
    package var store: String?
    /// Seconds running requests get after SIGTERM before they are cancelled.
    package var gracePeriod: Double = 30
    /// Requests that may wait for a run slot before 429.
    package var maxQueue: Int = 64
    /// The largest request body in bytes.
    package var maxBodyBytes: Int = 4 * 1024 * 1024
    /// The most messages in one request.
    package var maxMessages: Int = 1000
    /// The most model calls per run, when given.
    package var maxTurns: Int?
    /// Tools whose calls run without a person's approval (`--approve`); others that need it are refused.
    package var approvedTools: [String] = []
    /// Whether every tool call that needs approval runs (`--approve-all`).
    package var approveAll: Bool = false
  }

  /// The shared services.
  package var services: AppServices
  /// The options.
  package var options: Options

  /// The server's configuration from the options, the settings and `environment` (`AGENTS_SERVE_API_KEYS`).
  ///
  /// - Throws: ``AppError`` `usage` for a bad value, `invalid_input` for an unusable keys file or an unsafe
  ///   address.
  package func configuration(environment: [String: String]) throws(AppError) -> AgentServer.Configuration {
    guard (0...65535).contains(options.port) else {
      throw AppError(.usage, "--port must be between 0 and 65535, got \(options.port)")
    }
    guard options.gracePeriod.isFinite, (0...3600).contains(options.gracePeriod) else {
      throw AppError(.usage, "--grace-period must be between 0 and 3600 seconds, got \(options.gracePeriod)")
    }
    var keys = APIKeys.fromEnvironment(environment)
    do {
      if let file = options.apiKeysFile { keys = keys.adding(try APIKeys.load(file: file)) }
      let configuration = AgentServer.Configuration(
        host: options.host, port: options.port, apiKeys: keys,
        limits: .init(
          maximumBodyBytes: options.maxBodyBytes, maximumMessages: options.maxMessages,
          maximumMessageCharacters: services.settings.maxInputCharacters,
          maximumConcurrentRuns: services.settings.maxConcurrentRequests, maximumQueuedRuns: options.maxQueue),
        shutdownGracePeriod: .milliseconds(Int64(options.gracePeriod * 1000)),
        maxTurns: options.maxTurns ?? Runner.defaultMaxTurns,
        toolApprovals: .init(approvedTools: Set(options.approvedTools), approveAll: options.approveAll))
      try configuration.checkSafety()
      return configuration
    } catch {
      throw AppError(.invalidInput, error.message, fix: error.fix)
    }
  }

  /// Serves until SIGTERM or Ctrl-C (`interrupts`), then shuts down gracefully; returns the exit status.
  package func run(interrupts: InterruptMonitor, environment: [String: String]) async -> Int32 {
    let console = services.console
    do {
      let configuration = try configuration(environment: environment)
      let store = try await openStore()
      let exporter = PrometheusExporter()
      var runnerConfiguration = services.runnerConfiguration
      // Nobody is there to approve a run of code: code questions are answered as before, without a forced run.
      runnerConfiguration.codeRunningTool = nil
      let conversation = ConversationService(
        runner: Runner(configuration: runnerConfiguration), runStore: store.runs,
        server: services.settings.server, metrics: exporter.recorder)
      let modelFacts = services.modelFacts
      let backend = AgentServer.Backend(
        factory: services.factory(), conversation: conversation, sessions: store.sessions, metrics: exporter,
        storeKind: store.kind, prepare: { try? await modelFacts.apply(to: $0) })
      let agents = backend.factory.catalog.ids.count
      let keys = configuration.apiKeys
      let server = AgentServer(
        configuration: configuration, backend: backend, logger: Logger(label: "ollama-agents.serve"),
        onListening: { port in
          console.err.write(
            "agents serve: listening on http://\(Self.hostForURL(configuration.host)):\(port)/v1 "
              + "(\(agents) agents; \(keys.isEmpty ? "no API keys: loopback only" : keys.description); "
              + "store: \(store.description); model server: \(services.settings.server.redacted))\n")
        })
      let group = server.serviceGroup(signals: [.sigterm])
      do {
        try await interrupts.whileRunning(onInterrupt: { Task { await group.triggerGracefulShutdown() } }) {
          try await group.run()
        }
      } catch {
        await store.postgres?.close()
        throw error
      }
      await store.postgres?.close()
      console.err.write("agents serve: stopped\n")
      return 0
    } catch let error as AppError {
      console.error(error)
      return error.exitStatus
    } catch let error as ServerStartError {
      let appError = AppError(.invalidInput, error.message, fix: error.fix)
      console.error(appError)
      return appError.exitStatus
    } catch {
      let appError = AppError(.runFailed, "the server stopped: \(error)")
      console.error(appError)
      return appError.exitStatus
    }
  }

  /// The store the server keeps sessions and run records in.
  private struct OpenedStore: Sendable {
    var sessions: (any SessionStorage)?
    var runs: (any RunStorage)?
    var postgres: PostgresStore?
    var kind: String
    var description: String
  }

  /// `--store postgres://…` connects (and migrates) PostgreSQL; otherwise the local SQLite store, when usable.
  private func openStore() async throws(AppError) -> OpenedStore {
    guard let url = options.store else {
      if let problem = services.storeProblem {
        services.console.warn("sessions and run records are not kept: \(problem.message)")
        return OpenedStore(sessions: nil, runs: nil, postgres: nil, kind: "none", description: "none")
      }
      guard let sessions = services.sessionStore else {
        return OpenedStore(sessions: nil, runs: nil, postgres: nil, kind: "none", description: "none")
      }
      return OpenedStore(
        sessions: sessions, runs: services.runStore, postgres: nil, kind: "sqlite",
        description: "SQLite \(sessions.database.path)")
    }
    do {
      let location = try PostgresLocation(url: url)
      let store = try await PostgresStore.connect(location)
      return OpenedStore(
        sessions: store.sessions, runs: store.runs, postgres: store, kind: "postgres",
        description: "PostgreSQL \(location)")
    } catch let error as StoreError {
      throw AppError(
        error.code == .invalidArgument ? .usage : .storeUnavailable, "--store: \(error.message)")
    } catch {
      throw AppError(.storeUnavailable, "--store: \(error)")
    }
  }

  /// `[::1]` for an IPv6 address, the host as given otherwise.
  package static func hostForURL(_ host: String) -> String {
    host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
  }
}
