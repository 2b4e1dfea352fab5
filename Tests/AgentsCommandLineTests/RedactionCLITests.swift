import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

/// API keys never leave the process in anything a person or a file sees: debug logs, `--verbose` output,
/// `agents doctor`, error messages (even when the server echoes the key back), `agents stats`, exported sessions and the run
/// records in the data directory.
@Suite struct RedactionCLITests {
  static let secret = "sk-proj-REDACTME0123456789abcdefXYZ"
  static let environment = ["OPENAI_API_KEY": secret, "AGENTS_LOG_LEVEL": "trace"]

  /// `--provider openai` so that OPENAI_API_KEY is the key in use.
  static func options(_ server: FakeOllamaServer) -> [String] {
    ["--provider", "openai", "--base-url", server.openAIBaseURL, "--agent", "math", "--session", "s1"]
  }

  static func expectNoSecret(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!text.contains(secret), "the API key appears in \(what): \(text)", sourceLocation: sourceLocation)
    #expect(!text.contains("REDACTME"), "part of the API key appears in \(what)", sourceLocation: sourceLocation)
  }

  @Test func keysStayOutOfLogsErrorsStatsExportsAndRunRecords() async throws {
    try await withServer { server, agents in
      // A successful tool run with every log line on: the key is sent, but never printed.
      server.enqueue(.toolCall("calculator", arguments: ["expression": "6 * 7"]), .text("42."))
      let verbose = try await agents.run(
        ["ask", "--verbose"] + Self.options(server) + ["What is 6*7?"], environment: Self.environment)
      #expect(verbose.status == 0, "\(verbose.stderr)")
      #expect(server.lastRequest?.header("authorization") == "Bearer \(Self.secret)")
      #expect(!verbose.stderr.isEmpty, "trace logging printed nothing")
      Self.expectNoSecret(verbose.stdout + verbose.stderr, "trace-level log output")

      // The server rejects the key and echoes it back in its message.
      server.inject(
        .error(status: 401, message: "invalid api key: Bearer \(Self.secret)"), on: "/v1/chat/completions")
      let rejected = try await agents.run(["ask"] + Self.options(server) + ["again"], environment: Self.environment)
      #expect(rejected.status == 1)
      #expect(rejected.stderr.contains("HTTP 401"))
      #expect(rejected.stderr.contains("Check the API key") || rejected.stderr.contains("check the API key"))
      Self.expectNoSecret(rejected.stdout + rejected.stderr, "the 401 error")

      // JSON output of a failed run carries the error too.
      server.inject(
        .error(status: 401, message: "invalid api key: \(Self.secret)"), on: "/v1/chat/completions")
      let json = try await agents.run(["ask", "--json"] + Self.options(server) + ["again"], environment: Self.environment)
      #expect(json.stdout.contains("HTTP 401"))
      Self.expectNoSecret(json.stdout + json.stderr, "ask --json")

      // Nothing listening: the connection error names the URL, not the key.
      try await server.stopListening()
      let refused = try await agents.run(
        ["ask", "--verbose"] + Self.options(server) + ["hello"], environment: Self.environment)
      #expect(refused.status == 69)
      Self.expectNoSecret(refused.stdout + refused.stderr, "the connection error")

      let doctor = try await agents.run(
        ["doctor", "--verbose", "--provider", "openai", "--base-url", server.openAIBaseURL], environment: Self.environment)
      Self.expectNoSecret(doctor.stdout + doctor.stderr, "agents doctor")

      let stats = try await agents.run(["stats"], environment: Self.environment)
      let statsJSON = try await agents.run(["stats", "--json"], environment: Self.environment)
      #expect(statsJSON.status == 0)
      #expect(try JSONValue.parse(statsJSON.lastLine)["totals"]?["runs"] == 4)
      Self.expectNoSecret(stats.stdout + stats.stderr + statsJSON.stdout, "agents stats")

      let database = try AgentsDatabase.open(at: agents.home.path + "/data/" + DataDirectory.databaseFileName)
      let exported = try #require(try await SessionStore(database: database).export("s1"))
      #expect(String(decoding: exported, as: UTF8.self).contains("What is 6*7?"))
      Self.expectNoSecret(String(decoding: exported, as: UTF8.self), "the exported session")

      // Every byte of the data directory: sessions, run records, the cache, the write-ahead log.
      for file in try FileManager.default.contentsOfDirectory(atPath: agents.home.path + "/data") {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: agents.home.path + "/data/" + file))
        #expect(bytes.range(of: Data(Self.secret.utf8)) == nil, "the API key is stored in \(file)")
      }
    }
  }

  @Test func anAPIKeyOptionIsRedactedFromLogs() async throws {
    try await withServer { server, agents in
      let key = "plain-key-without-a-prefix-777"
      server.inject(.error(status: 403, message: "key \(key) is not allowed"), on: "/v1/chat/completions")
      let output = try await agents.run(
        ["ask", "--api-key", key, "--base-url", server.openAIBaseURL, "--agent", "creative", "hi"],
        environment: ["AGENTS_LOG_LEVEL": "debug"])
      #expect(output.status == 1)
      #expect(server.lastRequest?.header("authorization") == "Bearer \(key)")
      #expect(output.stderr.contains("HTTP 403"))
      #expect(!output.stderr.contains(key), "\(output.stderr)")
    }
  }

  /// A password in the server URL is sent (it is the user's to send) but never shown or stored: not in the
  /// output or logs, not in errors, not in `stats`, not in any byte of the data directory, not in the chat banner.
  @Test func credentialsInTheServerURLAreNeverShownOrStored() async throws {
    try await withServer { server, agents in
      let password = "s3cretPassw0rd"
      let url = "http://alice:\(password)@127.0.0.1:\(server.port)/v1"
      server.enqueue(.text("Hello."))
      let asked = try await agents.run(
        ["ask", "--verbose", "--base-url", url, "--session", "s1", "hi"], environment: ["AGENTS_LOG_LEVEL": "trace"])
      #expect(asked.status == 0, "\(asked.stderr)")
      #expect(asked.stderr.contains("<redacted>@127.0.0.1"), "\(asked.stderr)")
      #expect(!(asked.stdout + asked.stderr).contains(password), "\(asked.stderr)")

      let stats = try await agents.run(["stats", "--json"])
      #expect(!stats.stdout.contains(password))
      for file in try FileManager.default.contentsOfDirectory(atPath: agents.home.path + "/data") {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: agents.home.path + "/data/" + file))
        #expect(bytes.range(of: Data(password.utf8)) == nil, "the password is stored in \(file)")
      }
      let database = try AgentsDatabase.open(at: agents.home.path + "/data/" + DataDirectory.databaseFileName)
      let records = try await RunStore(database: database).runs()
      #expect(records.map(\.server) == ["http://<redacted>@127.0.0.1:\(server.port)/v1"])

      try await server.stopListening()
      let refused = try await agents.run(["ask", "--base-url", url, "hello"])
      #expect(refused.status == 69)
      #expect(!(refused.stdout + refused.stderr).contains(password), "\(refused.stderr)")
    }
    var settings = ServerSettings()
    settings.baseURL = "http://alice:pw123456@gpu-box:11434/v1?key=k123456"
    let test = TestServices(steps: [], settings: settings)
    let banner = try ChatManager(services: test.services, input: ScriptedLineInput(lines: []), options: .init(interactive: true))
      .banner()
    #expect(banner.contains("<redacted>@gpu-box:11434/v1?key=<redacted>"), "\(banner)")
    #expect(!banner.contains("pw123456") && !banner.contains("k123456"))
    #expect("\(ServerAddress(settings.baseURL))" == "http://<redacted>@gpu-box:11434/v1?key=<redacted>")
    #expect(String(reflecting: ServerAddress(settings.baseURL)).contains("pw123456") == false)
  }
}
