import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

/// The opt-in response cache through the `agents` binary: replay when the server is down, the marker, clearing.
@Suite struct CacheCLITests {
  @Test func aCachedAnswerIsReplayedWhenTheServerIsDownMarkedAndClearable() async throws {
    let agents = try AgentsBinary()
    let server = try await FakeOllamaServer.start()
    let ask = ["ask", "--agent", "creative", "Capital of France?"]
    server.enqueue(.text("Paris is the capital."))
    let first = try await agents.run(ask + ["--base-url", server.openAIBaseURL, "--cache"])
    #expect(first.status == 0)
    #expect(first.stdout == "Paris is the capital.\n")
    #expect(first.stderr == "")
    try await server.shutdown()
    // The server is down: nothing listens on port 9 (the cache key does not hold the URL). The stopped server's
    // own port could be taken by another test's server meanwhile.
    let question = ask + ["--base-url", "http://127.0.0.1:9/v1"]

    let replayed = try await agents.run(question + ["--cache"])
    #expect(replayed.status == 0, "\(replayed.stderr)")
    #expect(replayed.stdout == "Paris is the capital.\n")
    #expect(replayed.stderr.contains("agents: cached: the model server is unreachable"))

    let json = try await agents.run(question + ["--json"], environment: ["AGENTS_CACHE": "1"])
    let result = try JSONValue.parse(json.lastLine)
    #expect(result["cached"] == true)
    #expect(result["final_output"] == "Paris is the capital.")

    // Without the cache, the same question reports the unreachable server.
    let uncached = try await agents.run(question)
    #expect(uncached.status == 69)

    let shown = try JSONValue.parse(try await agents.run(["cache", "--json"]).lastLine)
    #expect(shown["entries"] == 1)
    #expect(shown["enabled"] == false)
    let cleared = try await agents.run(["cache", "clear"])
    #expect(cleared.status == 0)
    #expect(cleared.stdout == "Removed 1 cached answer.\n")
    let afterClearing = try await agents.run(question + ["--cache"])
    #expect(afterClearing.status == 69)
    #expect(afterClearing.stdout == "")
  }

  @Test func debugLogsShowConfigurationRetriesAndCacheUseWithoutTheKey() async throws {
    try await withServer { server, agents in
      server.inject(.error(status: 503, message: "busy"), on: "/v1/chat/completions")
      server.enqueue(.text("Hi."))
      let secret = "sk-debug-secret-0123456789"
      let output = try await agents.run(
        ["ask", "--base-url", server.openAIBaseURL, "--api-key", secret, "--cache", "--agent", "creative", "hello"],
        environment: ["AGENTS_LOG_LEVEL": "debug"])
      #expect(output.status == 0)
      #expect(output.stdout == "Hi.\n")
      #expect(output.stderr.contains("configuration resolved"))
      #expect(output.stderr.contains("response_cache_source=option"))
      #expect(output.stderr.contains("Retrying model server request"))
      #expect(output.stderr.contains("stored response in cache"))
      #expect(output.stderr.contains("run finished"))
      #expect(!output.stderr.contains(secret))
    }
  }
}
