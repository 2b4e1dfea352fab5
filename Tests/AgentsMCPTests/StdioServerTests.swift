import AgentsMCP
import AgentsTesting
import Foundation
import MCP
import Testing
import TestSupport

/// Real MCP servers over stdio: `mcp-server-time` from PyPI and the fixture server.
// Serialized: each test starts a Python server, and a dozen starting at once on a loaded 2-core machine can
// outlast the 30-second start limit.
@Suite(.enabled(if: MCPTestServers.isUsable, MCPTestServers.skipReason), .serialized, .timeLimit(.minutes(2)))
struct StdioServerTests {
  @Test func theTimeServerListsItsToolsAndAnswers() async throws {
    try await using(timeServer()) { server async throws in
      let tools = try await server.listTools()
      #expect(Set(tools.map(\.name)) == ["get_current_time", "convert_time"])
      let result = try await server.callTool("get_current_time", arguments: ["timezone": "Asia/Tokyo"])
      #expect(result.isError != true)
      #expect(text(result).contains(#""timezone": "Asia/Tokyo""#) || text(result).contains(#""timezone":"Asia/Tokyo""#))
      #expect(await server.status.description == "running")
    }
  }

  @Test func aRunCallsTheTimeServerAndTheAnswerCarriesItsRealOutput() async throws {
    let time = timeServer()
    try await using(time) { _ async throws in
      try await withServer { fake async throws in
        fake.enqueue(.toolCall("get_current_time", arguments: ["timezone": "Asia/Tokyo"], id: "call_t"))
        fake.enqueue(quotingToolOutput("In Tokyo: "))
        let agent = Agent(name: "Clock", instructions: "Use the tools.", model: "llama3.2", toolProviders: [time])
        let result = try await runner(for: fake).run(agent, input: "What time is it in Tokyo?")
        #expect(result.finalOutputText.hasPrefix("In Tokyo: "))
        #expect(result.finalOutputText.contains("Asia/Tokyo"))
        #expect(result.finalOutputText.contains("+09:00"))
        let offered = fake.requests(to: "/v1/chat/completions")[0].tools.compactMap { $0["function"]?["name"]?.stringValue }
        #expect(offered == ["get_current_time", "convert_time"])
        let schema = fake.requests(to: "/v1/chat/completions")[0].tools[0]["function"]?["parameters"]
        #expect(schema?["required"] == ["timezone"])
        #expect(schema?["properties"]?["timezone"]?["type"] == "string")
      }
    }
  }

