import AgentsStore
import Foundation
import Testing
import WireCore
import TestSupport

/// Tests that run real child processes against one real SQLite file.
@Suite("Multiple processes", .serialized)
struct MultiProcessTests {
  @Test("twenty processes writing runs to the same store at once lose no row")
  func twentyWriters() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("agents.sqlite")
    let writers = 20
    let runsEach = 15
    let children = try (0..<writers).map { try StressProcess(["write-runs", path, "p\($0)", "\(runsEach)"]) }
    for (index, child) in children.enumerated() {
      let status = await child.exitStatus()
      #expect(status == 0, "writer \(index) exited with \(status): \(child.standardError)")
    }

    let database = try AgentsDatabase.open(at: path)
    #expect(try await database.integrityCheck() == ["ok"])
    let runs = RunStore(database: database)
    let stored = Set(try await runs.runs(limit: writers * runsEach + 10).map(\.runID))
    let expected = Set((0..<writers).flatMap { writer in (0..<runsEach).map { "p\(writer)-\($0)" } })
    #expect(stored == expected)
    let report = try await runs.usageReport(limit: 100)
    #expect(report.totals.runs == writers * runsEach)
    #expect(report.totals.toolCalls == writers * runsEach * 2)
    #expect(report.mostUsedAgents.count == writers)
    #expect(try await SessionStore(database: database).items(in: "shared").count == writers * runsEach)
  }

  @Test("a writer killed at random points leaves a sound database with whole turns only")
  func killedWriter() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("agents.sqlite")
    let itemsPerTurn = 6
    var random = SeededGenerator(seed: 0x5EED_2024)
    var committed = 0  // turns the children reported as committed so far

    for round in 0..<10 {
      let child = try StressProcess(["write-turns", path, "chat", "\(itemsPerTurn)", "1000000"])
      // Let the child commit a random number of turns, then kill it while it writes the next one; zero kills it
      // while it opens (and perhaps migrates) the database.
      let target = Int.random(in: 0...8, using: &random)
      var seen = 0
      if target > 0 {
        for await line in child.lines where line.hasPrefix("turn ") {
          seen += 1
          if seen == target { break }
        }
      }
      child.kill()
      let status = await child.exitStatus()
      #expect(status == SIGKILL, "round \(round): child exited with \(status) instead of being killed: \(child.standardError)")
      committed += seen

      let database = try AgentsDatabase.open(at: path)
      #expect(try await database.integrityCheck() == ["ok"], "round \(round)")
      let turns = try await Self.verifyWholeTurns(database: database, itemsPerTurn: itemsPerTurn, round: round)
      #expect(turns >= committed, "round \(round): \(turns) turns stored but \(committed) were reported committed")
      committed = turns

      let runs = try await RunStore(database: database).runs(limit: 1_000_000)
      // A run is recorded in its own transaction after its turn, so each kill may lose at most one run record.
      #expect(
        runs.count <= turns && runs.count >= turns - (round + 1),
        "round \(round): \(runs.count) runs for \(turns) turns")
      #expect(runs.allSatisfy { $0.toolCalls.count == itemsPerTurn }, "round \(round): a run lost tool calls")
    }
    #expect(committed >= 10)
  }

  /// Checks that the session holds turns 0..<n, each with all its items in order, and returns n.
  static func verifyWholeTurns(database: AgentsDatabase, itemsPerTurn: Int, round: Int) async throws -> Int {
    let items = try await SessionStore(database: database).items(in: "chat")
    #expect(items.count % itemsPerTurn == 0, "round \(round): \(items.count) items is not a whole number of turns")
    for (position, item) in items.enumerated() {
      let value = try JSONValue.parse(item.json)
      let expected = (turn: position / itemsPerTurn, index: position % itemsPerTurn)
      guard value["turn"]?.intValue == expected.turn, value["index"]?.intValue == expected.index else {
        Issue.record("round \(round): item \(position) is \(value["turn"] ?? nil)/\(value["index"] ?? nil)")
        break
      }
    }
    return items.count / itemsPerTurn
  }
}
