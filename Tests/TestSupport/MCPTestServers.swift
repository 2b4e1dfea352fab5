import Foundation
import MCPFixtureServer
import Testing

/// The real MCP servers and clients the tests use, installed from PyPI by `scripts/mcp-test-servers` into a cached
/// venv (never downloaded while tests run).
///
/// Tests that need them are `.enabled(if: MCPTestServers.isUsable)`: they are skipped, with the reason, when the
/// install step was not run on this machine, unless `AGENTS_MCP_REQUIRED=1` (as `.ci/run` sets) makes them run and
/// fail on the missing venv instead.
package enum MCPTestServers {
  /// The fixture server in the default venv (``MCPFixtureServer``, shared with the `mcp-call` benchmark).
  package static var fixture: MCPFixtureServer { MCPFixtureServer() }

  /// The venv: `AGENTS_MCP_VENV`, else `~/.cache/ollama-agents/venv-mcp`.
  package static var venv: String { MCPFixtureServer.defaultVenv }

  /// Whether `scripts/mcp-test-servers` has installed the venv.
  package static var isInstalled: Bool {
    FileManager.default.isExecutableFile(atPath: program("mcp-server-time"))
      && FileManager.default.isExecutableFile(atPath: program("mcp-server-git"))
  }

  /// Whether missing servers must fail the tests instead of skipping them (`AGENTS_MCP_REQUIRED=1`).
  package static var isRequired: Bool { ProcessInfo.processInfo.environment["AGENTS_MCP_REQUIRED"] == "1" }

  /// Whether tests that need the servers run: they are installed, or they are required.
  package static var isUsable: Bool { isInstalled || isRequired }

  /// Why such tests are skipped.
  package static let skipReason: Comment =
    "the MCP test servers are not installed; run scripts/mcp-test-servers once (CI does)"

  /// The venv's Python.
  package static var python: String { fixture.python }

  /// The path of a program in the venv's `bin`, e.g. `mcp-server-time`.
  package static func program(_ name: String) -> String { fixture.program(name) }

  /// The fixture server's script (see ``MCPFixtureServer``).
  package static var fixtureScript: String { MCPFixtureServer.bundledScript }

  /// The client script that drives `agents mcp serve` (`MCPServers/serve_client.py`).
  package static var serveClientScript: String { MCPFixtureServer.serveClientScript }

  /// Starts the fixture server over Streamable HTTP (`json` or `sse` replies) and returns its endpoint URL and
  /// the process, which the caller ends with ``kill(_:)``.
  package static func startHTTPFixture(replies mode: String) throws -> (url: String, process: Process) {
    try fixture.startHTTP(replies: mode)
  }

  /// Kills `process` and waits until it has exited (see ``MCPFixtureServer/kill(_:)``).
  package static func kill(_ process: Process) { MCPFixtureServer.kill(process) }
}
