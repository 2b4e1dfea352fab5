import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

/// The data directory under process death and concurrency, through the real `agents` binary.
@Suite struct DataSafetyCLITests {
  static let earlierTurns: [Item] = [.user("Hello, I am Bo."), .assistant("Nice to meet you, Bo.")]

  static func databasePath(_ agents: AgentsBinary) -> String {
    agents.home.path + "/data/" + DataDirectory.databaseFileName
  }

  static func session(_ id: String, _ agents: AgentsBinary) throws -> SQLiteSession {
    try FileManager.default.createDirectory(atPath: agents.home.path + "/data", withIntermediateDirectories: true)
    return SQLiteSession(sessionID: id, database: try AgentsDatabase.open(at: databasePath(agents)))
  }

  @Test func sigkillWhileStreamingLeavesTheSessionWithoutTheInterruptedTurn() async throws {
    try await withServer { server, agents in
      try await Self.session("s1", agents).addItems(Self.earlierTurns)
      // The answer stalls after two chunks, so the process dies with half an answer on the screen.
      server.inject(.stallAfterEvents(2, duration: nil), on: "/v1/chat/completions")
      server.enqueue(.text("Once upon a time, far away, there lived a fox.", chunkSize: 3))
      let ask = try agents.start(
        ["ask", "--base-url", server.openAIBaseURL, "--agent", "creative", "--session", "s1", "Tell a story"])
      while server.requests(to: "/v1/chat/completions").isEmpty {
        await server.waitForRequests(count: server.requestCount + 1)
      }
      _ = kill(ask.process.processIdentifier, SIGKILL)
      let killed = try await ask.finish()
      #expect(killed.status == SIGKILL)
      #expect(ask.process.terminationReason == .uncaughtSignal)

      let database = try AgentsDatabase.open(at: Self.databasePath(agents))
      #expect(try await database.integrityCheck() == ["ok"])
      #expect(try await SQLiteSession(sessionID: "s1", database: database).items(limit: nil) == Self.earlierTurns)

      // The next run continues from the intact history and saves its whole turn.
      server.clearFaults()
      server.clearReplies()
      server.enqueue(.text("You are Bo."))
      let next = try await agents.run(
        ["ask", "--base-url", server.openAIBaseURL, "--agent", "creative", "--session", "s1", "Who am I?"])
      #expect(next.status == 0)
      #expect(next.stdout == "You are Bo.\n")
      let sent = server.lastRequest?.messages.compactMap { $0["content"]?.stringValue } ?? []
      #expect(sent.suffix(3) == ["Hello, I am Bo.", "Nice to meet you, Bo.", "Who am I?"])
      #expect(
        try await SQLiteSession(sessionID: "s1", database: database).items(limit: nil)
          == Self.earlierTurns + [.user("Who am I?"), .assistant("You are Bo.")])
    }
  }

  @Test func twentyConcurrentProcessesLoseNoRows() async throws {
    try await withServer { server, agents in
      let count = 20
      // Every process asks a different question in the one shared session; the server echoes it back.
      let outputs = try await withThrowingTaskGroup(of: (Int, AgentsBinary.Output).self) { group in
        for index in 0..<count {
          group.addTask {
            let output = try await agents.run(
              ["ask", "--base-url", server.openAIBaseURL, "--agent", "creative", "--session", "shared",
               "question \(index)"])
            return (index, output)
          }
        }
        var collected: [Int: AgentsBinary.Output] = [:]
        for try await (index, output) in group { collected[index] = output }
        return collected
      }
      for index in 0..<count {
        let output = try #require(outputs[index])
        #expect(output.status == 0, "process \(index): \(output.stderr)")
        #expect(output.stdout == "question \(index)\n")
      }

      let database = try AgentsDatabase.open(at: Self.databasePath(agents))
      #expect(try await database.integrityCheck() == ["ok"])
      let items = try await SQLiteSession(sessionID: "shared", database: database).items(limit: nil)
      #expect(items.count == 2 * count)
      // Each run is one write: its question and its answer are adjacent, whatever the order of the runs.
      var answered = Set<String>()
      for pair in stride(from: 0, to: items.count - 1, by: 2) {
        guard case .message(let question) = items[pair], question.role == .user else {
          Issue.record("item \(pair) is not a question: \(items[pair])")
          continue
        }
        #expect(items[pair + 1] == .assistant(question.content))
        answered.insert(question.content)
      }
      #expect(answered == Set((0..<count).map { "question \($0)" }))

      let stats = try await agents.run(["stats", "--json"])
      #expect(stats.status == 0)
      #expect(try JSONValue.parse(stats.lastLine)["totals"]?["runs"] == .int(count))
    }
  }
}
