import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

/// The `agents` binary and tool approvals: `ask` stops before calls that need approval and saves the run,
/// `--approve`/`--reject` decide, `--resume` continues in a second process, tampered states are refused, and the
/// chat asks at the terminal.
@Suite(.serialized) struct ApprovalCLITests {
  static let writeHello = FakeOllamaServer.Reply.toolCall(
    "write_file", arguments: ["path": "notes/hello.txt", "content": "Hello, world!\n"], id: "call_write")

  /// Runs `agents` in `workspace` (the coding assistant's tools are confined to the current directory).
  static func run(
    _ agents: AgentsBinary, in workspace: TemporaryDirectory, _ arguments: [String], server: FakeOllamaServer
  ) async throws -> AgentsBinary.Output {
    try await agents.run(
      arguments + ["--base-url", server.openAIBaseURL], launcher: ["/usr/bin/env", "-C", workspace.path])
  }

  /// Runs `body` in a fresh workspace, with a fake server that gives the model's `replies` in order.
  static func inWorkspace(
    replies: [FakeOllamaServer.Reply], _ body: (TemporaryDirectory, FakeOllamaServer, AgentsBinary) async throws -> Void
  ) async throws {
    let workspace = try TemporaryDirectory()
    try await withServer { server, agents in
      for reply in replies { server.enqueue(reply) }
      try await body(workspace, server, agents)
    }
  }

  static func toolOutputs(_ server: FakeOllamaServer) -> [String] {
    (server.requests(to: "/v1/chat/completions").last?.json?["messages"]?.arrayValue ?? [])
      .filter { $0["role"] == "tool" }.compactMap { $0["content"]?.stringValue }
  }

  /// `agents chat --agent coding` on a pseudo-terminal in `workspace`, at its first prompt.
  static func codingChat(
    _ agents: AgentsBinary, in workspace: TemporaryDirectory, server: FakeOllamaServer
  ) async throws -> PseudoTerminal {
    var environment = agents.environment
    environment["TERM"] = "xterm"
    let terminal = try PseudoTerminal(
      "/usr/bin/env",
      arguments: ["-C", workspace.path, try AgentsBinary.path, "chat", "--agent", "coding", "--base-url", server.openAIBaseURL],
      environment: environment, columns: 160)
    try await terminal.waitFor("coding> ")
    return terminal
  }

  @Test func askStopsBeforeAWriteThenASecondProcessResumesIt() async throws {
    try await Self.inWorkspace(replies: [Self.writeHello]) { workspace, server, agents in
      let paused = try await Self.run(
        agents, in: workspace, ["ask", "--agent", "coding", "--json", "Create notes/hello.txt"], server: server)
      #expect(paused.status == 3, "\(paused.stderr)")
      let json = try JSONValue.parse(paused.lastLine)
      #expect(json["success"] == false)
      let pending = try #require(json["pending_approvals"]?.arrayValue?.first)
      #expect(pending["tool"] == "write_file")
      #expect(pending["call_id"] == "call_write")
      #expect(pending["preview"]?.stringValue?.contains("+++ b/notes/hello.txt\n@@ -0,0 +1,1 @@\n+Hello, world!") == true)
      let stateFile = try #require(json["state_file"]?.stringValue)
      #expect(FileManager.default.fileExists(atPath: stateFile))
      #expect(!FileManager.default.fileExists(atPath: workspace.path + "/notes/hello.txt"), "written before approval")
      let attributes = try FileManager.default.attributesOfItem(atPath: stateFile)
      #expect((attributes[.posixPermissions] as? Int) == 0o600)

      server.enqueue(.text("I created notes/hello.txt."))
      let resumed = try await Self.run(
        agents, in: workspace, ["ask", "--resume", stateFile, "--approve", "write_file", "--json"], server: server)
      #expect(resumed.status == 0, "\(resumed.stderr)")
      let result = try JSONValue.parse(resumed.lastLine)
      #expect(result["final_output"] == "I created notes/hello.txt.")
      #expect(result["user_input"] == "Create notes/hello.txt")
      #expect(try String(contentsOfFile: workspace.path + "/notes/hello.txt", encoding: .utf8) == "Hello, world!\n")
      #expect(Self.toolOutputs(server) == ["Created notes/hello.txt (+1 -0 lines)."])
      #expect(!FileManager.default.fileExists(atPath: stateFile), "a finished run's state is removed")
      // The second process resumed without a new model call for the paused turn: two requests in all.
      #expect(server.requests(to: "/v1/chat/completions").count == 2)
    }
  }

