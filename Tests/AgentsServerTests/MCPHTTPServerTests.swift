import AgentsMCP
import AgentsMCPServer
import AgentsServer
import AgentsTesting
import Foundation
import MCP
import Synchronization
import Testing
import TestSupport

/// `agents mcp serve --http`'s server in this process, driven by our own MCP client (``MCPServerStreamableHTTP``)
/// over loopback: tools, answers, progress, cancellation, the session limit and API keys. The `mcp` Python
/// package's client drives the built binary in AgentsCommandLineTests' MCPCommandTests.
@Suite(.timeLimit(.minutes(2)))
struct MCPHTTPServerTests {
  /// What the tools' answers saw: questions, and calls that were cancelled.
  final class Record: Sendable {
    let questions = Mutex<[String]>([])
    let cancelled = Mutex(0)
  }

  /// `ask_echo` answers "echo: QUESTION" in two pieces; `ask_slow` waits until it is cancelled.
  static func agents(_ record: Record) -> MCPAgentServer {
    let echo = MCPAgentTool(name: "ask_echo", description: "Echoes.") { request, onText in
      record.questions.withLock { $0.append(request.question) }
      onText("echo: ")
      onText(request.question)
      return "echo: " + request.question
    }
    let slow = MCPAgentTool(name: "ask_slow", description: "Never answers.") { _, _ in
      do {
        try await Task.sleep(for: .seconds(600))
      } catch {
        record.cancelled.withLock { $0 += 1 }
        throw error
      }
      return "too late"
    }
    return MCPAgentServer(tools: [echo, slow], version: "test")
  }

  /// Runs the server on a free loopback port while `body` runs with its URL.
  func withMCPServer(
    _ configuration: MCPHTTPServer.Configuration = .init(port: 0), record: Record = Record(),
    _ body: (String) async throws -> Void
  ) async throws {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let server = MCPHTTPServer(
      configuration: configuration, agents: Self.agents(record), onListening: { continuation.yield($0) })
    let task = Task { try await server.run() }
    defer { task.cancel() }
    var iterator = ports.makeAsyncIterator()
    let port = try #require(await iterator.next())
    try await body("http://127.0.0.1:\(port)/mcp")
  }

  func client(_ url: String, headers: [String: String] = [:], timeout: Duration? = nil) -> MCPServerStreamableHTTP {
    MCPServerStreamableHTTP(
      name: "agents", parameters: .init(url: url, headers: headers), configuration: .init(callTimeout: timeout))
  }

  func text(_ result: CallTool.Result) -> String { MCPToolOutput.text(result) }

  @Test func ourClientListsTheAgentsAndGetsAnAnswer() async throws {
    let record = Record()
    try await withMCPServer(record: record) { url async throws in
      let client = client(url)
      #expect(try await client.listTools().map(\.name) == ["ask_echo", "ask_slow"])
      let result = try await client.callTool("ask_echo", arguments: ["question": "über ✓"])
      #expect(result.isError != true)
      #expect(text(result) == "echo: über ✓")
      let missing = try await client.callTool("ask_echo", arguments: [:])
      #expect(missing.isError == true)
      #expect(text(missing).contains("'question' is missing"))
      await client.cleanup()
    }
    #expect(record.questions.withLock { $0 } == ["über ✓"])
  }

  @Test func aCallTheClientGivesUpOnCancelsTheAnswerAndTheSessionGoesOn() async throws {
    let record = Record()
    try await withMCPServer(record: record) { url async throws in
      // Long enough for the follow-up call in a loaded parallel test run; the slow call waits for all of it.
      let client = client(url, timeout: .seconds(5))
      let error = await #expect(throws: MCPServerError.self) {
        try await client.callTool("ask_slow", arguments: ["question": "?"])
      }
      #expect(error?.code == .timedOut)
      await eventually { record.cancelled.withLock { $0 } == 1 }
      #expect(text(try await client.callTool("ask_echo", arguments: ["question": "still here"])) == "echo: still here")
      await client.cleanup()
    }
  }

  @Test func theNumberOfSessionsIsBoundedAndAnEndedOneFreesItsPlace() async throws {
    try await withMCPServer(.init(port: 0, maximumSessions: 1)) { url async throws in
      let first = client(url)
      #expect(text(try await first.callTool("ask_echo", arguments: ["question": "one"])) == "echo: one")
      let second = client(url)
      let error = await #expect(throws: MCPServerError.self) { try await second.listTools() }
      #expect(error?.message.contains("HTTP 503") == true)
      #expect(error?.message.contains("already has 1 MCP sessions") == true)
      await second.cleanup()
      await first.cleanup()  // DELETE ends the session
      let third = client(url)
      #expect(text(try await third.callTool("ask_echo", arguments: ["question": "three"])) == "echo: three")
      await third.cleanup()
    }
  }

  @Test func withKeysEveryRequestNeedsOne() async throws {
    try await withMCPServer(.init(port: 0, apiKeys: APIKeys(["sesame"]))) { url async throws in
      let anonymous = client(url)
      let error = await #expect(throws: MCPServerError.self) { try await anonymous.listTools() }
      #expect(error?.message.contains("HTTP 401") == true)
      await anonymous.cleanup()
      let keyed = client(url, headers: ["Authorization": "Bearer sesame"])
      #expect(text(try await keyed.callTool("ask_echo", arguments: ["question": "hi"])) == "echo: hi")
      await keyed.cleanup()
    }
  }

  @Test func aNetworkAddressWithoutKeysIsRefused() throws {
    let error = #expect(throws: ServerStartError.self) {
      try MCPHTTPServer.Configuration(host: "0.0.0.0").checkSafety()
    }
    #expect(error?.message.contains("refusing to listen on 0.0.0.0 without API keys") == true)
    #expect(throws: Never.self) {
      try MCPHTTPServer.Configuration(host: "0.0.0.0", apiKeys: APIKeys(["k"])).checkSafety()
    }
    #expect(throws: ServerStartError.self) { try MCPHTTPServer.Configuration(maximumSessions: 0).checkSafety() }
  }
}
