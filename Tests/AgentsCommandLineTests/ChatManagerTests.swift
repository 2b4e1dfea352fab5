import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

@Suite struct ChatManagerTests {
  func chat(
    _ test: TestServices, _ input: ScriptedLineInput, agent: String = "math", sessionID: String? = nil,
    streaming: Bool = true, interactive: Bool = false
  ) throws -> ChatManager {
    try ChatManager(
      services: test.services, input: input,
      options: .init(agentID: agent, sessionID: sessionID, streaming: streaming, interactive: interactive))
  }

  @Test func pipedChatPrintsOnlyAnswersAndKeepsTheConversationAcrossAgentSwitches() async throws {
    let test = TestServices(steps: [
      .toolCall("calculator", arguments: ["expression": "2+2"]),
      .text("2 + 2 = 4"),
      .text("Four lines of verse"),
    ])
    let input = ScriptedLineInput(lines: ["what is 2+2?", "", "/agent creative", "now a poem about it", "/quit", "never sent"])
    let status = try await chat(test, input).run()
    #expect(status == 0)
    #expect(test.out.text == "2 + 2 = 4\nFour lines of verse\n")
    #expect(test.err.text == "")
    #expect(input.promptsShown.allSatisfy { $0.isEmpty })

    let calls = test.model.calls
    #expect(calls.count == 3)
    #expect(calls[0].streamed)
    #expect(calls[0].request.agentName == "Math Tutor")
    #expect(calls[1].request.input.contains(.toolOutput(ToolCallOutput(callID: "call_calculator", output: "2+2 = 4"))))
    #expect(calls[2].request.agentName == "Creative Writer")
    // The creative writer sees the math conversation: the chat continues across the switch.
    #expect(calls[2].request.input.first == .user("what is 2+2?"))
    #expect(calls[2].request.input.last == .user("now a poem about it"))
    #expect(calls[2].request.input.contains(.assistant("2 + 2 = 4")))
  }

  @Test func slashCommandsReportAndSwitch() async throws {
    let directory = try TemporaryDirectory()
    let transcript = directory.path + "/chat.md"
    let test = TestServices(steps: [.text("Hello there"), .text("Using qwen now")])
    let input = ScriptedLineInput(lines: [
      "/help", "/agents", "/agent mth", "/model nope", "hi", "/model qwen3:8b", "again", "/stats", "/history",
      "/save \(transcript)", "/clear", "/history", "/sessions", "/frobnicate", "/save",
    ])
    _ = try await chat(test, input).run()
    let out = test.out.text
    #expect(out.contains("/agent [ID]"))
    #expect(out.contains("* math      Math Tutor        llama3.2\n"))
    #expect(out.contains("  triage    Triage            llama3.2\n"))
    #expect(out.contains("answers      2 (0 failed, 0 cancelled)"))
    #expect(out.contains("you: hi\nassistant: Hello there\nyou: again\nassistant: Using qwen now"))
    #expect(out.hasSuffix("(no messages yet)\n"))

    let errors = test.err.text.split(separator: "\n").map(String.init)
    #expect(errors.count == 5)
    #expect(errors[0] == "agents: error: unknown agent 'mth' (did you mean 'math'?); use one of: math, coding, creative, triage (see /agents)")
    #expect(errors[1].hasPrefix("agents: error: model 'nope' is not installed on the server; type /model to see the installed models"))
    #expect(errors[2].contains("sessions are not saved"))
    #expect(errors[3] == "agents: error: unknown command /frobnicate; type /help for the list")
    #expect(errors[4] == "agents: error: /save needs an argument; type /save FILE")

    #expect(test.provider.requestedNames == ["llama3.2", "qwen3:8b"])
    let saved = try String(contentsOfFile: transcript, encoding: .utf8)
    #expect(saved.contains("## You\n\nhi\n"))
    #expect(saved.contains("## Assistant\n\nUsing qwen now\n"))
  }

  @Test func ctrlCCancelsTheReplyInProgressAndTheChatGoesOn() async throws {
    let test = TestServices(steps: [
      .stream([.text("Once upon a time"), .waitForCancellation]),
      .text("Second answer"),
    ])
    let input = ScriptedLineInput(lines: ["tell a long story", "something else"])
    let manager = try chat(test, input, agent: "creative")
    test.out.onWrite { text in
      if text.contains("Once upon") { manager.cancelReply() }
    }
    let status = await manager.run()
    #expect(status == 0)
    #expect(test.out.text == "Once upon a time\nSecond answer\n")
    #expect(test.err.text == "")
    #expect(test.model.cancelledCalls == 1)
    #expect(test.model.calls.count == 2)
  }

