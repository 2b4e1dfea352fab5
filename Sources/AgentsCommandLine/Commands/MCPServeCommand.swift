import AgentsApp
import AgentsMCPServer
import MCP

/// `agents mcp serve`: the configured agents as tools of an MCP server on standard input and output, for editors
/// and desktop assistants that speak MCP.
///
/// Standard output carries only the protocol; messages go to standard error. Each call asks the agent once,
/// or continues (and saves) the session the client names.
package struct MCPServeCommand: Sendable {
  /// The shared services.
  package var services: AppServices

  /// Creates the command.
  package init(services: AppServices) { self.services = services }

  /// One tool per agent of `agentIDs` (all agents when empty), in catalogue order.
  ///
  /// - Throws: ``AppError`` `usage` for an unknown agent id.
  package func tools(agentIDs: [String], maxTurns: Int) throws(AppError) -> [MCPAgentTool] {
    let factory = services.factory()
    var definitions = factory.catalog.definitions
    if !agentIDs.isEmpty {
      definitions = try agentIDs.map { id throws(AppError) in try factory.catalog.definition(id: id) }
    }
    let services = self.services
    return definitions.map { definition in
      let summary = definition.summary.isEmpty ? "" : ": " + definition.summary
      return MCPAgentTool(
        name: MCPAgentTool.name(forAgentID: definition.id),
        description: "Ask the local agent '\(definition.name)'\(summary). Returns its answer as text."
      ) { request, onText in
        let agent = try factory.makeAgent(id: definition.id)
        let session = try request.sessionID.map { id throws(AppError) -> any Session in
          SQLiteSession(sessionID: id, store: try services.requireSessionStore(for: id))
        }
        let outcome = await services.ask(
          agent, input: request.question, session: session, maxTurns: maxTurns, streamed: true,
          deadline: services.settings.questionDeadline,
          onEvent: { event in if case .textDelta(let text) = event { onText(text) } })
        if let error = outcome.error { throw error }
        return outcome.result.finalOutput
      }
    }
  }

  /// Serves until the client closes standard input; returns the exit status. `version` is what the server reports.
  package func run(agentIDs: [String], maxTurns: Int, version: String) async throws(AppError) -> Int32 {
    try Setting.maxTurns.check(maxTurns)
    let server = MCPAgentServer(tools: try tools(agentIDs: agentIDs, maxTurns: maxTurns), version: version)
    do {
      try await server.run(transport: StdioTransport())
      return 0
    } catch {
      throw AppError(.runFailed, "the MCP server stopped: \(error)")
    }
  }
}
