import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The real MCP servers and clients the tests use, installed from PyPI by `scripts/mcp-test-servers` into a cached
/// venv (never downloaded while tests run).
///
/// Tests that need them are `.enabled(if: MCPTestServers.isUsable)`: they are skipped, with the reason, when the
/// install step was not run on this machine, unless `AGENTS_MCP_REQUIRED=1` (as `.ci/run` sets) makes them run and
/// fail on the missing venv instead.
package enum MCPTestServers {
  /// The venv: `AGENTS_MCP_VENV`, else `~/.cache/ollama-agents/venv-mcp`.
  package static var venv: String {
    if let path = ProcessInfo.processInfo.environment["AGENTS_MCP_VENV"], !path.isEmpty { return path }
    return NSHomeDirectory() + "/.cache/ollama-agents/venv-mcp"
  }

  /// Whether `scripts/mcp-test-servers` has installed the venv.
  package static var isInstalled: Bool {
    FileManager.default.isExecutableFile(atPath: venv + "/bin/mcp-server-time")
      && FileManager.default.isExecutableFile(atPath: venv + "/bin/mcp-server-git")
  }

  /// Whether missing servers must fail the tests instead of skipping them (`AGENTS_MCP_REQUIRED=1`).
  package static var isRequired: Bool { ProcessInfo.processInfo.environment["AGENTS_MCP_REQUIRED"] == "1" }

  /// Whether tests that need the servers run: they are installed, or they are required.
  package static var isUsable: Bool { isInstalled || isRequired }

  /// Why such tests are skipped.
  package static let skipReason: Comment =
    "the MCP test servers are not installed; run scripts/mcp-test-servers once (CI does)"

  /// The venv's Python.
  package static var python: String { venv + "/bin/python" }

  /// The path of a program in the venv's `bin`, e.g. `mcp-server-time`.
  package static func program(_ name: String) -> String { venv + "/bin/" + name }

  /// The fixture server (`MCPServers/fixture_server.py`: echo, add, picture, document, fail, crash, hang, slow,
  /// whoami, unlock).
  package static var fixtureScript: String {
    Bundle.module.url(forResource: "fixture_server", withExtension: "py", subdirectory: "MCPServers")!.path
  }

  /// The client script that drives `agents mcp serve` (`MCPServers/serve_client.py`).
  package static var serveClientScript: String {
    Bundle.module.url(forResource: "serve_client", withExtension: "py", subdirectory: "MCPServers")!.path
  }

  /// Starts the fixture server over Streamable HTTP (`json` or `sse` replies) and returns its endpoint URL and
  /// the process, which the caller ends with ``kill(_:)``.
  package static func startHTTPFixture(replies mode: String) throws -> (url: String, process: Process) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [fixtureScript, "http", mode]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    var line: [UInt8] = []
    while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != 0x0A { line.append(byte) }
    let text = String(decoding: line, as: UTF8.self)
    guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
      kill(process)
      throw FixtureError(message: "the HTTP fixture server did not report its port (got '\(text)')")
    }
    return ("http://127.0.0.1:\(port)/mcp", process)
  }

  /// Kills `process` (SIGKILL: uvicorn's graceful shutdown would wait for kept-alive connections) and waits until it
  /// has exited.
  package static func kill(_ process: Process) {
    guard process.isRunning else { return }
    #if canImport(Glibc)
    _ = Glibc.kill(process.processIdentifier, SIGKILL)
    #else
    _ = Darwin.kill(process.processIdentifier, SIGKILL)
    #endif
    process.waitUntilExit()
  }

  /// The fixture server failed to start.
  package struct FixtureError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }
  }
}
