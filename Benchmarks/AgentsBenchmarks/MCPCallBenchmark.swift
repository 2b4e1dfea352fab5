import AgentsMCP
import Foundation
import MCP
import MCPFixtureServer

/// The round trip of one MCP tool call as an agent makes it (``MCPFunctionTool/call(arguments:context:)``: argument
/// check, JSON-RPC request, the server's answer, result mapping), over stdio and over Streamable HTTP with JSON and
/// with SSE replies, against the tests' FastMCP fixture server (`echo`). No target: the number is for the closing
/// note and for comparing changes; it is mostly the Python server's own time.
///
/// Needs `scripts/mcp-test-servers` (the venv with `mcp`); the server is started as the tests start it
/// (``MCPFixtureServer``); `--venv DIR --fixture FILE` choose another venv or script.
struct MCPCallBenchmark: Benchmark {
  let name = "mcp-call"
  let summary = "round trip of an MCP tool call: stdio and Streamable HTTP (JSON, SSE); no target"

  func run(_ options: BenchmarkOptions) async throws -> Bool {
    let calls = try options.integer("calls", default: 300)
    let fixture = MCPFixtureServer(venv: options.string("venv"), script: options.string("fixture"))
    guard FileManager.default.isExecutableFile(atPath: fixture.python), FileManager.default.fileExists(atPath: fixture.script)
    else {
      print("mcp-call needs \(fixture.python) (run scripts/mcp-test-servers) and \(fixture.script)")
      return false
    }
    var rows: [(String, LatencySamples)] = []
    let stdio = MCPServerStdio(name: "fixture", parameters: .init(command: fixture.python, arguments: [fixture.script]))
    rows.append(("stdio", try await measure(stdio, calls: calls)))
    await stdio.cleanup()
    for mode in ["json", "sse"] {
      let (url, process) = try fixture.startHTTP(replies: mode)
      defer { MCPFixtureServer.kill(process) }
      let http = MCPServerStreamableHTTP(name: "fixture", parameters: .init(url: url))
      rows.append(("http " + mode, try await measure(http, calls: calls)))
      await http.cleanup()
    }
    print("MCP tool call round trip (echo on the FastMCP fixture, \(calls) calls each after 20 warm-up calls)")
    print("transport   median ms   p90 ms   p99 ms")
    var json: JSONObject = [:]
    for (label, samples) in rows {
      print(
        label.padding(toLength: 12, withPad: " ", startingAt: 0) + format(samples.median, digits: 2).leftPadded(9)
          + format(samples.percentile(90), digits: 2).leftPadded(9) + format(samples.percentile(99), digits: 2).leftPadded(9))
      json[label.replacing(" ", with: "_")] = .object([
        "median_ms": .double(samples.median), "p90_ms": .double(samples.percentile(90)),
        "p99_ms": .double(samples.percentile(99)),
      ])
    }
    try writeJSON(.object(json), options: options)
    return true
  }

  /// `calls` timed calls of `echo` through the function tool the runner would call.
  private func measure(_ server: any MCPServer, calls: Int) async throws -> LatencySamples {
    let tools = try await server.listTools(agent: nil, context: nil)
    guard let echo = tools.first(where: { $0.name == "echo" }) else { throw Problem(description: "no echo tool") }
    let tool = MCPFunctionTool(server: server, tool: echo)
    let context = ToolContext(
      run: RunContext(), agent: Agent(name: "Benchmark"),
      call: ToolCall(id: "c", name: "echo", arguments: "{\"text\":\"hi\"}"), runner: Runner())
    var samples = LatencySamples()
    let clock = ContinuousClock()
    for index in 0..<(calls + 20) {
      let duration = try await clock.measure { _ = try await tool.call(arguments: "{\"text\":\"hi\"}", context: context) }
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
