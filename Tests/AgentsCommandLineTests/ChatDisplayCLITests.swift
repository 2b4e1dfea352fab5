import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

/// How answers look: the spinner, Markdown on a terminal and plain text when piped, reasoning, the stats line, and
/// the input history kept between chats — through the `agents` binary, on a pseudo-terminal where it matters.
@Suite(.serialized) struct ChatDisplayCLITests {
  @Test func aSpinnerShowsUntilTheFirstToken() async throws {
    try await withServer { server, agents in
      // The answer's first token comes after a pause (a model that is still loading).
      server.inject(.stallAfterEvents(0, duration: .seconds(2)), on: "/v1/chat/completions")
      server.enqueue(.text("Here it is."))
      let terminal = try await agents.startChat(baseURL: server.openAIBaseURL)
      try await terminal.enter("hello", andWaitFor: "Here it is.")
      let raw = terminal.rawOutput
      let spinner = try #require(raw.range(of: "waiting for llama3.2"), "\(raw.debugDescription)")
      let answer = try #require(raw.range(of: "Here it is."))
      #expect(spinner.upperBound < answer.lowerBound)
      // The spinner's line is erased before the answer: the answer starts right after an erase-line.
      #expect(raw.contains("\r\u{1B}[KHere it is."), "\(raw.debugDescription)")
      #expect(try await terminal.quit() == 0)
    }
  }

  @Test func answersAreRenderedOnATerminalAndPlainWhenPiped() async throws {
    let answer = "## Steps\n\n1. Mix **well** with `flour`\n2. Bake\n\n```\nlet x = 1\n```\n"
    try await withServer { server, agents in
      server.enqueue(.text(answer, chunkSize: 3))
      let terminal = try agents.startOnTerminal(
        ["chat", "--base-url", server.openAIBaseURL, "--agent", "creative"], columns: 60)
      try await terminal.waitFor("creative> ")
      try await terminal.enter("how?", andWaitFor: "│ let x = 1")
      let text = terminal.text
      #expect(text.contains("Steps\n"))
      #expect(!text.contains("## Steps"))
      #expect(text.contains("1. Mix well with flour"))
      #expect(!text.contains("```"))
      #expect(try await terminal.quit() == 0)

      server.enqueue(.text(answer, chunkSize: 3))
      let piped = try await agents.run(["ask", "--base-url", server.openAIBaseURL, "--agent", "creative", "how?"])
      #expect(piped.status == 0, "\(piped.stderr)")
      #expect(piped.stdout == answer, "piped output is the model's text as it is")
    }
  }

