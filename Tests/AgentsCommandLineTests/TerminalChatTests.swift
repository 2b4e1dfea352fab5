import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

/// The `agents` binary on a pseudo-terminal, typed at like a person would: help, pastes, type-ahead, Ctrl-C.
@Suite(.serialized) struct TerminalChatTests {
  /// The messages of the last chat request the server received.
  static func lastUserMessage(_ server: FakeOllamaServer) -> String? {
    server.requests(to: "/v1/chat/completions").last?.json?["messages"]?.arrayValue?
      .last { $0["role"] == "user" }?["content"]?.stringValue
  }

  @Test func everySubcommandHasItsOwnHelp() async throws {
    let agents = try AgentsBinary()
    let cases: [([String], usage: String, option: String)] = [
      (["chat", "--help"], "USAGE: agents chat", "--no-stream"),
      (["ask", "--help"], "USAGE: agents ask", "--max-turns"),
      (["ask", "-h"], "USAGE: agents ask", "--max-turns"),
      (["help", "ask"], "USAGE: agents ask", "--max-turns"),
      (["models", "pull", "--help"], "USAGE: agents models pull", "<name>"),
      (["help", "models", "pull"], "USAGE: agents models pull", "<name>"),
      (["cache", "clear", "--help"], "USAGE: agents cache clear", "--base-url"),
    ]
    for (arguments, usage, option) in cases {
      let terminal = try agents.startOnTerminal(arguments)
      #expect(try await terminal.waitForExit() == 0, "\(arguments)")
      #expect(terminal.text.contains(usage), "\(arguments): \(terminal.text)")
      #expect(terminal.text.contains(option), "\(arguments)")
      #expect(!terminal.text.contains("SUBCOMMANDS:\n  chat"), "\(arguments) printed the top-level help")
      let piped = try await agents.run(arguments)
      #expect(piped.status == 0)
      #expect(piped.stdout.contains(usage), "\(arguments)")
    }
    let top = try await agents.run(["--help"])
    #expect(top.stdout.contains("SUBCOMMANDS:"))
  }

  /// llama.cpp's server answers any model name with the one model it has: the banner says so, so a mistyped or
  /// wrong name does not go unseen.
  @Test func theBannerSaysWhichModelAOneModelServerAnswersWith() async throws {
    try await withServer(.init(models: [.llama32])) { server in
      server.llamaServer = .init()
      let agents = try AgentsBinary()
      let terminal = try agents.startOnTerminal(
        ["chat", "--base-url", server.openAIBaseURL, "--provider", "openai", "--agent", "creative", "--model", "lama"])
      try await terminal.waitFor("creative> ")
      let banner = terminal.text.split(whereSeparator: \.isNewline).prefix(3).joined(separator: " ")
      #expect(banner.contains("llama3.2:latest (the server's only model; it answers for lama)"), "\(terminal.text)")
      #expect(try await terminal.quit() == 0)
    }
  }

  @Test func theBannerNamesTheServerAndTheModelItServes() async throws {
    try await withServer { server, agents in
      server.llamaServer = .init()
      let terminal = try agents.startOnTerminal(
        ["chat", "--base-url", server.openAIBaseURL, "--provider", "openai", "--agent", "creative"])
      try await terminal.waitFor("creative> ")
      let lines = terminal.text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
      #expect(lines.contains("Creative Writer · llama3.2 · llama.cpp at \(server.openAIBaseURL)"), "\(terminal.text)")
      #expect(lines.contains { $0.hasPrefix("session chat-") && $0.hasSuffix("· /help for commands · \"\"\" for several lines") })
      #expect(try await terminal.quit() == 0)
    }
  }

  @Test func aServerThatIsNotRunningIsReportedBeforeTheFirstQuestion() async throws {
    try await withServer { server, agents in
      try await server.stopListening()
      let terminal = try agents.startOnTerminal(
        ["chat", "--base-url", server.openAIBaseURL, "--provider", "openai", "--agent", "creative"])
      try await terminal.waitFor("creative> ")
      #expect(terminal.text.contains("agents: warning: Cannot reach the model server at"), "\(terminal.text)")
      #expect(terminal.text.contains("scripts/local-model-server start"), "\(terminal.text)")
      #expect(try await terminal.quit() == 0, "the chat stays open: the server may be started now")
    }
  }

