/// The MCP servers of a configuration file (`mcp_servers`), created once per process and shared by every agent
/// that names them (`mcp: [...]`), so a chat that switches agents keeps one process per server.
///
/// Servers start on first use. A server that cannot even be created (an environment variable it refers to is not
/// set) is kept with its error: agents that name it fail with that message, and `agents mcp list` shows it.
public struct MCPServerSet: Sendable {
  /// The definitions, in file order.
  public let definitions: [MCPServerDefinition]
  private let servers: [String: Result<any MCPServer, MCPServerError>]

  /// Creates the servers of `definitions`, reading `${NAME}` references from `environment`; nothing starts yet.
  public init(definitions: [MCPServerDefinition], environment: [String: String]) {
    self.definitions = definitions
    var servers: [String: Result<any MCPServer, MCPServerError>] = [:]
    for definition in definitions {
      do throws(MCPServerError) {
        servers[definition.name] = .success(try definition.makeServer(environment: environment))
      } catch {
        servers[definition.name] = .failure(error)
      }
    }
    self.servers = servers
  }

  /// No servers.
  public static let empty = MCPServerSet(definitions: [], environment: [:])

  /// The server called `name`, or why it cannot be used; `nil` when there is no such server.
  public func server(named name: String) -> Result<any MCPServer, MCPServerError>? {
    servers[name]
  }

  /// Tool providers for the servers `names` (an agent's `mcp:` list): each server, or for one that cannot be
  /// created, a provider that fails the run with the reason.
  public func providers(for names: [String]) -> [any ToolProvider] {
    names.compactMap { name in
      switch servers[name] {
      case .success(let server): server
      case .failure(let error): UnusableToolProvider(name: name, error: error)
      case nil: nil
      }
    }
  }

  /// Stops every server that was started.
  public func cleanup() async {
    await withTaskGroup(of: Void.self) { group in
      for case .success(let server) in servers.values { group.addTask { await server.cleanup() } }
    }
  }
}

/// A tool provider that cannot offer its tools: asking for them throws `error`.
struct UnusableToolProvider: ToolProvider {
  let name: String
  let error: MCPServerError

  func tools(for agent: Agent, context: RunContext) async throws -> [any Tool] {
    throw error
  }
}