  @Test func imagesAndResourcesBecomeText() async throws {
    try await using(fixtureServer()) { server async throws in
      let picture = text(try await server.callTool("picture", arguments: [:]))
      #expect(picture == "A one-pixel image:\n\n[image: image/png, 68 bytes; not shown, this model reads text only]")
      let document = text(try await server.callTool("document", arguments: [:]))
      #expect(document == """
        [resource file:///notes/todo.txt (text/plain)]
        buy milk

        [resource link: done.txt <file:///notes/done.txt>: finished items]
        """)
    }
  }

  @Test func aToolErrorReachesTheModelAsAFailedCall() async throws {
    let fixture = fixtureServer()
    try await using(fixture) { _ async throws in
      try await withServer { fake async throws in
        fake.enqueue(.toolCall("fail", arguments: ["reason": "no disk"]))
        fake.enqueue(.text("The disk is full."))
        let agent = Agent(name: "A", model: "llama3.2", toolProviders: [fixture])
        let result = try await runner(for: fake).run(agent, input: "x")
        #expect(result.finalOutputText == "The disk is full.")
        // What the model read as the call's output (a reply repeating it whole would be the runner's words too).
        let told = fake.requests(to: "/v1/chat/completions")[1].messages.last?["content"]?.stringValue ?? ""
        #expect(told.contains("Tool 'fail' of MCP server 'fixture' reported an error"), "\(told)")
        #expect(told.contains("failed on purpose: no disk"), "\(told)")
      }
    }
  }

  @Test func missingRequiredArgumentsGoBackToTheModelWithoutACall() async throws {
    let fixture = fixtureServer()
    try await using(fixture) { _ async throws in
      try await withServer { fake async throws in
        fake.enqueue(.toolCall("add", arguments: ["a": 1]))
        fake.enqueue(.text("I need b too."))
        let agent = Agent(name: "A", model: "llama3.2", toolProviders: [fixture])
        let result = try await runner(for: fake).run(agent, input: "x")
        #expect(result.finalOutputText == "I need b too.")
        let told = fake.requests(to: "/v1/chat/completions")[1].messages.last?["content"]?.stringValue ?? ""
        #expect(told.contains("the required parameter 'b' is missing"), "\(told)")
      }
    }
  }

  @Test func aServerThatCrashesMidCallFailsTheCallAndRestartsOnTheNextOne() async throws {
    let events = EventLog()
    let server = fixtureServer(
      environment: ["FIXTURE_TOKEN": "tok-very-secret-123"],
      configuration: .init(eventHandler: events.handler))
    try await using(server) { server async throws in
      let error = await #expect(throws: MCPServerError.self) { try await server.callTool("crash", arguments: [:]) }
      #expect(error?.code == .stopped)
      #expect(error?.message.contains("MCP server 'fixture' exited with status 3") == true)
      #expect(error?.message.contains("answer the call to 'crash'") == true)
      #expect(error?.serverOutput?.contains("fixture: crashing on purpose (token <redacted>)") == true)
      #expect(error?.details.contains("tok-very-secret-123") == false)
      #expect(await server.status.description.hasPrefix("stopped"))
      #expect(text(try await server.callTool("echo", arguments: ["text": "back"])) == "back")
      #expect(events.all == ["started:fixture", "stopped:fixture:stopped", "started:fixture"])
    }
  }

  @Test func aCrashDuringARunIsAToolErrorAndTheNextCallRestartsTheServer() async throws {
    let fixture = fixtureServer()
    try await using(fixture) { _ async throws in
      try await withServer { fake async throws in
        fake.enqueue(.toolCall("crash", arguments: [:]))
        fake.enqueue(.toolCall("echo", arguments: ["text": "after the crash"]))
        fake.enqueue(quotingToolOutput("echoed: "))
        let agent = Agent(name: "A", model: "llama3.2", toolProviders: [fixture])
        let result = try await runner(for: fake).run(agent, input: "x")
        #expect(result.finalOutputText == "echoed: after the crash")
        let crashOutput = fake.requests(to: "/v1/chat/completions")[1].messages.last?["content"]?.stringValue ?? ""
        #expect(crashOutput.contains("MCP server 'fixture' exited with status 3 while it was asked to answer the call to 'crash'"))
        #expect(crashOutput.contains("It is started again on the next use."))
      }
    }
  }

  @Test func aHangingCallTimesOutAndTheServerStaysUsable() async throws {
    let server = fixtureServer(configuration: .init(callTimeout: .seconds(2)))
    try await using(server) { server async throws in
      let error = await #expect(throws: MCPServerError.self) { try await server.callTool("hang", arguments: [:]) }
      #expect(error?.code == .timedOut)
      #expect(error?.message == "MCP server 'fixture' did not answer the call to 'hang' within 2 seconds; the request was cancelled.")
      #expect(text(try await server.callTool("echo", arguments: ["text": "still here"])) == "still here")
    }
  }

  @Test func cancellingTheCallingTaskCancelsTheRequest() async throws {
    try await using(fixtureServer()) { server async throws in
      _ = try await server.listTools()
      let call = Task { try await server.callTool("hang", arguments: [:]) }
      try await Task.sleep(for: .milliseconds(100))
      call.cancel()
      await #expect(throws: CancellationError.self) { try await call.value }
      #expect(text(try await server.callTool("echo", arguments: ["text": "ok"])) == "ok")
    }
  }

  @Test func aToolListChangeIsPickedUpBeforeTheNextListing() async throws {
    let events = EventLog()
    try await using(fixtureServer(configuration: .init(eventHandler: events.handler))) { server async throws in
      #expect(try await server.listTools().contains { $0.name == "secret" } == false)
      #expect(text(try await server.callTool("unlock", arguments: [:])) == "unlocked")
      await eventually { events.all.contains("toolsChanged:fixture") }
      #expect(try await server.listTools().contains { $0.name == "secret" })
    }
  }

  @Test func allowAndDenyListsFilterTheTools() async throws {
    let allowing = fixtureServer(configuration: .init(toolFilter: .allowing(["echo", "add", "nonexistent"])))
    try await using(allowing) { server async throws in
      #expect(try await server.listTools().map(\.name).sorted() == ["add", "echo"])
    }
    let blocking = fixtureServer(configuration: .init(toolFilter: .blocking(["crash", "hang"])))
    try await using(blocking) { server async throws in
      let names = try await server.listTools().map(\.name)
      #expect(!names.contains("crash") && !names.contains("hang") && names.contains("echo"))
    }
  }

  @Test func theServerGetsItsVariablesButNotTheRestOfTheEnvironment() async throws {
    setenv("AGENTS_MCP_PROBE", "1", 1)
    try await using(fixtureServer(environment: ["FIXTURE_TOKEN": "abc"])) { server async throws in
      #expect(text(try await server.callTool("whoami", arguments: [:])) == "token=abc probe=False")
    }
  }

  @Test func aCommandThatDoesNotExistFailsToStartWithAClearMessage() async throws {
    let server = MCPServerStdio(name: "ghost", parameters: .init(command: "no-such-mcp-server-xyz"))
    let error = await #expect(throws: MCPServerError.self) { try await server.listTools() }
    #expect(error?.code == .startFailed)
    #expect(error?.message == "MCP server 'ghost' could not be started: the command 'no-such-mcp-server-xyz' was not found on PATH. Install it, or give its full path as the server's command.")
  }

  @Test func aServerThatExitsAtOnceFailsToStartWithItsOutput() async throws {
    let server = MCPServerStdio(
      name: "broken", parameters: .init(command: "/bin/sh", arguments: ["-c", "echo 'missing config file' >&2; exit 2"]))
    let error = await #expect(throws: MCPServerError.self) { try await server.connect() }
    #expect(error?.code == .startFailed)
    #expect(error?.message.contains("exited with status 2") == true)
    #expect(error?.serverOutput == "missing config file")
  }

  @Test func afterCleanupTheServerIsClosedUntilConnectedAgain() async throws {
    let server = fixtureServer()
    try await server.connect()
    await server.cleanup()
    #expect(await server.status.description == "closed")
    let error = await #expect(throws: MCPServerError.self) { try await server.callTool("echo", arguments: ["text": "x"]) }
    #expect(error?.code == .closed)
    try await server.connect()
    #expect(text(try await server.callTool("echo", arguments: ["text": "again"])) == "again")
    await server.cleanup()
  }
}