  @Test func withoutJSONThePauseShowsTheDiffAndTheOptions() async throws {
    try await Self.inWorkspace(replies: [Self.writeHello]) { workspace, server, agents in
      let output = try await Self.run(agents, in: workspace, ["ask", "--agent", "coding", "Create it"], server: server)
      #expect(output.status == 3)
      #expect(output.stderr.contains(#"write_file(path: "notes/hello.txt", content: "Hello, world!\n")"#), "\(output.stderr)")
      #expect(output.stderr.contains("+Hello, world!"))
      #expect(output.stderr.contains("needs your approval"))
      #expect(output.stderr.contains("--approve write_file (or --approve-all)"))
      #expect(output.stderr.contains("agents ask --resume "))
    }
  }

  @Test func approveRunsTheCallAndRejectTellsTheModel() async throws {
    try await Self.inWorkspace(replies: [Self.writeHello, .text("Done.")]) { workspace, server, agents in
      let approved = try await Self.run(
        agents, in: workspace, ["ask", "--agent", "coding", "--approve", "write_file", "Create it"], server: server)
      #expect(approved.status == 0, "\(approved.stderr)")
      #expect(approved.stdout == "Done.\n")
      #expect(FileManager.default.fileExists(atPath: workspace.path + "/notes/hello.txt"))

      server.enqueue(.toolCall("write_file", arguments: ["path": "other.txt", "content": "x"]))
      server.enqueue(.text("Understood, I did not write it."))
      let rejected = try await Self.run(
        agents, in: workspace, ["ask", "--agent", "coding", "--reject", "write_file", "Create other.txt"], server: server)
      #expect(rejected.status == 0, "\(rejected.stderr)")
      #expect(!FileManager.default.fileExists(atPath: workspace.path + "/other.txt"))
      #expect(Self.toolOutputs(server).first?.contains("The user did not approve this call of 'write_file'") == true)
    }
  }