  @Test func longAnswersWrapAtTheTerminalWidth() async throws {
    let words = (1...40).map { "word\($0)" }.joined(separator: " ")
    try await withServer { server, agents in
      server.enqueue(.text(words, chunkSize: 7))
      let terminal = try agents.startOnTerminal(
        ["ask", "--base-url", server.openAIBaseURL, "--agent", "creative", "talk"], columns: 50)
      #expect(try await terminal.waitForExit() == 0)
      let lines = terminal.text.split(separator: "\n").filter { $0.contains("word") }
      #expect(lines.count >= 6, "\(terminal.text)")
      for line in lines {
        let answer = line[line.range(of: "word")!.lowerBound...]  // after any erased spinner frame
        #expect(answer.count <= 50, "\(line)")
        #expect(
          answer.split(separator: " ").allSatisfy { $0.wholeMatch(of: /word\d+/) != nil }, "a word was broken: \(line)")
      }
    }
  }

  @Test func reasoningIsShownDimmedAndHiddenOnRequest() async throws {
    try await withServer { server, agents in
      server.enqueue(FakeOllamaServer.Reply(content: "The answer is 4.", reasoning: "Two plus two makes four."))
      server.enqueue(FakeOllamaServer.Reply(content: "The answer is 6.", reasoning: "Three and three is six."))
      let terminal = try await agents.startChat(baseURL: server.openAIBaseURL)
      try await terminal.enter("2+2?", andWaitFor: "The answer is 4.")
      #expect(terminal.text.contains("Two plus two makes four.\n\nThe answer is 4."))
      try await terminal.enter("/reasoning off", andWaitFor: "reasoning is hidden")
      try await terminal.enter("3+3?", andWaitFor: "The answer is 6.")
      #expect(!terminal.text.contains("Three and three is six."))
      #expect(try await terminal.quit() == 0)
    }
    try await withServer { server, agents in
      server.enqueue(FakeOllamaServer.Reply(content: "Four.", reasoning: "Hidden thoughts."))
      let piped = try await agents.run(["ask", "--base-url", server.openAIBaseURL, "--agent", "creative", "2+2?"])
      #expect(piped.stdout == "Four.\n")
    }
  }

  @Test func theStatsLineFollowsEachAnswerWhenAskedFor() async throws {
    try await withServer { server, agents in
      server.enqueue(FakeOllamaServer.Reply(content: "Hi.", usage: .init(promptTokens: 12, completionTokens: 3)))
      server.enqueue(FakeOllamaServer.Reply(content: "Bye.", usage: .init(promptTokens: 12, completionTokens: 5)))
      let output = try await agents.run(
        ["chat", "--base-url", server.openAIBaseURL, "--agent", "creative", "--stats"], stdin: "hi\n/stats off\nbye\n")
      #expect(output.status == 0, "\(output.stderr)")
      #expect(output.stdout == "Hi.\nBye.\n", "the stats line stays off standard output")
      let statsLines = output.stderr.split(separator: "\n").filter { $0.contains("tokens/s") || $0.contains("in all") }
      #expect(statsLines.count == 1, "\(output.stderr)")
      #expect(statsLines.first?.hasPrefix("3 tokens") == true, "\(output.stderr)")
      #expect(statsLines.first?.contains("first token") == true)
    }
  }

  @Test func theInputHistoryIsKeptBetweenChats() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("First."), .text("Again."))
      let first = try await agents.startChat(baseURL: server.openAIBaseURL)
      try await first.enter("remember this line", andWaitFor: "First.")
      #expect(try await first.quit() == 0)

      let second = try await agents.startChat(baseURL: server.openAIBaseURL)
      second.type("\u{1B}[A\r")  // Up, Enter
      try await second.waitFor("Again.")
      let users = ChatCommandsCLITests.userMessages(server)
      #expect(users == ["remember this line", "remember this line"])
      #expect(try await second.quit() == 0)
      let mode = try FileManager.default.attributesOfItem(atPath: agents.home.path + "/data/chat_history")[
        .posixPermissions]
      #expect((mode as? Int).map { $0 & 0o077 } == 0, "the history is private to the user")
    }
  }

  @Test func verboseLogLinesNeverLandInTheMiddleOfAnAnswer() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("The whole answer arrives in small pieces without a final newline", chunkSize: 4))
      let terminal = try agents.startOnTerminal(
        ["ask", "--verbose", "--base-url", server.openAIBaseURL, "--agent", "creative", "go"], columns: 200)
      #expect(try await terminal.waitForExit() == 0)
      let text = terminal.text
      #expect(text.contains("The whole answer arrives in small pieces without a final newline\n"), "\(text)")
      let answerLine = text.split(separator: "\n").first { $0.contains("The whole answer") } ?? ""
      #expect(!answerLine.contains("info"), "a log line is glued to the answer: \(answerLine)")
    }
  }
  @Test func aReplyTakenBackIsMarkedBeforeTheAnswerThatReplacesIt() async throws {
    let bogus = "```json\n" + #"{"name": "print", "arguments": {"value": [2, 4, 6]}}"# + "\n```"
    let question = "What does print([1, 2, 3].map { $0 * 2 }) print?"
    try await withServer { server, agents in
      // A small model (constrained strategy) answers a question about code with a call to a tool it lacks.
      server.install(
        FakeOllamaServer.Model(name: "qwen2.5:0.5b", family: "qwen2", capabilities: [.completion, .tools]))
      server.enqueue(.text(bogus, chunkSize: 5), .text("It prints [2, 4, 6]."))
      let terminal = try agents.startOnTerminal(
        ["ask", "--base-url", server.openAIBaseURL, "--model", "qwen2.5:0.5b", "--agent", "coding", question],
        columns: 200)
      #expect(try await terminal.waitForExit() == 0)
      let text = terminal.text
      let note = try #require(
        text.range(
          of: "(retried without tools: the reply above called 'print', which this agent does not have; it is not kept)"),
        "\(text)")
      let shown = try #require(text.range(of: "print"), "the streamed reply is on screen: \(text)")
      let answer = try #require(text.range(of: "It prints [2, 4, 6]."), "\(text)")
      #expect(shown.lowerBound < note.lowerBound && note.upperBound <= answer.lowerBound)
      let retry = try #require(server.requests(to: "/v1/chat/completions").last?.json)
      #expect(retry["tools"] == nil || retry["tools"] == [], "the retry offers no tools")

      // Piped: the answer on standard output, the note on standard error.
      server.enqueue(.text(bogus), .text("It prints [2, 4, 6]."))
      let piped = try await agents.run(
        ["ask", "--base-url", server.openAIBaseURL, "--model", "qwen2.5:0.5b", "--agent", "coding", question])
      #expect(piped.status == 0, "\(piped.stderr)")
      #expect(piped.stdout.hasSuffix("It prints [2, 4, 6].\n"), "\(piped.stdout)")
      #expect(piped.stderr.contains("(retried without tools: the reply above called 'print'"), "\(piped.stderr)")
    }
  }

  @Test func repliesThatAreNoAnswerAreTakenBackAndAskedAgainWithoutTools() async throws {
    // A question about code that does not ask what it does: no run_code step before the answer.
    let question = "Explain this: for i in 0...items.count { print(items[i]) }"
    let embedded =
      "The loop is wrong. The fix:\n```json\n" + #"{"name": "find_items", "arguments": {"items": []}}"# + "\n```"
    // apply_patch's description, as the model saw it in the tool definitions.
    let leaked = "It prints a diff: context lines starting with a space, removed lines with '-', added lines with '+'."
    try await withServer { server, agents in
      server.install(
        FakeOllamaServer.Model(name: "qwen2.5:0.5b", family: "qwen2", capabilities: [.completion, .tools]))
      let arguments = ["ask", "--base-url", server.openAIBaseURL, "--model", "qwen2.5:0.5b", "--agent", "coding"]
      for (reply, note) in [
        (embedded, "(retried without tools: the reply above called 'find_items', which this agent does not have"),
        (leaked, "(retried without tools: the reply above repeated the description of the tool 'apply_patch'"),
      ] {
        server.enqueue(.text(reply), .text("It reads one past the end: use 0..<items.count."))
        let run = try await agents.run(arguments + [question])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasSuffix("It reads one past the end: use 0..<items.count.\n"), "\(run.stdout)")
        #expect(run.stderr.contains(note), "\(run.stderr)")
        let retry = try #require(server.requests(to: "/v1/chat/completions").last?.json)
        #expect(retry["tools"] == nil || retry["tools"] == [], "the retry offers no tools")
      }
    }
  }
}