  @Test func aBracketedPasteIsOneMessage() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("Three lines received."))
      let terminal = try await agents.startChat(baseURL: server.openAIBaseURL)
      terminal.paste("first line\nsecond line\nthird line")
      try await terminal.enter("", andWaitFor: "Three lines received.")
      #expect(Self.lastUserMessage(server) == "first line\nsecond line\nthird line")
      #expect(server.requests(to: "/v1/chat/completions").count == 1)
      #expect(try await terminal.quit() == 0)
    }
  }

  @Test func aPasteWiderThanTheScreenStaysWholeAboveTheAnswer() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("It doubles x."))
      let terminal = try await agents.startChat(baseURL: server.openAIBaseURL)
      let question = "Please look at this function and tell me what it does, in one sentence if you can:"
      terminal.paste(question + "\ndef f(x):\n    return x * 2")
      try await terminal.enter("", andWaitFor: "It doubles x.")
      // While editing, the 100-column row showed only the tail; once sent, the whole message is drawn.
      try await terminal.waitForRaw(question + "↵def f(x):↵    return x * 2")
      #expect(try await terminal.quit() == 0)
    }
  }

  @Test func linesArrivingTogetherWithoutBracketsAreAllSent() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("One."), .text("Two."))
      let terminal = try await agents.startChat(baseURL: server.openAIBaseURL)
      try await terminal.enter("first\rsecond", andWaitFor: "Two.")
      let users = server.requests(to: "/v1/chat/completions").compactMap {
        $0.json?["messages"]?.arrayValue?.last { $0["role"] == "user" }?["content"]?.stringValue
      }
      #expect(users == ["first", "second"])
      #expect(try await terminal.quit() == 0)
    }
  }

  @Test func textTypedWhileAnAnswerStreamsIsKeptForTheNextPrompt() async throws {
    try await withServer { server, agents in
      // The first answer stalls after its first events for a while: long enough to type during it.
      server.inject(.stallAfterEvents(2, duration: .seconds(3)), on: "/v1/chat/completions")
      server.enqueue(.text("First answer, slowly.", chunkSize: 6))
      server.enqueue(.text("Second answer."))
      let terminal = try await agents.startChat(baseURL: server.openAIBaseURL)
      terminal.type("tell me something\r")
      await server.waitForRequests(count: 4)  // the model check, the context length, then the answer
      try await terminal.enter("and another thing", andWaitFor: "Second answer.")
      #expect(Self.lastUserMessage(server) == "and another thing")
      let text = terminal.text
      // Not echoed into the middle of the answer: it shows at the next prompt, after the answer.
      let answerEnd = try #require(text.range(of: "slowly."))
      let typed = try #require(text.range(of: "and another thing"))
      #expect(typed.lowerBound > answerEnd.upperBound, "\(text)")
      #expect(try await terminal.quit() == 0)
    }
  }

  @Test func ctrlCCancelsAnAnswerAndTwoCtrlCsAtAnEmptyPromptLeave() async throws {
    try await withServer { server, agents in
      server.inject(.stallAfterEvents(2, duration: nil), on: "/v1/chat/completions")
      server.enqueue(.text("This answer never ends", chunkSize: 5))
      let terminal = try await agents.startChat(baseURL: server.openAIBaseURL)
      terminal.type("a long story\r")
      await server.waitForRequests(count: 4)
      terminal.interrupt()
      try await terminal.waitFor("(cancelled)\ncreative> ")
      terminal.interrupt()  // one more, as people press it when an answer does not stop at once: the chat stays
      try await terminal.waitFor("(press Ctrl-C again or Ctrl-D to leave the chat)\ncreative> ")
      terminal.interrupt()
      #expect(try await terminal.waitForExit() == 0)
    }
  }

  @Test func oneCtrlCAtAnEmptyPromptKeepsTheChatAndTypingResetsIt() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("Still here."))
      let terminal = try await agents.startChat(baseURL: server.openAIBaseURL)
      terminal.interrupt()
      try await terminal.waitFor("leave the chat)\ncreative> ")
      terminal.type("are you there?\r")
      let screen = try await terminal.waitFor("Still here.\ncreative> ")
      // The message in between means the next Ctrl-C is again only a hint, not a goodbye.
      terminal.interrupt()
      try await terminal.waitFor("leave the chat)\ncreative> ", after: screen.count)
      #expect(try await terminal.quit() == 0)
    }
  }

  @Test func aCtrlCThatReachesTheChatBetweenAnswersDoesNotEndIt() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("First."), .text("Second."))
      // --verbose: the chat logs that it ignored the signal, so the test knows when to go on.
      let terminal = try agents.startOnTerminal(
        ["chat", "--base-url", server.openAIBaseURL, "--agent", "creative", "--verbose"])
      try await terminal.waitFor("creative> ")
      terminal.type("one\r")
      let screen = try await terminal.waitFor("First.")
      let answerEnd = try #require(screen.range(of: "First.")).upperBound
      try await terminal.waitFor("creative> ", after: screen.distance(from: screen.startIndex, to: answerEnd))
      // What the terminal sends as SIGINT when Ctrl-C lands between an answer's end and the next prompt.
      kill(terminal.processID, SIGINT)
      try await terminal.waitFor("Ctrl-C between an answer and the next prompt: ignored")
      try await terminal.enter("two", andWaitFor: "Second.")
      #expect(try await terminal.quit() == 0)
    }
  }

  @Test func textTypedBeforeCtrlCCancelsAnAnswerIsStillSent() async throws {
    try await withServer { server, agents in
      server.inject(.stallAfterEvents(2, duration: nil), on: "/v1/chat/completions")
      server.enqueue(.text("This answer never ends", chunkSize: 5))
      server.enqueue(.text("The next answer."))
      let terminal = try await agents.startChat(baseURL: server.openAIBaseURL)
      terminal.type("a long story\r")
      await server.waitForRequests(count: 4)
      terminal.type("the next question\r")  // reaches the terminal before the Ctrl-C after it
      terminal.interrupt()
      try await terminal.waitFor("The next answer.")
      #expect(Self.lastUserMessage(server) == "the next question")
      #expect(try await terminal.quit() == 0)
    }
  }
}
