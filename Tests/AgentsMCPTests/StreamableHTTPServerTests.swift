import AgentsMCP
import AgentsTesting
import Foundation
import MCP
import Testing
import TestSupport

/// The fixture server (the `mcp` package's MCPServer, formerly FastMCP) over Streamable HTTP, answering with JSON
/// and with SSE streams.
// Serialized: each test starts a Python server, and a dozen starting at once on a loaded 2-core machine can
// outlast the 30-second start limit.
@Suite(.enabled(if: MCPTestServers.isUsable, MCPTestServers.skipReason), .serialized, .timeLimit(.minutes(2)))
struct StreamableHTTPServerTests {
  enum Replies: String, CaseIterable, Sendable { case json, sse }

  /// Runs `body` with the fixture server started in `mode` and a client for it.
  func withHTTPFixture(
    _ mode: Replies, configuration: MCPServerConfiguration = .init(), headers: [String: String] = [:],
    _ body: (MCPServerStreamableHTTP, Process) async throws -> Void
  ) async throws {
    let (url, process) = try MCPTestServers.startHTTPFixture(replies: mode.rawValue)
    defer { MCPTestServers.kill(process) }
    let server = MCPServerStreamableHTTP(
      name: "web", parameters: .init(url: url, headers: headers), configuration: configuration)
    try await using(server) { server async throws in try await body(server, process) }
  }

  @Test(arguments: Replies.allCases)
  func listsAndCallsTools(mode: Replies) async throws {
    try await withHTTPFixture(mode) { server, _ async throws in
      let names = try await server.listTools().map(\.name)
      #expect(names.contains("echo") && names.contains("add"))
      #expect(text(try await server.callTool("add", arguments: ["a": 2, "b": 40])) == "42")
      #expect(text(try await server.callTool("echo", arguments: ["text": "über ✓"])) == "über ✓")
    }
  }

  @Test(arguments: Replies.allCases)
  func aRunCallsTheServerAndTheAnswerCarriesItsRealOutput(mode: Replies) async throws {
    try await withHTTPFixture(mode) { web, _ async throws in
      try await withServer { fake async throws in
        fake.enqueue(.toolCall("add", arguments: ["a": 19, "b": 23]))
        fake.enqueue(quotingToolOutput("The sum is "))
        let agent = Agent(name: "Adder", model: "llama3.2", toolProviders: [web])
        let result = try await runner(for: fake).run(agent, input: "19 + 23?")
        #expect(result.finalOutputText == "The sum is 42")
      }
    }
  }

  @Test(arguments: Replies.allCases)
  func toolErrorsAndTimeoutsBehaveAsOverStdio(mode: Replies) async throws {
    try await withHTTPFixture(mode, configuration: .init(callTimeout: .seconds(2))) { server, _ async throws in
      let failed = try await server.callTool("fail", arguments: ["reason": "http"])
      #expect(failed.isError == true)
      #expect(text(failed).contains("failed on purpose: http"))
      let error = await #expect(throws: MCPServerError.self) { try await server.callTool("hang", arguments: [:]) }
      #expect(error?.code == .timedOut)
      #expect(text(try await server.callTool("echo", arguments: ["text": "alive"])) == "alive")
    }
  }

  @Test func aToolListChangeArrivesOverTheEventStream() async throws {
    let events = EventLog()
    try await withHTTPFixture(.sse, configuration: .init(eventHandler: events.handler)) { server, _ async throws in
      #expect(try await server.listTools().contains { $0.name == "secret" } == false)
      #expect(text(try await server.callTool("unlock", arguments: [:])) == "unlocked")
      await eventually { events.all.contains("toolsChanged:web") }
      #expect(try await server.listTools().contains { $0.name == "secret" })
    }
  }

  @Test func aServerThatGoesAwayFailsTheCallAndANewSessionStartsLater() async throws {
    let events = EventLog()
    try await withHTTPFixture(.json, configuration: .init(eventHandler: events.handler)) { server, process async throws in
      #expect(text(try await server.callTool("echo", arguments: ["text": "one"])) == "one")
      MCPTestServers.kill(process)
      let error = await #expect(throws: MCPServerError.self) { try await server.callTool("echo", arguments: ["text": "two"]) }
      #expect(error?.code == .stopped)
      #expect(error?.message.contains("cannot be reached") == true)
      #expect(events.all.contains("stopped:web:stopped"))
    }
  }

  @Test func anUnreachableURLFailsToStartWithAClearMessage() async throws {
    let server = MCPServerStreamableHTTP(
      name: "nowhere", parameters: .init(url: "http://127.0.0.1:9/mcp", headers: ["Authorization": "Bearer sk-hidden-1234"]))
    let error = await #expect(throws: MCPServerError.self) { try await server.connect() }
    #expect(error?.code == .startFailed)
    #expect(error?.message.hasPrefix("MCP server 'nowhere' could not be started") == true)
    #expect(error?.message.contains("cannot be reached") == true)
    #expect(error?.details.contains("sk-hidden-1234") == false)
  }
}
