// A child process for the AgentsStore tests: writes runs or session turns to a store so that tests can run many
// writers at once and kill one mid-write. Not part of the product.
//
//   AgentsStoreStress write-runs  <database> <run-id-prefix> <count>
//   AgentsStoreStress write-turns <database> <session-id> <items-per-turn> <turns>
//
// write-runs saves <count> run records (one transaction each) and one session item per run to the session
// "shared". write-turns appends <turns> turns of <items-per-turn> items to the session, continuing the numbering
// of the turns already stored, records a run after each turn, and prints "turn N" once turn N is committed.

import AgentsStore
import Foundation

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("AgentsStoreStress: \(message)\n".utf8))
  exit(1)
}

func say(_ line: String) {
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func writeRuns(database: AgentsDatabase, prefix: String, count: Int) async throws {
  let runs = RunStore(database: database)
  let sessions = SessionStore(database: database)
  for index in 0..<count {
    let runID = "\(prefix)-\(index)"
    try await runs.record(
      RunRecord(
        runID: runID, agent: "stress-\(prefix)", model: "model-\(index % 3)", server: "http://127.0.0.1:11434",
        startedAt: Date(), duration: .milliseconds(index + 1), inputTokens: index, outputTokens: 1, turns: 1,
        toolCalls: ["lookup", "write"], succeeded: index % 5 != 0, errorKind: index % 5 == 0 ? "timeout" : nil))
    try await sessions.addItems([Data(#"{"run":"\#(runID)"}"#.utf8)], to: "shared")
  }
  say("wrote \(count)")
}

func writeTurns(database: AgentsDatabase, session: String, itemsPerTurn: Int, turns: Int) async throws {
  let sessions = SessionStore(database: database)
  let runs = RunStore(database: database)
  let first = try await sessions.items(in: session).count / itemsPerTurn
  let padding = String(repeating: "x", count: 2048)
  for turn in first..<(first + turns) {
    let items = (0..<itemsPerTurn).map { index in
      Data(#"{"turn":\#(turn),"index":\#(index),"of":\#(itemsPerTurn),"padding":"\#(padding)"}"#.utf8)
    }
    try await sessions.addItems(items, to: session)
    try await runs.record(
      RunRecord(
        runID: "turn-\(turn)", agent: "writer", model: "m", server: "local", sessionID: session, startedAt: Date(),
        duration: .milliseconds(1), turns: 1, toolCalls: (0..<itemsPerTurn).map { "tool-\($0)" }, succeeded: true))
    say("turn \(turn)")
  }
}

let usage = "usage: write-runs <database> <prefix> <count> | write-turns <database> <session> <items-per-turn> <turns>"
let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first, arguments.count >= 4 else { fail(usage) }
do {
  let database = try AgentsDatabase.open(at: arguments[1], configuration: .init(busyTimeout: .seconds(120)))
  switch (command, arguments.count) {
  case ("write-runs", 4):
    guard let count = Int(arguments[3]), count >= 0 else { fail(usage) }
    try await writeRuns(database: database, prefix: arguments[2], count: count)
  case ("write-turns", 5):
    guard let itemsPerTurn = Int(arguments[3]), itemsPerTurn > 0, let turns = Int(arguments[4]), turns >= 0 else {
      fail(usage)
    }
    try await writeTurns(database: database, session: arguments[2], itemsPerTurn: itemsPerTurn, turns: turns)
  default:
    fail(usage)
  }
} catch {
  fail("\(error)")
}
