import AgentsMCP
import Foundation
import MCP
import MCPFixtureServer

/// The round trip of one MCP tool call as an agent makes it (``MCPFunctionTool/call(arguments:context:)``: argument
/// check, JSON-RPC request, the server's answer, result mapping), over stdio and over Streamable HTTP:
/// - against servers we did not write: the tests' FastMCP fixture server (`echo`; stdio, HTTP with JSON and with SSE
///   replies) and the real `mcp-server-time` (`get_current_time`, stdio);
/// - against ours, `agents mcp serve` (stdio and `--http`), whose `ask_bench` runs the workload's agent without
///   tools against the in-process fake model server (one model call). The same run through the SDK directly is
///   the `agent run` row: the difference is what offering the agent over MCP adds.
/// No target: the numbers are for the MCP docs and for comparing changes.
///
/// Needs `scripts/mcp-test-servers` (the venv with `mcp` and `mcp-server-time`; `--venv DIR --fixture FILE` choose
/// another venv or script) and the `agents` binary beside this benchmark (or `--agents PATH`).
struct MCPCallBenchmark: Benchmark {
  let name = "mcp-call"
  let summary = "round trip of an MCP tool call over stdio and Streamable HTTP: third-party servers and agents mcp serve"

  func run(_ options: BenchmarkOptions) async throws -> Bool {
    let calls = try options.integer("calls", default: 300)
    let fixture = MCPFixtureServer(venv: options.string("venv"), script: options.string("fixture"))
    guard FileManager.default.isExecutableFile(atPath: fixture.python), FileManager.default.fileExists(atPath: fixture.script)
    else {
      print("mcp-call needs \(fixture.python) (run scripts/mcp-test-servers) and \(fixture.script)")
      return false
    }
    var rows: [(String, LatencySamples)] = []
    let echo = Call(tool: "echo", arguments: "{\"text\":\"hi\"}")
    let stdio = MCPServerStdio(name: "fixture", parameters: .init(command: fixture.python, arguments: [fixture.script]))
    rows.append(("fixture stdio", try await measure(stdio, echo, calls: calls)))
    await stdio.cleanup()
    for mode in ["json", "sse"] {
      let (url, process) = try fixture.startHTTP(replies: mode)
      defer { MCPFixtureServer.kill(process) }
      let http = MCPServerStreamableHTTP(name: "fixture", parameters: .init(url: url))
      rows.append(("fixture http " + mode, try await measure(http, echo, calls: calls)))
      await http.cleanup()
    }
    let time = MCPServerStdio(
      name: "time",
      parameters: .init(
        command: URL(fileURLWithPath: fixture.python).deletingLastPathComponent().appendingPathComponent("mcp-server-time")
          .path, arguments: ["--local-timezone", "Etc/UTC"]))
    rows.append(
      ("time stdio", try await measure(time, Call(tool: "get_current_time", arguments: "{\"timezone\":\"Asia/Tokyo\"}"), calls: calls)))
    await time.cleanup()
    rows += try await measureOurs(options, calls: calls)
    print("MCP tool call round trip (\(calls) calls each after 20 warm-up calls)")
    print("server and transport   median ms   p90 ms   p99 ms")
    var json: JSONObject = [:]
    for (label, samples) in rows {
      print(
        label.padding(toLength: 22, withPad: " ", startingAt: 0) + format(samples.median, digits: 2).leftPadded(9)
          + format(samples.percentile(90), digits: 2).leftPadded(9) + format(samples.percentile(99), digits: 2).leftPadded(9))
      json[label.replacing(" ", with: "_")] = .object([
        "median_ms": .double(samples.median), "p90_ms": .double(samples.percentile(90)),
        "p99_ms": .double(samples.percentile(99)),
      ])
    }
    try writeJSON(.object(json), options: options)
    return true
  }

  /// A tool and its arguments (JSON).
  struct Call {
    let tool: String
    let arguments: String
  }

  /// `agents mcp serve` over stdio and HTTP, asking `bench` (one fake model call each), and the same agent run
  /// through the SDK directly.
  private func measureOurs(_ options: BenchmarkOptions, calls: Int) async throws -> [(String, LatencySamples)] {
    let model = try await BenchmarkServer.start(options)
    defer { Task { try? await model.shutdown() } }
    let agents = try BenchmarkAgentsBinary.prepare(options, purpose: "mcp-call")
    let arguments = [
      "mcp", "serve", "--agent", "bench", "--config", agents.config, "--base-url", model.openAIBaseURL, "--provider",
      "openai",
    ]
    let ask = Call(tool: "ask_bench", arguments: "{\"question\":\"\(BenchmarkWorkload.question)\"}")
    var rows: [(String, LatencySamples)] = []
    let stdio = MCPServerStdio(
      name: "agents", parameters: .init(command: agents.binary, arguments: arguments, environment: agents.variables))
    rows.append(("agents mcp serve stdio", try await measure(stdio, ask, calls: calls)))
    await stdio.cleanup()
    let (process, url) = try await agents.startListening(
      arguments + ["--http", "--port", "0"], pattern: #"http://127\.0\.0\.1:\d+/mcp"#)
    defer { process.terminate() }
    let http = MCPServerStreamableHTTP(name: "agents", parameters: .init(url: url))
    rows.append(("agents mcp serve http", try await measure(http, ask, calls: calls)))
    await http.cleanup()
    let runner = BenchmarkWorkload.runner(baseURL: model.openAIBaseURL)
    let agent = BenchmarkWorkload.agent(tools: false)
    var direct = LatencySamples()
    let clock = ContinuousClock()
    for index in 0..<(calls + 20) {
      let duration = try await clock.measure { _ = try await runner.run(agent, input: BenchmarkWorkload.question) }
      if index >= 20 { direct.record(duration) }
    }
    rows.append(("agent run (no MCP)", direct))
    return rows
  }

  /// `calls` timed calls of `call` through the function tool the runner would call.
  private func measure(_ server: any MCPServer, _ call: Call, calls: Int) async throws -> LatencySamples {
    let tools = try await server.listTools(agent: nil, context: nil)
    guard let found = tools.first(where: { $0.name == call.tool }) else {
      throw Problem(description: "\(server.name) has no tool \(call.tool)")
    }
    let tool = MCPFunctionTool(server: server, tool: found)
    let context = ToolContext(
      run: RunContext(), agent: Agent(name: "Benchmark"),
      call: ToolCall(id: "c", name: call.tool, arguments: call.arguments), runner: Runner())
    var samples = LatencySamples()
    let clock = ContinuousClock()
    for index in 0..<(calls + 20) {
      let duration = try await clock.measure {
        let output = try await tool.call(arguments: call.arguments, context: context)
        if index == 0, "\(output)".contains("error") { throw Problem(description: "\(call.tool) failed: \(output)") }
      }
      if index >= 20 { samples.record(duration) }
    }
    return samples
  }

  struct Problem: Error, CustomStringConvertible { let description: String }
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String {
    String(repeating: " ", count: max(0, width - count)) + self
  }
}
