import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

/// `require_approval` from agents.yaml through the CLI, with two copies of the real fixture MCP server whose tool
/// names clash: `/tools` shows the names the model sees and which tools ask; `agents ask` stops before such a call
/// and runs it with `--approve` under that name.
@Suite(.enabled(if: MCPTestServers.isUsable, MCPTestServers.skipReason), .serialized, .timeLimit(.minutes(3)))
struct MCPApprovalCLITests {
  /// `vault` (unlock needs approval) and `spare` (nothing does) both offer `unlock`; `keeper` uses both.
  func configuration(in directory: String) throws -> String {
    let path = directory + "/agents.yaml"
    let fixture = "command: \(MCPTestServers.python)\n    args: [\(MCPTestServers.fixtureScript)]"
    try """
    mcp_servers:
      - name: vault
        \(fixture)
        allowed_tools: [echo, unlock]
        require_approval: {unlock: always, echo: never}
      - name: spare
        \(fixture)
        allowed_tools: [unlock, add]
    agents:
      - id: keeper
        name: Keeper
        instructions: Keep things safe.
        mcp: [vault, spare]
    """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func toolsInChatShowsTheNamesTheModelSeesAndWhichNeedApproval() async throws {
    let directory = try TemporaryDirectory()
    let file = try AgentsConfigLoader.load(path: try configuration(in: directory.path))
    let servers = MCPServerSet(definitions: file.mcpServers, environment: [:])
    let test = TestServices(steps: [], settings: ServerSettings(configFile: file), mcpServers: servers)
    let input = ScriptedLineInput(lines: ["/tools", "/agent coding", "/tools"])
    let chat = try ChatManager(
      services: test.services, input: input, options: .init(agentID: "keeper", interactive: false))
    #expect(await chat.run() == 0)
    await servers.cleanup()
    let rows = test.out.text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
    func row(_ name: String) -> String? {
      rows.first { $0.first.map(String.init) == name }?.joined(separator: " ")
    }
    #expect(row("echo") == "echo mcp: vault Returns the text unchanged.")
    #expect(row("vault_unlock")?.hasPrefix("vault_unlock mcp: vault Adds the tool `secret`") == true)
    #expect(row("vault_unlock")?.hasSuffix("[needs approval]") == true)
    #expect(row("spare_unlock")?.hasPrefix("spare_unlock mcp: spare Adds the tool `secret`") == true)
    #expect(row("spare_unlock")?.contains("approval") == false)
    #expect(row("add") == "add mcp: spare Adds two integers.")
    #expect(row("unlock") == nil, "a clashing tool is listed under the name the model sees")
    #expect(row("write_file")?.hasSuffix("[may need approval]") == true)
    #expect(row("read_file")?.contains("approval") == false)
    #expect(test.err.text == "")
  }

  @Test func askStopsBeforeTheCallAndApproveRunsItUnderTheModelsName() async throws {
    try await withServer { server, agents in
      let config = try configuration(in: agents.home.path)
      let arguments = [
        "ask", "--config", config, "--base-url", server.openAIBaseURL, "--agent", "keeper", "Unlock the vault",
      ]
      server.enqueue(.toolCall("vault_unlock", arguments: [:], id: "call_v"))
      let paused = try await agents.run(arguments)
      #expect(paused.status == 3, "\(paused.stderr)")
      #expect(paused.stderr.contains("vault_unlock()"), "\(paused.stderr)")
      #expect(paused.stderr.contains("--approve vault_unlock (or --approve-all)"))
      #expect(server.requests(to: "/v1/chat/completions").count == 1)

      server.enqueue(.toolCall("vault_unlock", arguments: [:], id: "call_v"))
      server.enqueue(.text("The vault is open."))
      let approved = try await agents.run(arguments + ["--approve", "vault_unlock"])
      #expect(approved.status == 0, "\(approved.stderr)")
      #expect(approved.stdout == "The vault is open.\n")
      let toolOutput = server.requests(to: "/v1/chat/completions").last?.messages.last?["content"]?.stringValue
      #expect(toolOutput == "unlocked", "the call reached the vault server")
    }
  }
}
