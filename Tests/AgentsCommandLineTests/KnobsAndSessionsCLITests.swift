import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

/// The usual knobs (`--system`, `--temperature`, `-o`, piped text with a prompt) and the commands around a chat
/// (`agents sessions …`, `agents models rm`), through the `agents` binary against the fake server.
@Suite(.serialized) struct KnobsAndSessionsCLITests {
  static func lastBody(_ server: FakeOllamaServer) -> JSONValue? {
    server.requests(to: "/v1/chat/completions").last?.json
  }

  @Test func systemTemperatureAndAnyModelSettingReachTheRequest() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("Bonjour."))
      let output = try await agents.run([
        "ask", "--base-url", server.openAIBaseURL, "--agent", "creative", "--system", "Answer in French.",
        "--temperature", "0.2", "-o", "top_k=40", "-o", "seed=7", "-o", "stop=[\"END\"]", "hello",
      ])
      #expect(output.status == 0, "\(output.stderr)")
      let body = try #require(Self.lastBody(server))
      let system = body["messages"]?.arrayValue?.first { $0["role"] == "system" }?["content"]?.stringValue
      #expect(system?.contains("Answer in French.") == true, "\(system ?? "")")
      #expect(system?.contains("creative writer") == false, "the agent's own instructions are replaced")
      #expect(body["temperature"]?.doubleValue == 0.2)
      #expect(body["top_k"] == 40)
      #expect(body["seed"] == 7)
      #expect(body["stop"] == ["END"])
    }
  }

  @Test func badSettingsAreRefusedBeforeAnyRequest() async throws {
    try await withServer { server, agents in
      let cases: [([String], String)] = [
        (["--temperature", "5"], "invalid value '5' for --temperature; it must be a number between 0 and 2"),
        (["-o", "top_k"], "-o takes key=value, not 'top_k'"),
        (["-o", "top_p=high"], "-o top_p must be a number from 0 to 1"),
        (["-o", "model=x"], "-o model cannot be set"),
        (["--system", " "], "for --system; it is empty"),
      ]
      for (arguments, message) in cases {
        let output = try await agents.run(["ask", "--base-url", server.openAIBaseURL] + arguments + ["hi"])
        #expect(output.status == 64, "\(arguments): \(output.stderr)")
        #expect(output.stderr.contains(message), "\(arguments): \(output.stderr)")
      }
      #expect(server.requests(to: "/v1/chat/completions").isEmpty)
    }
  }

  @Test func pipedTextIsCombinedWithThePrompt() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("It failed at line 2."))
      let output = try await agents.run(
        ["ask", "--base-url", server.openAIBaseURL, "--agent", "creative", "summarise", "this"],
        stdin: "line 1 ok\nline 2 error\n")
      #expect(output.status == 0, "\(output.stderr)")
      let user = ChatCommandsCLITests.userMessages(server).last
      #expect(user == "line 1 ok\nline 2 error\n\nsummarise this")
    }
  }

  @Test func sessionsCanBeListedShownExportedAndDeleted() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("Nice to meet you, Bo."))
      let base = ["--base-url", server.openAIBaseURL]
      let asked = try await agents.run(["ask", "--agent", "creative", "--session", "work", "I am Bo"] + base)
      #expect(asked.status == 0, "\(asked.stderr)")

      let list = try await agents.run(["sessions"] + base)
      #expect(list.status == 0, "\(list.stderr)")
      #expect(list.stdout.split(separator: "\n").first?.hasPrefix("SESSION") == true, "\(list.stdout)")
      #expect(list.stdout.contains("work"))
      let json = try await agents.run(["sessions", "list", "--json"] + base)
      let entries = try #require(try JSONValue.parse(json.stdout).arrayValue)
      #expect(entries.first?["session_id"] == "work")
      #expect(entries.first?["items"] == 2)

      let shown = try await agents.run(["sessions", "show", "work"] + base)
      #expect(shown.stdout.contains("you: I am Bo"), "\(shown.stdout)")
      #expect(
        shown.stdout.contains("Creative Writer · llama3.2"), "the answer shows its agent and model: \(shown.stdout)")

      let markdown = try await agents.run(["sessions", "export", "work"] + base)
      #expect(markdown.stdout.hasPrefix("# Conversation work\n"))
      #expect(markdown.stdout.contains("Nice to meet you, Bo."))
      let exported = try await agents.run(["sessions", "export", "--format", "json", "work"] + base)
      #expect(try JSONValue.parse(exported.stdout)["format"] == "ollama-agents.session")

      let typo = try await agents.run(["sessions", "show", "wrok"] + base)
      #expect(typo.status == 64)
      #expect(typo.stderr.contains("there is no saved session 'wrok'; did you mean work?"), "\(typo.stderr)")

      let partly = try await agents.run(["sessions", "rm", "work", "missing"] + base)
      #expect(partly.status == 64, "nothing is deleted when one id is wrong")
      let removed = try await agents.run(["sessions", "rm", "work"] + base)
      #expect(removed.stdout == "Deleted session work (2 items).\n", "\(removed.stderr)")
      let empty = try await agents.run(["sessions"] + base)
      #expect(empty.stdout.contains("No saved sessions."))
    }
  }

  @Test func modelsShowAndPsPrintJSON() async throws {
    try await withServer { server, agents in
      let base = ["--base-url", server.openAIBaseURL]
      let shown = try await agents.run(["models", "show", "llama3.2", "--json"] + base)
      #expect(shown.status == 0, "\(shown.stderr)")
      let model = try JSONValue.parse(shown.stdout)
      #expect(model["context_length"] == 131072)
      #expect(model["capabilities"]?.arrayValue?.contains("tools") == true)
      server.enqueue(.text("hi"))
      _ = try await agents.run(["ask", "--agent", "creative", "hello"] + base)
      let running = try await agents.run(["models", "ps", "--json"] + base)
      #expect(running.status == 0, "\(running.stderr)")
      #expect(
        try JSONValue.parse(running.stdout).arrayValue?.first?["name"]?.stringValue?.hasPrefix("llama3.2") == true)
    }
  }

  @Test func modelsCanBeDeleted() async throws {
    try await withServer { server, agents in
      let base = ["--base-url", server.openAIBaseURL]
      let missing = try await agents.run(["models", "rm", "gemma:2b", "nope"] + base)
      #expect(missing.status == 66, "\(missing.stderr)")
      #expect(missing.stderr.contains("nothing was deleted"))
      #expect(server.models.contains { $0.name == "gemma:2b" })
      let removed = try await agents.run(["models", "rm", "gemma:2b"] + base)
      #expect(removed.status == 0, "\(removed.stderr)")
      #expect(removed.stdout == "Deleted gemma:2b.\n")
      #expect(!server.models.contains { $0.name == "gemma:2b" })
    }
  }

  @Test func askJSONAlwaysPrintsOneObjectWithTheAgentIdAndSession() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("Hi."))
      let base = ["--base-url", server.openAIBaseURL]
      let ok = try await agents.run(["ask", "--json", "--agent", "creative", "--session", "s1", "hello"] + base)
      let object = try JSONValue.parse(ok.stdout)
      #expect(object["agent"] == "creative")
      #expect(object["agent_name"] == "Creative Writer")
      #expect(object["session_id"] == "s1")
      #expect(object["error_code"] == .null)

      let failed = try await agents.run(["ask", "--json", "--agent", "nobody", "hello"] + base)
      #expect(failed.status == 64)
      let error = try JSONValue.parse(failed.stdout)
      #expect(error["success"] == false)
      #expect(error["error_code"] == "usage")
      #expect(error["error"]?.stringValue?.contains("nobody") == true)
    }
  }

  @Test func benchAgainstADeadServerStopsAndReportsNoThroughput() async throws {
    let agents = try AgentsBinary()
    let output = try await agents.run(["bench", "--runs", "50", "--json", "--base-url", "http://127.0.0.1:9/v1"])
    #expect(output.status == 69, "\(output.stderr)")
    let report = try JSONValue.parse(output.stdout)
    #expect(report["runs"] == 1, "no further runs once the server is known to be unreachable: \(output.stdout)")
    #expect(report["runs_per_second"]?.doubleValue == 0)
    let text = try await agents.run(["bench", "--runs", "5", "--base-url", "http://127.0.0.1:9/v1"])
    #expect(text.stdout.contains("throughput     -"), "\(text.stdout)")
  }

  @Test func pullProgressShowsSpeedAndTimeLeft() {
    let clock = ManualSeconds()
    var display = PullProgressDisplay(terminal: false, clock: { clock.value })
    var tracker = OllamaPullTracker()
    func progress(_ completed: Int64) -> OllamaPullProgress {
      tracker.record(OllamaPullStatus(status: "pulling abc", digest: "abc", total: 100_000_000, completed: completed))
    }
    _ = display.update(progress(0))
    clock.value = 2
    let line = display.update(progress(20_000_000))?.text ?? ""
    #expect(line == "pulling abc: 20% (20.0 MB/100 MB) 10.0 MB/s, 8.0 s left\n", "\(line)")
  }
}

/// A clock the test moves by hand.
private final class ManualSeconds: @unchecked Sendable {
  var value: Double = 0
}
