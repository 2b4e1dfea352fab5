import AgentsMCP
import AgentsTesting
import Foundation
import MCP
import Synchronization
import TestSupport

/// Records an MCP server's events.
final class EventLog: Sendable {
  private let events = Mutex<[String]>([])

  /// The handler to put in a configuration.
  var handler: @Sendable (MCPServerEvent) -> Void {
    { event in self.record(event) }
  }

  private func record(_ event: MCPServerEvent) {
    let text: String
    switch event {
    case .started(let server): text = "started:\(server)"
    case .stopped(let error): text = "stopped:\(error.server):\(error.code)"
    case .toolsChanged(let server): text = "toolsChanged:\(server)"
    }
    events.withLock { $0.append(text) }
  }

  /// The events so far, as `kind:server[:code]`.
  var all: [String] { events.withLock { $0 } }
}

/// The fixture server over stdio.
func fixtureServer(
  name: String = "fixture", environment: [String: String] = [:], configuration: MCPServerConfiguration = .init()
) -> MCPServerStdio {
  MCPServerStdio(
    name: name,
    parameters: .init(
      command: MCPTestServers.python, arguments: [MCPTestServers.fixtureScript], environment: environment),
    configuration: configuration)
}

/// The real `mcp-server-time` from PyPI, with UTC as its local time zone.
func timeServer(configuration: MCPServerConfiguration = .init()) -> MCPServerStdio {
  MCPServerStdio(
    name: "time",
    parameters: .init(command: MCPTestServers.program("mcp-server-time"), arguments: ["--local-timezone", "Etc/UTC"]),
    configuration: configuration)
}

/// The text of a call's content blocks.
func text(_ result: CallTool.Result) -> String { MCPToolOutput.text(result) }

/// Runs `body` with `server` and cleans the server up afterwards, also when `body` throws.
func using<Server: MCPServer, Result>(_ server: Server, _ body: (Server) async throws -> Result) async throws -> Result {
  do {
    let result = try await body(server)
    await server.cleanup()
    return result
  } catch {
    await server.cleanup()
    throw error
  }
}

/// A runner whose model is the fake server's `llama3.2`.
func runner(for server: FakeOllamaServer) -> Runner {
  let config = OllamaConfig(baseURL: server.openAIBaseURL, retry: .disabled)
  return Runner(configuration: .init(modelProvider: OpenAICompatibleProvider(config: config)))
}

/// A fake-server reply that quotes the last tool output: `prefix` followed by the tool message's content.
func quotingToolOutput(_ prefix: String) -> @Sendable (RecordedRequest) -> FakeOllamaServer.Reply {
  { request in
    let output = request.messages.last { $0["role"]?.stringValue == "tool" }?["content"]?.stringValue ?? "(none)"
    return .text(prefix + output)
  }
}
