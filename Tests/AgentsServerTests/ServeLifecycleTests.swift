import AgentsTesting
import Foundation
import NIOHTTP1
import Testing
import TestSupport
import WireCore

/// Starting and stopping `agents serve`: refusing unsafe setups, and SIGTERM's graceful shutdown.
@Suite("agents serve start and stop", .serialized, .timeLimit(.minutes(5)))
struct ServeLifecycleTests {
  @Test("it refuses a non-loopback address without API keys, saying what to do (exit 65)")
  func refusesOpenAddressWithoutKeys() async throws {
    let agents = try AgentsBinary()
    let output = try await agents.run(["serve", "--host", "0.0.0.0", "--port", "0"])
    #expect(output.status == 65)
    #expect(output.stderr.contains("refusing to listen on 0.0.0.0 without API keys"))
    #expect(output.stderr.contains("AGENTS_SERVE_API_KEYS"))
  }

  @Test("an API keys file readable by every user is refused; an empty one too")
  func keysFileChecks() async throws {
    let agents = try AgentsBinary()
    let file = agents.home.file("keys")
    try "# comment\nsecret-one\n".write(toFile: file, atomically: true, encoding: .utf8)
    chmod(file, 0o644)
    let open = try await agents.run(["serve", "--port", "0", "--api-keys-file", file])
    #expect(open.status == 65)
    #expect(open.stderr.contains("chmod 600"))
    #expect(!open.stderr.contains("secret-one"))
    try "# only a comment\n".write(toFile: file, atomically: true, encoding: .utf8)
    chmod(file, 0o600)
    let empty = try await agents.run(["serve", "--port", "0", "--api-keys-file", file])
    #expect(empty.status == 65)
    #expect(empty.stderr.contains("holds no key"))
  }

  @Test("a bad --store URL is a usage error naming the problem, with the password hidden")
  func badStoreURL() async throws {
    let agents = try AgentsBinary()
    let output = try await agents.run(["serve", "--port", "0", "--store", "postgres://u:hunter2@db/x?colour=blue"])
    #expect(output.status == 64)
    #expect(output.stderr.contains("unknown parameter 'colour'"))
    #expect(!output.stderr.contains("hunter2"))
  }

  @Test("SIGTERM: a running request finishes, /health says shutting down meanwhile, and the process exits 0")
  func gracefulShutdown() async throws {
    try await withServer { fake in
      let serve = try await ServeProcess.start(modelServer: fake.openAIBaseURL, ["--grace-period", "20"])
      fake.inject(.delay(.seconds(2)), on: "/v1/chat/completions", times: 1)
      fake.enqueue(.text("finished in time"))
      async let answer = http(.POST, serve.baseURL + "/v1/chat/completions", json: chat("creative", [("user", "hi")]))
      #expect(await eventually(within: .seconds(20)) { fake.requests(to: "/v1/chat/completions").count == 1 })
      kill(serve.process.processIdentifier, SIGTERM)
      let response = try await answer
      #expect(response.status == 200)
      #expect(response.json["choices"]?[0]?["message"]?["content"] == "finished in time")
      #expect(await serve.waitForExit() == 0)
      #expect(serve.log.contains("agents serve: stopped"))
      await #expect(throws: (any Error).self) {
        _ = try await http(.GET, serve.baseURL + "/health", timeout: .seconds(5))
      }
    }
  }

  @Test("SIGTERM: a run longer than the grace period is cancelled and the process still exits 0")
  func graceRunsOut() async throws {
    try await withServer { fake in
      let serve = try await ServeProcess.start(modelServer: fake.openAIBaseURL, ["--grace-period", "1"])
      fake.inject(.stallBeforeHeaders(nil), on: "/v1/chat/completions", times: 1)
      async let answer = http(.POST, serve.baseURL + "/v1/chat/completions", json: chat("creative", [("user", "hi")]))
      #expect(await eventually(within: .seconds(20)) { fake.requests(to: "/v1/chat/completions").count == 1 })
      let start = ContinuousClock.now
      kill(serve.process.processIdentifier, SIGTERM)
      #expect(await serve.waitForExit() == 0)
      #expect(ContinuousClock.now - start < .seconds(15))
      if let response = try? await answer { #expect(response.status != 200) }
    }
  }
}
