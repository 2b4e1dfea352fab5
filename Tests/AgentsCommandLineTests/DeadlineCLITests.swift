import AgentsTesting
import Foundation
import TestSupport
import Testing

@testable import AgentsCommandLine

/// The built `agents` binary against servers that keep a connection open without finishing: keep-alives do not
/// count as progress, `--deadline` bounds the whole command, and a silent server costs one timeout, not one per
/// request. Real time, but every limit is short and the assertions do not depend on how long anything took.
@Suite(.serialized, .timeLimit(.minutes(2))) struct DeadlineCLITests {
  static let chatPath = "/v1/chat/completions"

  @Test(arguments: [": keep-alive\n\n", "data:\n\n"])
  func keepAlivesEndAtTheIdleTimeout(frame: String) async throws {
    try await withServer { server, agents in
      server.inject(
        .keepAliveAfterEvents(1, every: .milliseconds(100), frame: Array(frame.utf8)), on: Self.chatPath, times: 1)
      server.enqueue(.text("never finished"))
      let output = try await agents.run(
        ["ask", "--base-url", server.openAIBaseURL, "--context-length", "4096", "--timeout", "1", "hi"])
      #expect(output.status == 69, "\(output.stderr)")
      #expect(output.stderr.contains("went silent for 1s"), "\(output.stderr)")
    }
  }

  @Test func theDeadlineEndsAStreamThatNeverFinishes() async throws {
    try await withServer { server, agents in
      let dot = #"data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"llama3.2","choices":[{"index":0,"delta":{"content":"."}}]}"#
      server.inject(
        .keepAliveAfterEvents(1, every: .milliseconds(100), frame: Array((dot + "\n\n").utf8)), on: Self.chatPath,
        times: 1)
      server.enqueue(.text("endless"))
      let output = try await agents.run(
        ["ask", "--base-url", server.openAIBaseURL, "--context-length", "4096", "--timeout", "1", "--deadline", "2",
         "hi"])
      #expect(output.status == 69, "\(output.stderr)")
      #expect(output.stdout.contains("..."), "\(output.stdout)")
      #expect(output.stderr.contains("the 2s time budget"), "\(output.stderr)")
      #expect(output.stderr.contains("--deadline"), "\(output.stderr)")
      #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
    }
  }

  /// A server that accepts and never answers: the context-length lookup gives up after the first-byte timeout
  /// and the command ends there, instead of each lookup and then the question waiting a full timeout.
  @Test func aSilentServerCostsOneTimeoutNotOnePerRequest() async throws {
    try await withServer { server, agents in
      server.inject(.stallBeforeHeaders(nil), times: .always)
      let output = try await agents.run(["ask", "--base-url", server.openAIBaseURL, "--timeout", "1", "hi"])
      #expect(output.status == 69, "\(output.stderr)")
      #expect(output.stderr.contains("sent no response within 1s"), "\(output.stderr)")
      #expect(server.requests(to: "/api/ps").count == 1)
      #expect(server.requests(to: "/api/show").isEmpty)
      #expect(server.requests(to: Self.chatPath).isEmpty)
    }
  }

  /// The whole command's budget covers the lookups too: with a deadline shorter than the timeout, the lookup and
  /// the question share it.
  @Test func theDeadlineCoversTheLookupsAndTheQuestion() async throws {
    try await withServer { server, agents in
      server.inject(.stallBeforeHeaders(nil), times: .always)
      let output = try await agents.run(
        ["ask", "--base-url", server.openAIBaseURL, "--timeout", "600", "--deadline", "1", "hi"])
      #expect(output.status == 69, "\(output.stderr)")
      #expect(output.stderr.contains("the 1s time budget"), "\(output.stderr)")
    }
  }

  @Test(arguments: ["1e20", "0", "-5", "nan"])
  func deadlinesOutOfRangeAreUsageErrors(_ value: String) async throws {
    let output = try await AgentsBinary().run(["ask", "--deadline=\(value)", "--base-url", "http://127.0.0.1:9/v1", "hi"])
    BadInputCLITests.expectUsageError(output, mentions: "between 0.001 and 86400")
  }

  /// `deadline` is a row of the settings table: option > environment > file, shown by `--verbose`, checked in each.
  @Test func theDeadlineComesFromOptionEnvironmentOrFileAndShowsInVerbose() async throws {
    let directory = try TemporaryDirectory()
    let file = directory.path + "/agents.yaml"
    try "defaults:\n  deadline: 42\n".write(toFile: file, atomically: true, encoding: .utf8)
    let agents = try AgentsBinary()
    let fromFile = try await agents.run(["list", "--verbose", "--config", file])
    #expect(fromFile.stderr.contains("deadline   42 (config file)"), "\(fromFile.stderr)")
    let fromEnvironment = try await agents.run(
      ["list", "--verbose", "--config", file], environment: ["AGENTS_DEADLINE": "30"])
    #expect(fromEnvironment.stderr.contains("deadline   30 (environment)"), "\(fromEnvironment.stderr)")
    let fromOption = try await agents.run(
      ["list", "--config", file, "--deadline", "20.5", "--verbose"], environment: ["AGENTS_DEADLINE": "30"])
    #expect(fromOption.stderr.contains("deadline   20.5 (option)"), "\(fromOption.stderr)")
    let unset = try await agents.run(["list", "--verbose"])
    #expect(unset.stderr.contains("deadline   ask and mcp serve: 1800 s"), "\(unset.stderr)")
    let badVariable = try await agents.run(["list"], environment: ["AGENTS_DEADLINE": "0"])
    #expect(badVariable.status == 65, "\(badVariable.stderr)")
    #expect(badVariable.stderr.contains("AGENTS_DEADLINE is '0'"), "\(badVariable.stderr)")
    try "defaults:\n  deadline: 1e9\n".write(toFile: file, atomically: true, encoding: .utf8)
    let invalid = try await agents.run(["list", "--config", file])
    #expect(invalid.status == 65, "\(invalid.stderr)")
    #expect(invalid.stderr.contains("deadline"), "\(invalid.stderr)")
  }
}
