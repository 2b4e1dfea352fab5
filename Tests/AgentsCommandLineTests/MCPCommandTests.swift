import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

/// `agents mcp list`, agents from `mcp_servers:` using the real `mcp-server-time`, and `agents mcp serve` driven by
/// the official `mcp` Python client, all through the built binary.
@Suite(.enabled(if: MCPTestServers.isUsable, MCPTestServers.skipReason), .serialized, .timeLimit(.minutes(3)))
struct MCPCommandTests {
  /// A configuration with the real time server, a server whose program does not exist, and an agent using both.
  func configuration(in home: String, servers: String? = nil) throws -> String {
    let path = home + "/agents.yaml"
    let text = """
      mcp_servers:
        - name: time
          command: \(MCPTestServers.program("mcp-server-time"))
          args: [--local-timezone, Etc/UTC]
          blocked_tools: [convert_time]
      \(servers ?? "")
      agents:
        - id: clock
          name: Clock
          instructions: Answer questions about time with the tools.
          mcp: [time]
      """
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func listShowsEachServerItsToolsAndWhyOneFailed() async throws {
    let agents = try AgentsBinary()
    let config = try configuration(
      in: agents.home.path,
      servers: """
          - name: broken
            command: /nonexistent/mcp-server
          - name: keyed
            url: http://127.0.0.1:9/mcp
            headers: {Authorization: "Bearer ${MCP_TEST_UNSET_TOKEN}"}
        """)
    let output = try await agents.run(["mcp", "list", "--config", config])
    #expect(output.status == 1)
    let lines = output.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first?.hasPrefix("time  running  \(MCPTestServers.program("mcp-server-time"))") == true)
    #expect(lines.first?.hasSuffix("(used by clock)") == true)
    #expect(lines.contains { $0.hasPrefix("  get_current_time") })
    #expect(!lines.contains { $0.hasPrefix("  convert_time") })
    #expect(lines.contains("broken  failed  /nonexistent/mcp-server  (used by no agent)"))
    #expect(output.stdout.contains("MCP server 'broken' could not be started"))
    #expect(output.stdout.contains("the environment variable $MCP_TEST_UNSET_TOKEN it refers to is not set"))

    let json = try JSONValue.parse(try await agents.run(["mcp", "list", "--json", "--config", config]).stdout)
    let servers = try #require(json.arrayValue)
    #expect(servers.count == 3)
    #expect(servers[0]["name"] == "time")
    #expect(servers[0]["state"] == "running")
    #expect(servers[0]["tools"]?.arrayValue?.first?["name"] == "get_current_time")
    #expect(servers[0]["tools"]?.arrayValue?.first?["read_only"] == true)
    #expect(servers[1]["state"] == "failed")
  }

  @Test func anAgentFromTheConfigurationCallsTheRealTimeServer() async throws {
    try await withServer { server, agents in
      let config = try configuration(in: agents.home.path)
      server.enqueue(.toolCall("get_current_time", arguments: ["timezone": "Asia/Tokyo"]))
      server.enqueue(.text("It is evening in Tokyo."))
      let output = try await agents.run(
        ["ask", "--config", config, "--base-url", server.openAIBaseURL, "--agent", "clock", "What time is it in Tokyo?"])
      #expect(output.status == 0, "\(output.stderr)")
      #expect(output.stdout == "It is evening in Tokyo.\n")
      let first = try #require(server.requests(to: "/v1/chat/completions").first)
      let tools = first.json?["tools"]?.arrayValue?.compactMap { $0["function"]?["name"]?.stringValue }
      #expect(tools == ["get_current_time"])
      let toolOutput = server.requests(to: "/v1/chat/completions").last?.messages.last?["content"]?.stringValue ?? ""
      #expect(toolOutput.contains("\"timezone\": \"Asia/Tokyo\""))
      #expect(toolOutput.contains("+09:00"))
    }
  }

  /// Runs the `mcp` Python client against `agents mcp serve` (over Streamable HTTP when `http`, with `environment`);
  /// returns its JSON report.
  func serve(
    _ agents: AgentsBinary, arguments: [String], tool: String, question: String, session: String? = nil,
    http: Bool = false, environment: [String: String] = [:]
  ) async throws -> (JSONValue?, AgentsBinary.Output) {
    let output = try await agents.run(
      ["mcp", "serve"] + arguments + ["--", tool, question] + (session.map { [$0] } ?? []),
      launcher: [MCPTestServers.python, MCPTestServers.serveClientScript] + (http ? ["--http"] : []),
      environment: environment)
    return (try? JSONValue.parse(output.lastLine), output)
  }

