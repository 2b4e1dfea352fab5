import Logging

/// An MCP server that runs as a local process and speaks MCP over its standard input and output.
///
/// ```swift
/// let time = MCPServerStdio(name: "time", parameters: .init(command: "uvx", arguments: ["mcp-server-time"]))
/// let agent = Agent(name: "Clock", instructions: "Answer with the tools.", toolProviders: [time])
/// let result = try await withMCPServers([time]) { try await Runner().run(agent, input: "Time in Tokyo?") }
/// ```
///
/// The process starts on ``connect()`` or first use, gets only the harmless variables of this process's
/// environment (``Parameters/inheritedVariables``) plus ``Parameters/environment``, runs in a process group of its
/// own (so the terminal's Ctrl-C does not reach it) and is stopped by ``cleanup()``: its standard input is closed,
/// then SIGTERM and SIGKILL follow after one and two more seconds. When it exits on its own, the call in progress
/// fails with its exit status and the last lines it wrote to standard error, and the next use starts it again.
public final class MCPServerStdio: MCPClientSessionServer, @unchecked Sendable {
  /// How to start the server's process.
  @MemberwiseInit
  public struct Parameters: Sendable, Hashable {
    /// The program: a name looked up on `PATH`, or a path.
    public var command: String
    /// The program's arguments.
    public var arguments: [String] = []
    /// Variables set for the process, on top of the inherited ones (``inheritedVariables``). Their values count as
    /// secrets: they are masked in every error message and log line.
    public var environment: [String: String] = [:]
    /// The process's working directory; `nil` keeps this process's.
    public var workingDirectory: String?

    /// The variables of this process's environment a server inherits; everything else (API keys among it) stays
    /// here unless set in ``environment``.
    public static let inheritedVariables = [
      "HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ",
    ]
  }

  /// How the process is started.
  public let parameters: Parameters

  /// Creates a server; nothing starts until ``connect()`` or the first use.
  public init(name: String, parameters: Parameters, configuration: MCPServerConfiguration = MCPServerConfiguration()) {
    self.parameters = parameters
    let secrets = parameters.environment.values.filter { $0.count >= 4 }
    let logger = configuration.logger
    super.init(name: name, configuration: configuration, secrets: Array(secrets)) {
      ProcessTransport(server: name, parameters: parameters, secrets: Array(secrets), logger: logger)
    }
  }
}
