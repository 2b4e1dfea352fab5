import AgentsMCP
import AgentsTesting
import Foundation
import MCP
import Testing
import TestSupport

/// `requireApproval` on the real fixture server: a call it covers pauses the run before anything reaches the
/// server, and runs there only once a person approves it. The fixture's `unlock` changes the server (it adds the
/// tool `secret`), so whether `secret` is listed tells whether the call reached it.
// Serialized: each test starts a Python server (see StdioServerTests).
@Suite(.enabled(if: MCPTestServers.isUsable, MCPTestServers.skipReason), .serialized, .timeLimit(.minutes(2)))
struct MCPApprovalTests {
  func unlockNeedsApproval(name: String = "fixture") -> MCPServerStdio {
    fixtureServer(name: name, configuration: .init(requireApproval: .tools(["unlock"])))
  }

  func isUnlocked(_ server: MCPServerStdio) async throws -> Bool {
    try await server.listTools().contains { $0.name == "secret" }
  }

  @Test func aCallThatNeedsApprovalPausesAndRunsOnTheServerOnceApproved() async throws {
    let fixture = unlockNeedsApproval()
    try await using(fixture) { _ async throws in
      try await withServer { fake async throws in
        fake.enqueue(.toolCall("unlock", arguments: [:], id: "call_u"))
        let agent = Agent(name: "Keeper", model: "llama3.2", toolProviders: [fixture])
        let paused = try await runner(for: fake).run(agent, input: "Unlock it.")
        #expect(paused.interruptions.map(\.toolName) == ["unlock"])
        #expect(paused.interruptions.first?.call.id == "call_u")
        #expect(try await isUnlocked(fixture) == false)

        var state = try #require(paused.state)
        #expect(state.approve(try #require(paused.interruptions.first)))
        fake.enqueue(quotingToolOutput("Done: "))
        let finished = try await runner(for: fake).run(state)
        #expect(finished.finalOutputText == "Done: unlocked")
        #expect(try await isUnlocked(fixture))
      }
    }
  }

  @Test func aRejectedCallNeverReachesTheServerAndTheModelReadsWhy() async throws {
    let fixture = unlockNeedsApproval()
    try await using(fixture) { _ async throws in
      try await withServer { fake async throws in
        fake.enqueue(.toolCall("unlock", arguments: [:]))
        fake.enqueue(.toolCall("echo", arguments: ["text": "still here"]))
        fake.enqueue(quotingToolOutput("Echo: "))
        let agent = Agent(name: "Keeper", model: "llama3.2", toolProviders: [fixture])
        let paused = try await runner(for: fake).run(agent, input: "Unlock it.")
        var state = try #require(paused.state)
        state.reject(try #require(paused.interruptions.first), message: "Not today.")
        let finished = try await runner(for: fake).run(state)
        // echo needs no approval: it ran without a pause.
        #expect(finished.finalOutputText == "Echo: still here")
        let told = fake.requests(to: "/v1/chat/completions")[1].messages.last?["content"]?.stringValue
        #expect(told == "Not today.")
        #expect(try await isUnlocked(fixture) == false)
      }
    }
  }

  @Test func aRenamedToolAsksUnderTheNameTheModelUsed() async throws {
    let first = unlockNeedsApproval(name: "vault")
    let second = fixtureServer(name: "spare")
    try await using(first) { _ async throws in
      try await using(second) { _ async throws in
        try await withServer { fake async throws in
          fake.enqueue(.toolCall("vault_unlock", arguments: [:]))
          fake.enqueue(.toolCall("spare_unlock", arguments: [:]))
          fake.enqueue(.text("Both asked."))
          let agent = Agent(name: "Keeper", model: "llama3.2", toolProviders: [first, second])
          let paused = try await runner(for: fake).run(agent, input: "Unlock it.")
          #expect(paused.interruptions.map(\.toolName) == ["vault_unlock"])
          var state = try #require(paused.state)
          state.reject(try #require(paused.interruptions.first))
          // The same tool of a server without the policy runs at once.
          let finished = try await runner(for: fake).run(state)
          #expect(finished.finalOutputText == "Both asked.")
          #expect(try await isUnlocked(first) == false)
          #expect(try await isUnlocked(second))
        }
      }
    }
  }
}
