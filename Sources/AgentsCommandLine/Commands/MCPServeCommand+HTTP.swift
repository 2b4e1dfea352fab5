import AgentsMCPServer
import AgentsServer
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

extension MCPServeCommand {
  /// `agents mcp serve --http`: where to listen and how many sessions to keep.
  @MemberwiseInit
  package struct HTTPOptions: Sendable {
    /// The address to listen on.
    package var host: String = "127.0.0.1"
    /// The port (0 picks a free one, printed at start).
    package var port: Int = 8089
    /// A file with one API key per line, added to `AGENTS_SERVE_API_KEYS`.
    package var apiKeysFile: String?
    /// MCP sessions open at once.
    package var maxSessions: Int = 16

    /// The server's configuration, with the keys of `environment` (`AGENTS_SERVE_API_KEYS`) and the keys file.
    ///
    /// - Throws: ``AppError`` `usage` for a bad port, `invalid_input` for an unusable keys file or an unsafe address.
    package func configuration(environment: [String: String]) throws(AppError) -> MCPHTTPServer.Configuration {
      guard (0...65535).contains(port) else { throw AppError(.usage, "--port must be between 0 and 65535, got \(port)") }
      do {
        var keys = APIKeys.fromEnvironment(environment)
        if let apiKeysFile { keys = keys.adding(try APIKeys.load(file: apiKeysFile)) }
        let configuration = MCPHTTPServer.Configuration(host: host, port: port, apiKeys: keys, maximumSessions: maxSessions)
        try configuration.checkSafety()
        return configuration
      } catch {
        throw AppError(.invalidInput, error.message, fix: error.fix)
      }
    }
  }

  /// Serves over Streamable HTTP until SIGTERM or Ctrl-C (`interrupts`); returns the exit status.
  package func runHTTP(
    agentIDs: [String], maxTurns: Int, version: String, options: HTTPOptions, interrupts: InterruptMonitor,
    environment: [String: String]
  ) async throws(AppError) -> Int32 {
    try Setting.maxTurns.check(maxTurns)
    let configuration = try options.configuration(environment: environment)
    let agents = MCPAgentServer(tools: try tools(agentIDs: agentIDs, maxTurns: maxTurns), version: version)
    let console = services.console
    let server = MCPHTTPServer(
      configuration: configuration, agents: agents,
      onListening: { port in
        let keys = configuration.apiKeys
        console.err.write(
          "agents mcp serve: listening on http://\(ServeCommand.hostForURL(configuration.host)):\(port)"
            + "\(configuration.path) (\(agents.tools.count) agent\(agents.tools.count == 1 ? "" : "s"); "
            + "\(keys.isEmpty ? "no API keys: loopback only" : keys.description); "
            + "at most \(configuration.maximumSessions) sessions)\n")
      })
    let group = ServiceGroup(
      configuration: .init(
        services: [.init(service: server)], gracefulShutdownSignals: [.sigterm], logger: Logger(label: "ollama-agents.mcp-serve")))
    do {
      try await interrupts.whileRunning(onInterrupt: { Task { await group.triggerGracefulShutdown() } }) {
        try await group.run()
      }
    } catch let error as ServerStartError {
      throw AppError(.invalidInput, error.message, fix: error.fix)
    } catch {
      throw AppError(.runFailed, "the MCP server stopped: \(error)")
    }
    console.err.write("agents mcp serve: stopped\n")
    return 0
  }
}
