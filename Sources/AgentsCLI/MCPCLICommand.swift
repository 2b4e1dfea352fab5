import AgentsCommandLine
import ArgumentParser

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
      abstract: "Start each MCP server, show whether it runs, its tools and which agents use it.")

    @OptionGroup var output: JSONArrayOutput

    @OptionGroup var global: GlobalOptionGroup

    /// Listing reads configuration and the servers only.
    static let usesStore = false

    func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
      await MCPListCommand(services: context.services).run(json: output.json)
    }
  }

  /// `agents mcp serve [--agent ID]...`.
  struct Serve: AgentsSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Offer the agents as tools of an MCP server on standard input/output (ask_<agent id>).",
      discussion: """
        For editors and desktop assistants that speak MCP, e.g. {"command": "agents", "args": ["mcp", "serve"]}. \
        Each tool takes 'question' and an optional 'session_id' (a saved conversation to continue). Answers stream \
        as progress notifications when the client asks for them.
        """)

    @Option(name: .customLong("agent"), help: "Offer only this agent (repeatable); default: every agent.")
    var agents: [String] = []

    @Option(help: ArgumentHelp("The most model calls per answer (\(Setting.maxTurns.requirement)).", valueName: "n"))
    var maxTurns = Runner.defaultMaxTurns

    @OptionGroup var global: GlobalOptionGroup

    func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
      try await MCPServeCommand(services: context.services).run(
        agentIDs: agents, maxTurns: maxTurns, version: AgentsCommand.configuration.version)
    }
  }
}
