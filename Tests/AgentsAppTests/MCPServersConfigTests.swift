import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsApp

/// The configuration file's `mcp_servers:` list and agents' `mcp:`: parsed, checked with located messages, and
/// turned into servers the agents' runs use.
@Suite struct MCPServersConfigTests {
  func parse(_ yaml: String) throws(ConfigFileError) -> AgentsConfigFile {
    try AgentsConfigLoader.parse(yaml: yaml, path: "agents.yaml")
  }

  func messages(_ yaml: String) -> [String] {
    do {
      _ = try parse(yaml)
      Issue.record("expected the file to be rejected")
      return []
    } catch {
      return error.issues.map(\.description)
    }
  }

  @Test func readsStdioAndHTTPServersAndAgentsThatUseThem() throws {
    let file = try parse(
      """
      agents:
        - id: clock
          instructions: Tell the time.
          mcp: [time, docs]
      mcp_servers:
        - name: time
          command: mcp-server-time
          args: [--local-timezone, Europe/Paris]
          env: {TZ: UTC, TOKEN: "${TIME_TOKEN}"}
          cwd: /tmp
          blocked_tools: [convert_time]
          timeout: 5
        - name: docs
          url: http://127.0.0.1:8000/mcp
          headers: {Authorization: "Bearer ${DOCS_TOKEN}"}
          allowed_tools: [search]
          require_approval: unless_read_only
      """)
    #expect(file.agents.first?.mcpServers == ["time", "docs"])
    #expect(file.mcpServers.map(\.name) == ["time", "docs"])
    let time = try #require(file.mcpServers.first)
    #expect(
      time.transport
        == .stdio(
          command: "mcp-server-time", arguments: ["--local-timezone", "Europe/Paris"],
          environment: ["TZ": "UTC", "TOKEN": "${TIME_TOKEN}"], workingDirectory: "/tmp"))
    #expect(time.blockedTools == ["convert_time"])
    #expect(time.timeout == 5)
    #expect(time.referencedVariables == ["TIME_TOKEN"])
    let docs = file.mcpServers[1]
    #expect(docs.transport == .http(url: "http://127.0.0.1:8000/mcp", headers: ["Authorization": "Bearer ${DOCS_TOKEN}"]))
    #expect(docs.allowedTools == ["search"])
    #expect(docs.requireApproval == .unlessReadOnly)
    #expect(docs.target == "http://127.0.0.1:8000/mcp")
  }

  @Test func mistakesAreReportedWithTheirLines() {
    let found = messages(
      """
      mcp_servers:
        - name: a
        - name: b
          command: x
          url: http://h/mcp
        - name: c
          url: ftp://h
          args: [x]
        - name: d
          command: y
          require_approval: sometimes
          comand: z
        - name: e
          command: y
          env: {K: "${1BAD}"}
        - name: ok
          command: y
        - name: ok
          command: z
      agents:
        - id: helper
          instructions: Help.
          mcp: [okk, zz]
      """)
    #expect(
      found == [
        "2:5: MCP server 'a' needs either 'command' (a local program) or 'url' (a Streamable HTTP endpoint)",
        "5:10: MCP server 'b' has both 'command' and 'url'; give one",
        "7:10: MCP server 'c': 'url' must start with http:// or https://, but is 'ftp://h'",
        "8:11: MCP server 'c': 'args' is for servers with a 'command'",
        "11:23: 'require_approval' must be one of never, always, unless_read_only, a list of tool names, or a mapping "
          + "of tool names to always/never, but is 'sometimes'",
        "12:5: unknown key 'comand' in an MCP server (did you mean 'command'?); expected one of: name, command, args, env, "
          + "cwd, url, headers, allowed_tools, blocked_tools, timeout, require_approval",
        "15:14: 'env.K' refers to '${1BAD}', which is not a variable name",
        "18:11: MCP server 'ok' is already defined on line 16; names must be unique",
        "23:11: agent 'helper' uses unknown MCP server 'okk' (did you mean 'ok'?); MCP servers: ok",
        "23:16: agent 'helper' uses unknown MCP server 'zz'; MCP servers: ok",
      ])
  }

  @Test func requireApprovalAcceptsThePythonSDKsSpellings() throws {
    let file = try parse(
      """
      mcp_servers:
        - {name: a, command: x, require_approval: always}
        - {name: b, command: x, require_approval: [git_add, git_commit]}
        - {name: c, command: x, require_approval: {git_add: always, git_status: never}}
        - name: d
          command: x
          require_approval:
            always: {tool_names: [git_add, git_reset]}
            never: {tool_names: [git_log]}
        - {name: e, command: x}
      """)
    #expect(
      file.mcpServers.map(\.requireApproval) == [
        .always, .tools(["git_add", "git_commit"]), .tools(["git_add"]), .tools(["git_add", "git_reset"]), .never,
      ])
  }

  @Test func requireApprovalMappingMistakesAreLocated() {
    let found = messages(
      """
      mcp_servers:
        - {name: a, command: x, require_approval: {git_add: sometimes}}
        - name: b
          command: x
          require_approval:
            always: {tool_names: [git_add]}
            never: {tool_names: [git_add]}
            maybe: {tool_names: [git_log]}
      """)
    #expect(
      found == [
        "2:55: 'require_approval.git_add' must be always or never, but is 'sometimes'",
        "7:28: 'require_approval' names tool 'git_add' under both always and never; keep one",
        "8:7: 'require_approval' with tool lists takes only 'always: {tool_names: [...]}' and "
          + "'never: {tool_names: [...]}', but has 'maybe'",
      ])
  }

  @Test func anAgentNamingServersOfAFileWithoutAnyIsTold() {
    let found = messages(
      """
      agents:
        - id: helper
          instructions: Help.
          mcp: time
      """)
    #expect(found == ["4:10: agent 'helper' uses unknown MCP server 'time'; the file defines no 'mcp_servers'"])
  }

  @Test func variablesAreFilledInWhenTheServerIsMadeAndMissingOnesAreNamed() throws {
    let definition = MCPServerDefinition(
      name: "docs", transport: .http(url: "http://127.0.0.1:1/mcp", headers: ["Authorization": "Bearer ${DOCS_TOKEN}"]),
      allowedTools: ["search"], timeout: 2.5)
    let server = try definition.makeServer(environment: ["DOCS_TOKEN": "sk-secret-42"])
    let http = try #require(server as? MCPServerStreamableHTTP)
    #expect(http.parameters.headers == ["Authorization": "Bearer sk-secret-42"])
    #expect(http.configuration.callTimeout == .milliseconds(2500))
    #expect(http.configuration.toolFilter?.allowed == ["search"])

    let error = #expect(throws: MCPServerError.self) { try definition.makeServer(environment: [:]) }
    #expect(error?.code == .startFailed)
    #expect(
      error?.message
        == "MCP server 'docs' cannot start: the environment variable $DOCS_TOKEN it refers to is not set. Set it before "
        + "starting agents.")
  }

  @Test func theFactoryGivesAgentsTheirServersAndOneServerIsSharedByAll() async throws {
    let file = try parse(
      """
      mcp_servers:
        - name: time
          command: mcp-server-time
        - name: docs
          url: http://127.0.0.1:1/mcp
          headers: {Authorization: "${UNSET_TOKEN_FOR_TEST}"}
      agents:
        - id: a
          instructions: A.
          mcp: [time]
        - id: b
          instructions: B.
          mcp: [time, docs]
      """)
    let servers = MCPServerSet(definitions: file.mcpServers, environment: [:])
    let factory = AgentFactory(settings: ServerSettings(configFile: file), mcpServers: servers)
    let a = try factory.makeAgent(id: "a")
    let b = try factory.makeAgent(id: "b")
    #expect(a.toolProviders.map(\.name) == ["time"])
    #expect(b.toolProviders.map(\.name) == ["time", "docs"])
    #expect(a.mcpServers.first as? MCPServerStdio === b.mcpServers.first as? MCPServerStdio)
    #expect(b.mcpServers.count == 1)
    await #expect(throws: MCPServerError.self) {
      _ = try await b.toolProviders[1].tools(for: b, context: RunContext())
    }
    #expect(try factory.makeAgent(id: "math").toolProviders.isEmpty)
  }
}