  @Test func aTamperedOrOldStateIsRefused() async throws {
    try await Self.inWorkspace(replies: [Self.writeHello]) { workspace, server, agents in
      let paused = try await Self.run(agents, in: workspace, ["ask", "--agent", "coding", "--json", "Create it"], server: server)
      let stateFile = try #require(try JSONValue.parse(paused.lastLine)["state_file"]?.stringValue)
      let original = try String(contentsOfFile: stateFile, encoding: .utf8)
      #expect(original.contains("Hello, world!"))

      try original.replacing("Hello, world!", with: "rm -rf ~").write(toFile: stateFile, atomically: true, encoding: .utf8)
      let tampered = try await Self.run(
        agents, in: workspace, ["ask", "--resume", stateFile, "--approve-all"], server: server)
      #expect(tampered.status == 65)
      #expect(tampered.stderr.contains("was changed after it was saved"), "\(tampered.stderr)")
      #expect(tampered.stderr.split(separator: "\n").count == 1)

      try original.replacing(#""$schemaVersion":2"#, with: #""$schemaVersion":0"#)
        .write(toFile: stateFile, atomically: true, encoding: .utf8)
      let old = try await Self.run(agents, in: workspace, ["ask", "--resume", stateFile, "--approve-all"], server: server)
      #expect(old.status == 65)
      #expect(old.stderr.contains("older version"), "\(old.stderr)")

      let missing = try await Self.run(
        agents, in: workspace, ["ask", "--resume", workspace.path + "/nope.json"], server: server)
      #expect(missing.status == 65)
      #expect(missing.stderr.contains("cannot be read"))
      #expect(!FileManager.default.fileExists(atPath: workspace.path + "/notes/hello.txt"))
      #expect(server.requests(to: "/v1/chat/completions").count == 1, "a refused state never reaches the model")
    }
  }

  @Test func resumeTakesNoPrompt() async throws {
    let output = try await AgentsBinary().run(["ask", "--resume", "/tmp/x.json", "more words"])
    #expect(output.status == 64)
    #expect(output.stderr.contains("--resume continues a paused run, so it takes no prompt"))
  }

  @Test func theChatAsksAtTheTerminalAndCtrlCRefuses() async throws {
    try await Self.inWorkspace(
      replies: [
        Self.writeHello,
        .text("Wrote the file."),
        .toolCall("write_file", arguments: ["path": "second.txt", "content": "2"]),
        .text("Left it alone."),
      ]
    ) { workspace, server, agents in
      let terminal = try await Self.codingChat(agents, in: workspace, server: server)
      try await terminal.enter(
        "Create notes/hello.txt",
        andWaitFor: "Allow write_file(path: \"notes/hello.txt\", content: \"Hello, world!\\n\")? [y]es / [n]o / [a]lways")
      #expect(terminal.text.contains("+Hello, world!"))
      #expect(!FileManager.default.fileExists(atPath: workspace.path + "/notes/hello.txt"))
      try await terminal.enter("y", andWaitFor: "Wrote the file.")
      #expect(try String(contentsOfFile: workspace.path + "/notes/hello.txt", encoding: .utf8) == "Hello, world!\n")

      let offset = terminal.text.count
      try await terminal.enter("And another", andWaitFor: "Allow write_file(path: \"second.txt\"", after: offset)
      terminal.interrupt()
      try await terminal.waitFor("Left it alone.", after: offset)
      #expect(terminal.text.contains("(not allowed)"))
      #expect(!FileManager.default.fileExists(atPath: workspace.path + "/second.txt"))
      #expect(Self.toolOutputs(server).last?.contains("did not approve") == true)
      #expect(try await terminal.quit() == 0)
    }
  }

  @Test func alwaysInTheChatHoldsForTheRestOfTheSessionOnly() async throws {
    try await Self.inWorkspace(
      replies: [
        .toolCall("write_file", arguments: ["path": "one.txt", "content": "1"]),
        .text("Wrote one."),
        .toolCall("write_file", arguments: ["path": "two.txt", "content": "2"]),
        .text("Wrote two."),
        .toolCall("write_file", arguments: ["path": "three.txt", "content": "3"]),
        .text("Left three alone."),
      ]
    ) { workspace, server, agents in
      let terminal = try await Self.codingChat(agents, in: workspace, server: server)
      try await terminal.enter(
        "Create one.txt",
        andWaitFor: "Allow write_file(path: \"one.txt\", content: \"1\")? [y]es / [n]o / [a]lways")
      try await terminal.enter("a", andWaitFor: "Wrote one.")
      #expect(terminal.text.contains("(write_file runs without asking for the rest of this session)"))

      var offset = terminal.text.count
      try await terminal.enter("Now two.txt", andWaitFor: "Wrote two.", after: offset)
      let second = String(terminal.text.dropFirst(offset))
      #expect(!second.contains("[y]es / [n]o / [a]lways"), "asked again after 'always': \(second)")
      #expect(second.contains("allowed (you answered always)"))
      #expect(FileManager.default.fileExists(atPath: workspace.path + "/two.txt"))

      // Another session (here /clear) asks again.
      offset = terminal.text.count
      try await terminal.enter("/clear", andWaitFor: "New conversation", after: offset)
      offset = terminal.text.count
      try await terminal.enter("And three.txt", andWaitFor: "Allow write_file(path: \"three.txt\"", after: offset)
      try await terminal.enter("n", andWaitFor: "Left three alone.", after: offset)
      #expect(!FileManager.default.fileExists(atPath: workspace.path + "/three.txt"))
      #expect(try await terminal.quit() == 0)
    }
  }

  @Test func aPipedChatRefusesAndSaysWhy() async throws {
    try await Self.inWorkspace(replies: [Self.writeHello, .text("I could not write it.")]) { workspace, server, agents in
      let output = try await agents.run(
        ["chat", "--agent", "coding", "--base-url", server.openAIBaseURL], launcher: ["/usr/bin/env", "-C", workspace.path],
        stdin: "Create it\n")
      #expect(output.status == 0)
      #expect(output.stdout == "I could not write it.\n")
      #expect(output.stderr.contains("write_file needs approval, which cannot be given when the chat's input is not a terminal"))
      #expect(!FileManager.default.fileExists(atPath: workspace.path + "/notes/hello.txt"))
    }
  }
}
