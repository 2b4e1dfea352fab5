import AgentsTesting
import Foundation
import TestSupport
import Testing

@testable import AgentsCommandLine

/// The built `agents` binary against a server that sends terminal escape sequences in everything it
/// controls: answers (streamed one character per chunk, so sequences are split), error messages, model names
/// and its version. Nothing of them may reach the output as a control sequence.
@Suite(.serialized) struct HostileServerCLITests {
  /// Sets the window title, writes the clipboard, clears the screen, rings the bell, in 7- and 8-bit forms.
  static let payload =
    "\u{1B}]0;pwned\u{07}\u{1B}]52;c;cm0gLXJmIH4=\u{1B}\\\u{1B}[2J\u{1B}[H\u{9D}0;c1\u{9C}\u{07}\r"

  static func expectNoControls(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let controls = text.unicodeScalars.filter { TerminalSanitizer.isControl($0) && $0 != "\n" && $0 != "\t" }
    #expect(controls.isEmpty, "\(what) contains control characters: \(controls.map { String($0.value, radix: 16) })",
      sourceLocation: sourceLocation)
  }

  @Test func answersStreamedOrNotReachTheTerminalWithoutEscapes() async throws {
    try await withServer { server, agents in
      let options = ["--base-url", server.openAIBaseURL, "--agent", "creative"]
      server.enqueue(.text("Hello \(Self.payload)world", chunkSize: 1))
      let streamed = try await agents.run(["ask"] + options + ["hi"])
      #expect(streamed.status == 0, "\(streamed.stderr)")
      #expect(streamed.stdout == "Hello world\n")
      Self.expectNoControls(streamed.stdout + streamed.stderr, "the streamed answer")

      server.enqueue(.text("Hello \(Self.payload)world"))
      let whole = try await agents.run(["ask", "--no-stream"] + options + ["hi"])
      #expect(whole.stdout == "Hello world\n")
      Self.expectNoControls(whole.stdout + whole.stderr, "the non-streamed answer")

      // --json keeps the text but escapes it.
      server.enqueue(.text("Hello \(Self.payload)world"))
      let json = try await agents.run(["ask", "--json"] + options + ["hi"])
      #expect(try JSONValue.parse(json.lastLine)["final_output"]?.stringValue == "Hello \(Self.payload)world")
      Self.expectNoControls(json.stdout, "ask --json")
    }
  }

  @Test func serverErrorMessagesModelNamesAndVersionAreSanitised() async throws {
    let evilModel = FakeOllamaServer.Model(name: "llama\(Self.payload)3", capabilities: [.completion, .tools])
    let server = try await FakeOllamaServer.start(
      .init(version: "0.32.15\(Self.payload)", models: [.llama32, evilModel]))
    defer { Task { try? await server.shutdown() } }
    let agents = try AgentsBinary()
    let options = ["--base-url", server.openAIBaseURL]

    server.inject(.error(status: 500, message: "overloaded \(Self.payload)try later"), on: "/v1/chat/completions",
      times: .always)
    let failed = try await agents.run(["ask"] + options + ["hi"], environment: ["AGENTS_LOG_LEVEL": "trace"])
    #expect(failed.status == 1)
    #expect(failed.stderr.contains("overloaded"))
    #expect(failed.stderr.contains("retry"), "no log lines: \(failed.stderr)")
    Self.expectNoControls(failed.stderr, "the server's error message and the log lines")
    server.clearFaults()

    let models = try await agents.run(["models"] + options)
    #expect(models.status == 0, "\(models.stderr)")
    #expect(models.stdout.contains("llama3:latest") || models.stdout.contains("llama"))
    Self.expectNoControls(models.stdout + models.stderr, "agents models")

    let doctor = try await agents.run(["doctor"] + options)
    #expect(doctor.stdout.contains("0.32.15"))
    Self.expectNoControls(doctor.stdout + doctor.stderr, "agents doctor")

    let unknown = try await agents.run(["ask", "--model", "llama\(Self.payload)9"] + options + ["hi"])
    Self.expectNoControls(unknown.stdout + unknown.stderr, "the model-not-found error")
    try await server.shutdown()
  }

  /// A tool call whose name is `null` is the same unknown tool whether the reply was streamed or not; neither
  /// path may turn it into an empty successful answer.
  @Test func aToolCallNamedNullFailsTheSameStreamedAndNot() async throws {
    try await withServer { server, agents in
      let call = #"{"id":"call_1","type":"function","function":{"name":null,"arguments":"{}"}}"#
      let whole = #"{"id":"x","object":"chat.completion","model":"llama3.2","choices":[{"index":0,"message":"#
        + #"{"role":"assistant","content":null,"tool_calls":["# + call + #"]},"finish_reason":"tool_calls"}]}"#
      let chunk = #"{"id":"x","object":"chat.completion.chunk","model":"llama3.2","choices":[{"index":0,"delta":"#
        + #"{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":"#
        + #"{"name":null,"arguments":"{}"}}]},"finish_reason":null}]}"#
      let done = #"{"id":"x","object":"chat.completion.chunk","model":"llama3.2","choices":[{"index":0,"delta":{},"#
        + #""finish_reason":"tool_calls"}]}"#
      let stream = "data: \(chunk)\n\ndata: \(done)\n\ndata: [DONE]\n\n"
      var outcomes: [(status: Int32, stderr: String)] = []
      for (flags, body, type) in [
        (["--no-stream"], whole, "application/json"), ([], stream, "text/event-stream"),
      ] {
        // Every model call of the run gets the same reply, so the run ends the same way on both paths.
        server.inject(
          .respond(status: 200, headers: [("Content-Type", type)], body: Array(body.utf8)), on: "/v1/chat/completions",
          times: .always)
        let output = try await agents.run(
          ["ask", "--base-url", server.openAIBaseURL, "--agent", "math", "--max-turns", "2"] + flags + ["hi"])
        server.clearFaults()
        #expect(output.status != 0, "\(flags): \(output.stdout)")
        #expect(output.stdout.isEmpty, "\(flags): \(output.stdout)")
        outcomes.append((output.status, output.stderr))
      }
      #expect(outcomes[0].status == outcomes[1].status)
      #expect(outcomes[0].stderr == outcomes[1].stderr)
    }
  }

  /// `agents list | head -1`: the reader stopped reading; the status says the output was cut, no message says so.
  @Test func aReaderThatClosedThePipeGetsNoErrorMessage() async throws {
    let agents = try AgentsBinary()
    for arguments in [["list"], ["--help"]] {
      let pipe = Pipe()
      try pipe.fileHandleForReading.close()
      let output = try await agents.start(arguments, stdout: pipe.fileHandleForWriting).finish()
      try? pipe.fileHandleForWriting.close()
      #expect(output.status == 74, "\(arguments)")
      #expect(output.stderr.isEmpty, "\(arguments): \(output.stderr)")
    }
  }

  /// `agents ask hi > /dev/full` must not claim success.
  @Test func aFailedWriteToStandardOutputExitsWith74() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("An answer nobody will read."))
      let full = try await agents.run(["ask", "--base-url", server.openAIBaseURL, "hi"], stdoutPath: "/dev/full")
      #expect(full.status == 74)
      #expect(full.stderr.contains("cannot write to standard output (No space left on device)"))

      let list = try await agents.run(["list"], stdoutPath: "/dev/full")
      #expect(list.status == 74)
      let help = try await agents.run(["--help"], stdoutPath: "/dev/full")
      #expect(help.status == 74)
    }
  }
}
