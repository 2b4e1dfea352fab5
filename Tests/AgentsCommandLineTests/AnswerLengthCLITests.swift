import AgentsTesting
import Foundation
import Testing
import TestSupport

/// The `agents` binary on long answers and full contexts, against the fake server: a cut answer is marked (on
/// stderr, in `--json`, in `stats`), a looping answer is stopped early, and requests fit the server's real
/// context — no HTTP 400 reaches the user.
@Suite(.serialized) struct AnswerLengthCLITests {
  static let poemStart = "In the embrace of autumn's embrace,\nAutumn's gentle whispers,\n"
  static let line = "Silent whispers of leaves,\n"

  @Test func aCutAnswerIsMarkedInAskJSONAndStats() async throws {
    try await withServer { server, agents in
      let cut = FakeOllamaServer.Reply(
        content: "Once upon a time", usage: .init(promptTokens: 40, completionTokens: 1024), finishReason: "length",
        chunkSize: 4)
      server.enqueue(cut, cut)
      let base = ["--base-url", server.openAIBaseURL, "--agent", "creative"]
      let plain = try await agents.run(["ask"] + base + ["Write a long story"])
      #expect(plain.status == 0)
      #expect(plain.stdout == "Once upon a time\n")
      #expect(
        plain.stderr == "agents: cut off: the answer reached its 1024-token limit (max_tokens); ask for a shorter "
          + "answer, or raise the agent's max_tokens in the configuration file\n")
      #expect(server.lastRequest?.json?["max_tokens"] == 1024, "the creative writer's default answer limit")

      let json = try JSONValue.parse(try await agents.run(["ask", "--json"] + base + ["Write a long story"]).lastLine)
      #expect(json["finish_reason"] == "length")
      #expect(json["truncated"] == true)
      #expect(json["truncation"] == "the answer reached its 1024-token limit (max_tokens)")
      #expect(json["success"] == true)

      let stats = try JSONValue.parse(try await agents.run(["stats", "--json"]).lastLine)
      #expect(stats["totals"]?["truncated"] == 2)
      #expect(stats["agents"]?.arrayValue?.first?["truncated"] == 2)
      let table = try await agents.run(["stats"])
      #expect(table.stdout.contains("CUT"))
      #expect(table.stdout.contains("2 runs, 0 failed, 2 cut off"))
    }
  }

  @Test func afterAHandoffTheSpecialistAnswersWithinItsOwnLimit() async throws {
    try await withServer { server, agents in
      server.enqueue(.toolCall("transfer_to_creative_writer"), .text("Leaves fall,\nslowly."))
      let output = try await agents.run(
        ["ask", "--base-url", server.openAIBaseURL, "--agent", "triage", "Write a short poem about autumn."])
      #expect(output.status == 0, "\(output.stderr)")
      let limits = server.requests(to: "/v1/chat/completions").map { $0.json?["max_tokens"] }
      #expect(limits == [256, 1024], "triage's limit for routing, the creative writer's own for the poem")
    }
  }

  @Test func aCompleteAnswerIsNotMarked() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("Done."))
      let output = try await agents.run(["ask", "--json", "--base-url", server.openAIBaseURL, "Hi"])
      let json = try JSONValue.parse(output.lastLine)
      #expect(json["finish_reason"] == "stop")
      #expect(json["truncated"] == false)
      #expect(output.stderr == "")
    }
  }

  @Test(arguments: [true, false])
  func aLoopingAnswerIsStoppedEarlyAndSaysWhy(streamed: Bool) async throws {
    try await withServer { server, agents in
      server.enqueue(
        .text(Self.poemStart + String(repeating: Self.line, count: 400), chunkSize: streamed ? 9 : nil))
      // Streamed, the server stalls after 80 events and never ends: the answer only comes back because the CLI stops
      // reading once the loop is certain. Not streamed, the whole answer arrives and is cut after the fact.
      if streamed { server.inject(.stallAfterEvents(80, duration: nil), on: "/v1/chat/completions") }
      let output = try await agents.run(
        ["ask", "--base-url", server.openAIBaseURL, "--agent", "creative", "--json"]
          + (streamed ? [] : ["--no-stream"]) + ["Write a short poem about autumn."])
      #expect(output.status == 0)
      let json = try JSONValue.parse(output.lastLine)
      #expect(json["final_output"] == .string(Self.poemStart + "Silent whispers of leaves,"))
      #expect(json["finish_reason"] == "repetition")
      #expect(json["truncated"] == true)
      #expect(json["truncation"]?.stringValue?.contains(#"repeated "Silent whispers of leaves," 8 times"#) == true)
    }
  }

  @Test func theLoopMarkerOnTheTerminalNamesTheLoop() async throws {
    try await withServer { server, agents in
      server.enqueue(.text(Self.poemStart + String(repeating: Self.line, count: 400), chunkSize: 9))
      server.inject(.stallAfterEvents(80, duration: nil), on: "/v1/chat/completions")
      let output = try await agents.run(
        ["ask", "--base-url", server.openAIBaseURL, "--agent", "creative", "Write a short poem about autumn."])
      #expect(output.status == 0)
      #expect(output.stdout.hasPrefix(Self.poemStart + Self.line + Self.line))
      #expect(
        output.stderr == #"agents: cut off: the answer repeated "Silent whispers of leaves," 8 times, so it was "#
          + "stopped after the first; the model was looping; ask again or rephrase\n")
    }
  }

  @Test func chatOnALlamaServerFitsItsContextWithoutA400() async throws {
    try await withServer { server, agents in
      // llama-server reports its per-slot context in /v1/models and counts tokens denser than the estimate.
      server.contextLimit = .init(tokens: 2048, bytesPerToken: 2, dialect: .llamaServer, servesTokenizer: true)
      let lines = (1...6).map { "Turn \($0): " + String(repeating: "a long message about the sea. ", count: 20) }
      let output = try await agents.run(
        ["chat", "--provider", "openai", "--base-url", server.openAIBaseURL, "--model", "llama3.2:latest",
          "--agent", "creative"],
        stdin: lines.joined(separator: "\n") + "\n")
      #expect(output.status == 0, "\(output.stderr)")
      #expect(!output.stderr.contains("error"))
      #expect(output.stderr.contains("Note: dropped the"))
      #expect(server.requests(to: "/v1/chat/completions").count == 6, "no request was rejected and retried")
      #expect(!server.requests(to: "/tokenize").isEmpty)
    }
  }

  @Test func anOverflowTheCLICouldNotForeseeIsRetriedOnceWithANote() async throws {
    try await withServer { server, agents in
      // Ollama says 4096 (/api/ps), but its runner rejects anything over 1500 tokens.
      server.contextLimit = .init(tokens: 1500, bytesPerToken: 2, dialect: .ollama)
      let lines = (1...5).map { "Turn \($0): " + String(repeating: "a long message about the sea. ", count: 20) }
      let output = try await agents.run(
        ["chat", "--base-url", server.openAIBaseURL, "--agent", "creative"], stdin: lines.joined(separator: "\n") + "\n")
      #expect(output.status == 0, "\(output.stderr)")
      #expect(!output.stderr.contains("error"))
      #expect(output.stderr.contains("does not fit its 1500-token context; dropped the"))
      let chats = server.requests(to: "/v1/chat/completions").count
      #expect(chats == 6, "five turns and one retry: after the first overflow the CLI knows the real context")
    }
  }
}
