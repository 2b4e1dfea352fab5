import AgentsApp
import MCP

/// `agents mcp list`: each MCP server of the configuration file, whether it starts, and its tools.
///
/// Every server is started (all at once), asked for its tools, and stopped again by the command's shut-down.
package struct MCPListCommand: Sendable {
  /// The shared services.
  package var services: AppServices

  /// Creates the command.
  package init(services: AppServices) { self.services = services }

  /// What listing one server found.
  package struct Listing: Sendable {
    /// The server's definition.
    package var definition: MCPServerDefinition
    /// The agents whose `mcp:` names it.
    package var agents: [String]
    /// Its tools after the filter, or why they could not be listed.
    package var tools: Result<[MCP.Tool], MCPServerError>
  }

  /// Lists every server's tools concurrently, in file order.
  package func listings() async -> [Listing] {
    let servers = services.mcpServers
    let definitions = servers.definitions
    let catalog = services.factory().catalog
    var tools = [Result<[MCP.Tool], MCPServerError>?](repeating: nil, count: definitions.count)
    await withTaskGroup(of: (Int, Result<[MCP.Tool], MCPServerError>).self) { group in
      for (index, definition) in definitions.enumerated() {
        group.addTask { (index, await Self.tools(of: servers.server(named: definition.name), name: definition.name)) }
      }
      for await (index, result) in group { tools[index] = result }
    }
    return definitions.enumerated().map { index, definition in
      Listing(
        definition: definition,
        agents: catalog.definitions.filter { $0.mcpServers.contains(definition.name) }.map(\.id),
        tools: tools[index] ?? .success([]))
    }
  }

  /// The tools of one server, or the reason there are none.
  static func tools(of server: Result<any MCPServer, MCPServerError>?, name: String) async -> Result<[MCP.Tool], MCPServerError> {
    switch server {
    case .success(let server):
      do {
        return .success(try await server.listTools(agent: nil, context: nil))
      } catch let error as MCPServerError {
        return .failure(error)
      } catch {
        return .failure(MCPServerError(.startFailed, server: name, "MCP server '\(name)' failed: \(error)"))
      }
    case .failure(let error): return .failure(error)
    case nil: return .failure(MCPServerError(.startFailed, server: name, "there is no MCP server '\(name)'"))
    }
  }

  /// The listings as JSON: `[{name, target, agents, state, error?, tools: [{name, description, read_only}]}]`.
  package static func json(_ listings: [Listing]) -> JSONValue {
    .array(
      listings.map { listing in
        var object: JSONObject = [
          "name": .string(listing.definition.name), "target": .string(listing.definition.target),
          "agents": .array(listing.agents.map(JSONValue.string)),
        ]
        switch listing.tools {
        case .success(let tools):
          object["state"] = "running"
          object["tools"] = .array(
            tools.map { tool in
              .object([
                "name": .string(tool.name), "description": .string(tool.description ?? ""),
                "read_only": .bool(tool.annotations.readOnlyHint == true),
                "needs_approval": .bool(listing.definition.requireApproval.requiresApproval(tool)),
              ])
            })
        case .failure(let error):
          object["state"] = "failed"
          object["error"] = .string(error.details)
          object["tools"] = .array([])
        }
        return .object(object)
      })
  }

  /// Prints the servers and their tools (or JSON); exit status 1 when a server could not be listed.
  package func run(json asJSON: Bool) async -> Int32 {
    let console = services.console
    let listings = await listings()
    if asJSON {
      console.print(Self.json(listings).jsonString)
    } else if listings.isEmpty {
      console.print(
        "No MCP servers are configured. Add an 'mcp_servers:' list to the configuration file (see the README's "
          + "MCP section) and name them in an agent's 'mcp:'.")
    } else {
      for (index, listing) in listings.enumerated() {
        if index > 0 { console.print("") }
        print(listing, console: console)
      }
    }
    return listings.contains { if case .failure = $0.tools { true } else { false } } ? 1 : 0
  }

  private func print(_ listing: Listing, console: Console) {
    let style = console.style
    let agents = listing.agents.isEmpty ? "no agent" : listing.agents.joined(separator: ", ")
    switch listing.tools {
    case .success(let tools):
      console.print(
        style.bold(listing.definition.name) + "  running  " + style.dim(listing.definition.target)
          + style.dim("  (used by \(agents))"))
      var table = TextTable(headers: ["TOOL", "DESCRIPTION"])
      for tool in tools {
        let approval = listing.definition.requireApproval.requiresApproval(tool) ? " [needs approval]" : ""
        table.add([tool.name, Self.firstLine(tool.description ?? "") + approval])
      }
      if tools.isEmpty {
        console.print("  (no tools)")
      } else {
        let width = console.interactive ? TerminalCapabilities.columns() - 3 : nil
        for line in table.render(style: style, width: width) { console.print("  " + line) }
      }
    case .failure(let error):
      console.print(
        style.bold(listing.definition.name) + "  failed  " + style.dim(listing.definition.target)
          + style.dim("  (used by \(agents))"))
      for line in error.details.split(separator: "\n", omittingEmptySubsequences: false) { console.print("  " + line) }
    }
  }

  /// The first line of `text`, cut to 100 characters.
  static func firstLine(_ text: String) -> String {
    let line = text.trimmingWhitespace().split(separator: "\n").first.map(String.init) ?? ""
    return line.count > 100 ? String(line.prefix(99)) + "…" : line
  }
}
