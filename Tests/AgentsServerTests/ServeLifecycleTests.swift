import AgentsTesting
import AsyncHTTPClient
import Foundation
import NIOCore
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

  @Test("SIGTERM during a streamed answer: it streams to the end and [DONE]; new requests get 503 meanwhile; exit 0")
  func streamedAnswerDrains() async throws {
    try await withServer { fake in
      let serve = try await ServeProcess.start(modelServer: fake.openAIBaseURL, ["--grace-period", "120"])
      let gate = FakeOllamaServer.Gate()
      fake.inject(.holdAfterEvents(3, until: gate), on: "/v1/chat/completions", times: 1)
      fake.enqueue(.text("The stream goes on after SIGTERM and ends cleanly.", chunkSize: 4))
      var request = HTTPClientRequest(url: serve.baseURL + "/v1/chat/completions")
      request.method = .POST
      request.body = .bytes(ByteBuffer(bytes: chat("creative", [("user", "hi")], stream: true).jsonBytes))
      let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
      #expect(response.status == .ok)
      var body = response.body.makeAsyncIterator()
      var received = ""
      while !received.contains(#""content":"#), let part = try await body.next() { received += String(buffer: part) }

      kill(serve.process.processIdentifier, SIGTERM)
      var health = 0
      for _ in 0..<600 where health != 503 {  // until the signal is handled (at most ~30 s)
        health = (try? await http(.GET, serve.baseURL + "/health", timeout: .seconds(5)))?.status ?? 0
        if health != 503 { try await Task.sleep(for: .milliseconds(50)) }
      }
      #expect(health == 503)
      let refused = try await http(
        .POST, serve.baseURL + "/v1/chat/completions", json: chat("creative", [("user", "hi")]))
      #expect(refused.status == 503)
      #expect(refused.json["error"]?["message"]?.stringValue?.isEmpty == false)
      #expect(!gate.isOpen && serve.process.isRunning)

      gate.open()
      while let part = try await body.next() { received += String(buffer: part) }
      let events = HTTPAnswer(status: 200, headers: [:], body: received).events
      #expect(events.last == "[DONE]")
      let text = events.compactMap { try? JSONValue.parse(Array($0.utf8)) }
        .compactMap { $0["choices"]?[0]?["delta"]?["content"]?.stringValue }.joined()
      #expect(text == "The stream goes on after SIGTERM and ends cleanly.")
      #expect(await serve.waitForExit() == 0)
      #expect(serve.log.contains("agents serve: stopped"))
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
