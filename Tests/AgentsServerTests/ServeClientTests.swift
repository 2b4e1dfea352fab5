import AgentsTesting
import Foundation
import Testing
import TestSupport

/// The Python clients `scripts/serve-test-clients` installs into a cached venv: the official `openai` package and
/// the OpenAI Agents SDK for Python. Left out (saying why) when the venv is missing, unless
/// `AGENTS_SERVE_CLIENTS_REQUIRED=1` (as `.ci/run` sets) makes that a failure.
enum ServeTestClients {
  /// The venv's Python.
  static var python: String {
    let environment = ProcessInfo.processInfo.environment
    let venv = environment["AGENTS_SERVE_VENV"] ?? (NSHomeDirectory() + "/.cache/ollama-agents/venv-serve")
    return venv + "/bin/python"
  }

  /// Whether the clients can run (or must: then a missing venv fails the test).
  static var isAvailable: Bool {
    ProcessInfo.processInfo.environment["AGENTS_SERVE_CLIENTS_REQUIRED"] == "1"
      || FileManager.default.isExecutableFile(atPath: python)
  }

  /// The script beside this file.
  static var script: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients/openai_clients.py").path
  }
}

@Suite(
  "agents serve with OpenAI's own clients", .serialized, .timeLimit(.minutes(5)),
  .enabled(
    if: ServeTestClients.isAvailable,
    "the OpenAI Python clients are not installed: run scripts/serve-test-clients"))
struct ServeClientTests {
  @Test("the official openai package and the Python Agents SDK list, chat, stream and get OpenAI's errors")
  func officialClients() async throws {
    try await withServe(environment: ["AGENTS_SERVE_API_KEYS": "py-key"]) { fake, serve in
      fake.setDefaultReply { .echo(of: $0) }
      let process = Process()
      process.executableURL = URL(fileURLWithPath: ServeTestClients.python)
      process.arguments = [ServeTestClients.script, serve.baseURL + "/v1", "py-key"]
      var environment = ProcessInfo.processInfo.environment
      environment["OPENAI_AGENTS_DISABLE_TRACING"] = "1"
      environment.removeValue(forKey: "OPENAI_API_KEY")
      environment.removeValue(forKey: "OPENAI_BASE_URL")
      process.environment = environment
      let output = Pipe()
      process.standardOutput = output
      process.standardError = output
      try process.run()
      let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      #expect(process.terminationStatus == 0, "\(printed)\n--- server log ---\n\(serve.log)")
      #expect(printed.contains("all checks passed"))
      #expect(printed.contains("ok the Agents SDK runs an agent on agents serve"))
    }
  }
}