  @Test func ctrlCOrCtrlDAtAnEmptyPromptExits() async throws {
    for first in [InputEvent.interrupt(wasEmpty: true), .end] {
      let test = TestServices(steps: [])
      let input = ScriptedLineInput([.interrupt(wasEmpty: false), first, .line("never answered")])
      #expect(try await chat(test, input).run() == 0)
      #expect(test.model.calls.isEmpty)
    }
  }

  @Test func interactiveChatShowsBannerPromptsAndConfirmations() async throws {
    let test = TestServices(steps: [.text("Hi!")])
    let input = ScriptedLineInput(lines: ["hello", "/agent coding"])
    _ = try await chat(test, input, agent: "triage", interactive: true).run()
    #expect(test.out.text.hasPrefix("Triage · llama3.2 · http://localhost:11434/v1\nsession chat-"))
    #expect(test.out.text.contains(" · /help for commands · \"\"\" for several lines\nCtrl-C cancels an answer · Ctrl-D quits\n"))
    #expect(test.out.text.contains("Hi!\n"))
    #expect(test.out.text.contains("Now talking to Coding Assistant (llama3.2)."))
    #expect(input.promptsShown == ["triage> ", "triage> ", "coding> "])
  }

  @Test func failedAnswersAreOneLineErrorsAndSetThePipedExitStatus() async throws {
    let test = TestServices(steps: [.failure(ModelServerError.serverUnreachable(url: "http://localhost:11434/v1"))])
    let status = try await chat(test, ScriptedLineInput(lines: ["hi"])).run()
    #expect(status == 69)
    #expect(test.err.text.hasPrefix("agents: error: Cannot reach the model server at http://localhost:11434/v1; is it running?"))
    #expect(test.err.text.split(separator: "\n").count == 1)
  }

  @Test func withoutStreamingTheWholeAnswerIsPrintedAtOnce() async throws {
    let test = TestServices(steps: [.text("All at once")])
    _ = try await chat(test, ScriptedLineInput(lines: ["hi"]), streaming: false).run()
    #expect(test.out.text == "All at once\n")
    #expect(test.model.calls.first?.streamed == false)
  }

  @Test func sessionsPersistInTheStoreAndCanBeResumed() async throws {
    let directory = try TemporaryDirectory()
    let database = try AgentsDatabase.open(at: directory.path + "/agents.sqlite")
    let store = SessionStore(database: database)
    let first = TestServices(steps: [.text("Noted: blue.")], sessionStore: store)
    _ = try await chat(first, ScriptedLineInput(lines: ["my favourite colour is blue"]), sessionID: "work").run()

    let second = TestServices(steps: [.text("Blue.")], sessionStore: store)
    let input = ScriptedLineInput(lines: ["/sessions", "which colour?"])
    _ = try await chat(second, input, agent: "creative", sessionID: "work").run()
    let request = try #require(second.model.calls.first?.request)
    #expect(request.input.first == .user("my favourite colour is blue"))
    #expect(request.input.contains(.assistant("Noted: blue.")))
    #expect(second.out.text.hasPrefix("* work  2 items"))
  }

  @Test func answersAndModelSwitchesAreRecordedForStats() async throws {
    let directory = try TemporaryDirectory()
    let runStore = RunStore(database: try AgentsDatabase.open(at: directory.path + "/agents.sqlite"))
    let test = TestServices(steps: [.text("One"), .text("Two")], runStore: runStore)
    _ = try await chat(test, ScriptedLineInput(lines: ["first", "/model qwen3:8b", "second"])).run()
    let report = try await runStore.usageReport()
    #expect(report.totals.runs == 2)
    #expect(report.totals.modelSwitches == 1)
    #expect(report.recentModelSwitches.first?.fromModel == "llama3.2")
    #expect(report.recentModelSwitches.first?.toModel == "qwen3:8b")
    #expect(Set(report.mostUsedModels.map(\.name)) == ["scripted"])
  }

  @Test func aModelThatIsNotInstalledStopsTheChatBeforeTheFirstMessage() async throws {
    let test = TestServices(steps: [], settings: ServerSettings(modelOverride: "llama9"))
    let status = try await chat(test, ScriptedLineInput(lines: ["hi"])).run()
    #expect(status == 66)
    #expect(test.err.text == "agents: error: model 'llama9' is not installed on the server; run 'agents models pull llama9' (installed: llama3.2:latest, qwen3:8b)\n")
    #expect(test.model.calls.isEmpty)
  }

  @Test func unknownStartingAgentIsAUsageError() {
    let test = TestServices(steps: [])
    let error = #expect(throws: AppError.self) { try chat(test, ScriptedLineInput(lines: []), agent: "nope") }
    #expect(error?.code == .usage)
  }
}
