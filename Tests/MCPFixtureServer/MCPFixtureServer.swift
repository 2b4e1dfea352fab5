import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The tests' FastMCP fixture server (`MCPServers/fixture_server.py`: echo, add, picture, document, fail, crash,
/// hang, slow, whoami, unlock) and the venv `scripts/mcp-test-servers` installs it into, started the same way by the
/// tests (through TestSupport's `MCPTestServers`) and by the `mcp-call` benchmark.
package struct MCPFixtureServer: Sendable {
  /// The venv: `AGENTS_MCP_VENV`, else `~/.cache/ollama-agents/venv-mcp`.
  package static var defaultVenv: String {
    if let path = ProcessInfo.processInfo.environment["AGENTS_MCP_VENV"], !path.isEmpty { return path }
    return NSHomeDirectory() + "/.cache/ollama-agents/venv-mcp"
  }

  /// The fixture server's script, as bundled with this target.
  package static var bundledScript: String { resource("fixture_server") }

  /// The client script that drives `agents mcp serve` (`MCPServers/serve_client.py`).
  package static var serveClientScript: String { resource("serve_client") }

  /// The venv the server runs in.
  package var venv: String
  /// The fixture server's script.
  package var script: String

  /// A fixture server run by `venv`'s Python (the default venv unless given).
  package init(venv: String? = nil, script: String? = nil) {
    self.venv = venv ?? Self.defaultVenv
    self.script = script ?? Self.bundledScript
  }

  /// The venv's Python.
  package var python: String { program("python") }

  /// The path of a program in the venv's `bin`, e.g. `mcp-server-time`.
  package func program(_ name: String) -> String { venv + "/bin/" + name }

  /// Starts the server over Streamable HTTP (`json` or `sse` replies) on a free loopback port and returns its
  /// endpoint URL and the process, which the caller ends with ``kill(_:)``.
  package func startHTTP(replies mode: String) throws -> (url: String, process: Process) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script, "http", mode]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    var line: [UInt8] = []
    while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != 0x0A { line.append(byte) }
    let text = String(decoding: line, as: UTF8.self)
    guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
      Self.kill(process)
      throw StartError(message: "the HTTP fixture server did not report its port (got '\(text)')")
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
  package struct StartError: Error, CustomStringConvertible {
    /// What went wrong.
    package var message: String
    /// The message.
    package var description: String { message }
  }

  private static func resource(_ name: String) -> String {
    Bundle.module.url(forResource: name, withExtension: "py", subdirectory: "MCPServers")!.path
  }
}
