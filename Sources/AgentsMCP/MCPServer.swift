import Agents
import MCP

/// A Model Context Protocol server whose tools agents can use: give it to an agent as one of its
/// ``Agents/Agent/Configuration/toolProviders`` (or through ``Agents/Agent/mcpServers``).
///
/// The semantics follow the Python Agents SDK's `MCPServer`: ``connect()`` starts the server, ``listTools(agent:context:)``
/// and ``callTool(_:arguments:)`` talk to it, ``cleanup()`` stops it. Two differences make it dependable with a
/// long chat: a server that is not connected starts on first use, and a server that stopped (its process
/// exited, its session ended, it stopped answering) starts again on the next use. The tool list is cached by
/// default and refreshed when the server announces a change.
///
/// ``MCPServerStdio`` and ``MCPServerStreamableHTTP`` are the two transports; conform your own type for anything
/// else.
public protocol MCPServer: ToolProvider {
  /// The server's name, used in messages and to prefix tool names that clash with other tools.
  var name: String { get }
  /// How the server is used (tool filter, time limits, result mapping).
  var configuration: MCPServerConfiguration { get }
  /// Starts the server (its process, or the HTTP session) and completes the MCP handshake; does nothing when it
  /// is running.
  func connect() async throws
  /// Stops the server; later uses throw ``MCPServerError/Code/closed`` until ``connect()`` is called again.
  func cleanup() async
  /// The server's tools that pass the ``MCPServerConfiguration/toolFilter`` for `agent` (every page of the list).
  func listTools(agent: Agent?, context: RunContext?) async throws -> [MCP.Tool]
  /// Calls a tool by its name on the server; a result flagged `isError` is returned, not thrown.
  func callTool(_ name: String, arguments: [String: Value]?) async throws -> CallTool.Result
  /// Forgets the cached tool list, so the next listing asks the server.
  func invalidateToolsCache() async
  /// Where the server is in its life, for status displays.
  var status: MCPServerStatus { get async }
}

extension MCPServer {
  /// The server's filtered tools as function tools the runner can call.
  public func tools(for agent: Agent, context: RunContext) async throws -> [any Agents.Tool] {
    try await listTools(agent: agent, context: context).map { MCPFunctionTool(server: self, tool: $0) }
  }
}

/// What ``MCPServerStdio`` and ``MCPServerStreamableHTTP`` share: an MCP SDK `Client` session to the server,
/// started on first use and restarted after it stopped.
public class MCPClientSessionServer: MCPServer, @unchecked Sendable {
  /// The server's name.
  public let name: String
  /// How the server is used.
  public let configuration: MCPServerConfiguration
  let connection: MCPConnection

  init(
    name: String, configuration: MCPServerConfiguration, secrets: [String],
    makeTransport: @escaping @Sendable () -> any ManagedTransport
  ) {
    self.name = name
    self.configuration = configuration
    connection = MCPConnection(
      name: name, configuration: configuration, secrets: secrets, makeTransport: makeTransport)
  }

  /// Starts the server and completes the MCP handshake; does nothing when it is running.
  public func connect() async throws {
    _ = try await connection.live(explicitly: true)
  }

  /// Stops the server.
  public func cleanup() async {
    await connection.close()
  }

  /// The server's tools that pass the filter, starting the server if needed.
  public func listTools(agent: Agent? = nil, context: RunContext? = nil) async throws -> [MCP.Tool] {
    let tools = try await connection.tools()
    guard let filter = configuration.toolFilter else { return tools }
    return await filter.apply(tools, context: MCPToolFilterContext(serverName: name, agent: agent, run: context))
  }

  /// Calls a tool, starting the server if needed.
  public func callTool(_ name: String, arguments: [String: Value]?) async throws -> CallTool.Result {
    try await connection.call(name, arguments: arguments)
  }

  /// Forgets the cached tool list.
  public func invalidateToolsCache() async {
    await connection.invalidateTools()
  }

  /// Where the server is in its life.
  public var status: MCPServerStatus {
    get async { await connection.status }
  }
}

extension Agent {
  /// The agent's MCP servers: the ``MCPServer``s among its ``Agents/Agent/Configuration/toolProviders``; setting
  /// it replaces them and keeps the other providers.
  public var mcpServers: [any MCPServer] {
    get { self.toolProviders.compactMap { $0 as? any MCPServer } }
    set { self.toolProviders = self.toolProviders.filter { !($0 is any MCPServer) } + newValue }
  }
}

/// Connects `servers`, runs `body`, and stops the servers afterwards, also when `body` throws: the structured
/// form of the Python SDK's `async with server:`.
public func withMCPServers<Result>(
  _ servers: [any MCPServer], _ body: () async throws -> Result
) async throws -> Result {
  do {
    try await withThrowingTaskGroup(of: Void.self) { group in
      for server in servers { group.addTask { try await server.connect() } }
      try await group.waitForAll()
    }
    let result = try await body()
    for server in servers { await server.cleanup() }
    return result
  } catch {
    for server in servers { await server.cleanup() }
    throw error
  }
}
