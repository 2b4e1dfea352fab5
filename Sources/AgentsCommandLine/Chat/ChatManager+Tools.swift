import Synchronization

extension ChatManager {
  /// `/tools`: the current agent's tools, handoffs and MCP servers' tools, each with the first line of its
  /// description; a server that cannot list its tools is shown with the reason.
  func listTools() async {
    let console = services.console
    let style = console.style
    guard let agent = state.withLock({ $0.agents[$0.agentID] }) else { return }
    let configuration = agent.configuration
    var table = TextTable(headers: ["TOOL", "FROM", "DESCRIPTION"])
    for tool in configuration.tools {
      table.add([tool.name, "built-in", MCPListCommand.firstLine(tool.definition.description)])
    }
    for handoff in configuration.handoffs {
      table.add([handoff.toolName, "handoff", MCPListCommand.firstLine(handoff.toolDescription)])
    }
    var problems: [String] = []
    for provider in configuration.toolProviders {
      do {
        for tool in try await provider.tools(for: agent, context: RunContext()) {
          table.add([tool.name, "mcp: \(provider.name)", MCPListCommand.firstLine(tool.definition.description)])
        }
      } catch let error as MCPServerError {
        problems.append(error.details)
      } catch {
        problems.append("MCP server '\(provider.name)' cannot list its tools: \(error)")
      }
    }
    if table.rows.isEmpty && problems.isEmpty {
      console.print(style.dim("\(configuration.name) has no tools."))
      return
    }
    if !table.rows.isEmpty {
      for line in table.render(style: style) { console.print(line) }
    }
    for problem in problems {
      console.error(AppError(.serverUnavailable, problem, fix: "see 'agents mcp list'"))
    }
  }
}
