import AgentsCommandLine
import ArgumentParser
import Foundation

/// `agents mcp`: the MCP servers agents use.
struct MCPCLICommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mcp",
    abstract: "Show the MCP servers agents use, or offer the agents to MCP clients.",
    discussion: """
      MCP servers are listed under 'mcp_servers:' in the configuration file; an agent uses one with 'mcp: [name]'.
      """,
    subcommands: [List.self, Serve.self],
    defaultSubcommand: List.self)

  /// `agents mcp [list] [--json]`.
  struct List: AgentsSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "Start each MCP server, show whether it runs, its tools and which agents use it.")

    @OptionGroup var output: JSONArrayOutput

    @OptionGroup var global: GlobalOptionGroup

    /// Listing reads configuration and the servers only.
    var storeUse: AppBootstrap.StoreUse { .none }

    func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
      await MCPListCommand(services: context.services).run(json: output.json)
    }
  }

  /// `agents mcp serve [--agent ID]... [--http [--host ADDRESS] [--port N] [--api-keys-file FILE] [--max-sessions N]]`.
  struct Serve: AgentsSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "serve",
      abstract: "Offer the agents as tools of an MCP server on standard input/output or Streamable HTTP (ask_<agent id>).",
      discussion: """
        For editors and desktop assistants that speak MCP, e.g. {"command": "agents", "args": ["mcp", "serve"]}. \
        Each tool takes 'question' and an optional 'session_id' (a saved conversation to continue). Answers stream \
        as progress notifications when the client asks for them; a call the client cancels stops the agent.
        With --http (or --host/--port) the server listens on http://127.0.0.1:8089/mcp instead (MCP Streamable \
        HTTP, a session per client, at most --max-sessions). Like 'agents serve' it only listens on a loopback \
        address unless API keys are set (AGENTS_SERVE_API_KEYS=key1,key2 and/or --api-keys-file FILE); clients \
        then send 'Authorization: Bearer KEY'. SIGTERM or Ctrl-C ends every session and exits 0.
        """)

    @Option(name: .customLong("agent"), help: "Offer only this agent (repeatable); default: every agent.")
    var agents: [String] = []

    @Option(help: ArgumentHelp("The most model calls per answer (\(Setting.maxTurns.requirement)).", valueName: "n"))
    var maxTurns = Runner.defaultMaxTurns

    @Flag(help: "Serve MCP over Streamable HTTP instead of standard input/output.")
    var http = false

    @Option(help: ArgumentHelp("With --http: the address to listen on (a non-loopback one needs API keys).", valueName: "address"))
    var host: String?

    @Option(help: ArgumentHelp("With --http: the port (default 8089; 0: any free port, printed at start).", valueName: "n"))
    var port: Int?

    @Option(
      name: .customLong("api-keys-file"),
      help: ArgumentHelp("With --http: a file with one accepted API key per line (not readable by others).", valueName: "file"))
    var apiKeysFile: String?

    @Option(
      name: .customLong("max-sessions"),
      help: ArgumentHelp("With --http: MCP sessions open at once; more get HTTP 503 (default 16).", valueName: "n"))
    var maxSessions = 16

    @OptionGroup var global: GlobalOptionGroup

    func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
      let command = MCPServeCommand(services: context.services)
      let version = AgentsCommand.configuration.version
      guard http || host != nil || port != nil else {
        return try await command.run(agentIDs: agents, maxTurns: maxTurns, version: version)
      }
      let defaults = MCPServeCommand.HTTPOptions()
      return try await command.runHTTP(
        agentIDs: agents, maxTurns: maxTurns, version: version,
        options: .init(
          host: host ?? defaults.host, port: port ?? defaults.port, apiKeysFile: apiKeysFile, maxSessions: maxSessions),
        interrupts: context.interrupts, environment: ProcessInfo.processInfo.environment)
    }
  }
}