  @Test func serveOverHTTPAnswersThePythonStreamableHTTPClientWithItsKey() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("Paris is the capital of France.", chunkSize: 6))
      let (report, output) = try await serve(
        agents,
        arguments: ["--http", "--port", "0", "--base-url", server.openAIBaseURL, "--agent", "creative", "--agent", "math"],
        tool: "ask_creative", question: "Capital of France?", http: true,
        environment: ["AGENTS_SERVE_API_KEYS": "sesame", "MCP_CLIENT_TOKEN": "sesame"])
      #expect(output.status == 0, "\(output.stderr)")
      #expect(report?["tools"] == ["ask_creative", "ask_math"])
      #expect(report?["text"] == "Paris is the capital of France.")
      #expect(report?["is_error"] == false)
      // Over HTTP the progress travels on the session's GET stream and the result on the call's POST stream, so
      // the last pieces may arrive after the result: what arrived is a beginning of the answer.
      let progress = report?["progress"]?.arrayValue?.compactMap(\.stringValue) ?? []
      #expect(!progress.isEmpty)
      #expect("Paris is the capital of France.".hasPrefix(progress.joined()))
      #expect(report?["server_status"] == 0)
      let log = report?["server_stderr"]?.stringValue ?? ""
      #expect(log.contains("agents mcp serve: listening on http://127.0.0.1:"))
      #expect(log.contains("/mcp (2 agents; 1 API key; at most 16 sessions)"))
      #expect(log.contains("agents mcp serve: stopped"))
      #expect(!log.contains("sesame"))
    }
  }

  @Test func serveOverHTTPRefusesANetworkAddressWithoutKeys() async throws {
    let agents = try AgentsBinary()
    let output = try await agents.run(["mcp", "serve", "--http", "--host", "0.0.0.0", "--port", "0"])
    #expect(output.status == 65)
    #expect(output.stderr.contains("refusing to listen on 0.0.0.0 without API keys"))
    #expect(output.stderr.contains("AGENTS_SERVE_API_KEYS"))
    #expect(output.stdout.isEmpty)
  }

  @Test func serveOffersAgentsToThePythonClientAndStreamsTheAnswerAsProgress() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("Paris is the capital of France.", chunkSize: 6))
      let (report, output) = try await serve(
        agents, arguments: ["--base-url", server.openAIBaseURL, "--agent", "creative", "--agent", "math"],
        tool: "ask_creative", question: "Capital of France?")
      #expect(output.status == 0, "\(output.stderr)")
      #expect(report?["tools"] == ["ask_creative", "ask_math"])
      #expect(report?["schema"]?["required"] == ["question"])
      #expect(report?["text"] == "Paris is the capital of France.")
      #expect(report?["is_error"] == false)
      let progress = report?["progress"]?.arrayValue?.compactMap(\.stringValue) ?? []
      #expect(progress.count > 1)
      #expect(progress.joined() == "Paris is the capital of France.")
      #expect(server.lastRequest?.messages.last?["content"] == "Capital of France?")
    }
  }

  @Test func aFailedRunIsAToolErrorTheClientReads() async throws {
    try await withServer { server, agents in
      server.enqueue(.toolCall("calculator", arguments: ["expression": "1 + 1"]))
      let (report, output) = try await serve(
        agents, arguments: ["--base-url", server.openAIBaseURL, "--agent", "math", "--max-turns", "1"], tool: "ask_math",
        question: "What is 1 + 1?")
      #expect(output.status == 0, "\(output.stderr)")
      #expect(report?["is_error"] == true)
      #expect(report?["text"]?.stringValue?.contains("1") == true)
    }
  }

  @Test func serveRefusesAnUnknownAgent() async throws {
    let agents = try AgentsBinary()
    let output = try await agents.run(["mcp", "serve", "--agent", "nobody"])
    #expect(output.status == 64)
    #expect(output.stderr.contains("nobody"))
    #expect(output.stdout.isEmpty)
  }

  @Test func toolsInChatListsTheCurrentAgentsToolsWithTheirSources() async throws {
    let directory = try TemporaryDirectory()
    let file = try AgentsConfigLoader.load(path: try configuration(in: directory.path))
    let servers = MCPServerSet(definitions: file.mcpServers, environment: [:])
    let test = TestServices(steps: [], settings: ServerSettings(configFile: file), mcpServers: servers)
    let input = ScriptedLineInput(lines: ["/tools", "/agent math", "/tools", "/agent creative", "/tools"])
    let chat = try ChatManager(services: test.services, input: input, options: .init(agentID: "clock", interactive: false))
    #expect(await chat.run() == 0)
    await servers.cleanup()
    let lines = test.out.text.split(separator: "\n").map(String.init)
    #expect(lines.first == "TOOL              FROM       DESCRIPTION")
    #expect(lines.contains { $0.hasPrefix("get_current_time  mcp: time  Get current time") })
    #expect(!lines.contains { $0.hasPrefix("convert_time") })
    #expect(lines.contains { $0.hasPrefix("calculator") && $0.contains("built-in") })
    #expect(lines.last == "Creative Writer has no tools.")
    #expect(test.err.text == "")
  }
}
