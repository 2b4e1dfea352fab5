import Synchronization

extension ChatManager {
  /// `/tools`: the current agent's tools, handoffs and MCP servers' tools under the names the model sees them by,
  /// each with the first line of its description and whether it needs approval; a server that cannot list its
  /// tools is shown with the reason.
  func listTools() async {
    let console = services.console
    let style = console.style
    guard let agent = state.withLock({ $0.agents[$0.agentID] }) else { return }
    let configuration = agent.configuration
    var table = TextTable(headers: ["TOOL", "FROM", "DESCRIPTION"])
    for tool in configuration.tools {
      table.add([tool.name, "built-in", Self.describe(tool)])
    }
    for handoff in configuration.handoffs {
      table.add([handoff.toolName, "handoff", MCPListCommand.firstLine(handoff.toolDescription)])
    }
    var listings: [(provider: String, tools: [any Tool])] = []
    var problems: [String] = []
    for provider in configuration.toolProviders {
      do {
        listings.append((provider.name, try await provider.tools(for: agent, context: RunContext())))
      } catch let error as MCPServerError {
        problems.append(error.details)
      } catch {
        problems.append("MCP server '\(provider.name)' cannot list its tools: \(error)")
      }
    }
    // The names the model is offered: a tool whose name clashes is renamed `<server>_<tool>`, as in a run.
    let reserved = Set(configuration.tools.map(\.name)).union(configuration.handoffs.map(\.toolName))
    let offered = ProvidedToolNames.resolve(listings, reserved: reserved)
    let sources = listings.flatMap { listing in listing.tools.map { _ in "mcp: \(listing.provider)" } }
    for (tool, source) in zip(offered, sources) {
      table.add([tool.name, source, Self.describe(tool)])
    }
    if table.rows.isEmpty && problems.isEmpty {
      console.print(style.dim("\(configuration.name) has no tools."))
      return
    }
    if !table.rows.isEmpty {
      let width = console.interactive ? TerminalCapabilities.columns() - 1 : nil
      for line in table.render(style: style, width: width) { console.print(line) }
    }
    for problem in problems {
      console.error(AppError(.serverUnavailable, problem, fix: "see 'agents mcp list'"))
    }
  }

  /// The first line of the tool's description, marked when its calls wait for the user's approval.
  static func describe(_ tool: any Tool) -> String {
    let description = MCPListCommand.firstLine(tool.definition.description)
    let approval = tool.needsApproval
    if approval.isNever { return description }
    return description + (approval.isAlways ? " [needs approval]" : " [may need approval]")
  }
}
