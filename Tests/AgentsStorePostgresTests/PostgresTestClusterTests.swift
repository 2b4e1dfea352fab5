import Foundation
import Testing
import TestSupport

/// `scripts/postgres-test-cluster`, as the store tests run it from a Swift process.
@Suite(.enabled(if: PostgresTestDatabase.isAvailable, PostgresTestDatabase.unavailableReason))
struct PostgresTestClusterTests {
  /// Foundation's `Process` learns that a child exited from a descriptor the child inherits: a PostgreSQL server
  /// the script starts must not keep it, or `swift test` waits forever for a cluster that was not running (seen
  /// at 01:24 and 23:18 on 2026-12-06/07 when the cluster had been stopped). A cluster of its own, on its own port.
  @Test(.timeLimit(.minutes(2)))
  func startingAStoppedClusterFromASwiftProcessReturns() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pg-cluster-\(UUID().uuidString)")
    let port = 56_000 + Int.random(in: 0..<2_000)
    var environment = ProcessInfo.processInfo.environment
    environment["AGENTS_PG_DIR"] = directory.path
    environment["AGENTS_PG_PORT"] = String(port)
    defer {
      let stop = Process()
      stop.executableURL = URL(fileURLWithPath: PostgresTestDatabase.repositoryRoot + "/scripts/postgres-test-cluster")
      stop.arguments = ["stop"]
      stop.environment = environment
      try? stop.run()
      stop.waitUntilExit()
      try? FileManager.default.removeItem(at: directory)
      try? FileManager.default.removeItem(atPath: directory.path + ".lock")
    }
    let given = environment
    let url = try await Task.detached { try PostgresTestDatabase.createDatabase(environment: given) }.value
    #expect(url.hasPrefix("postgres://postgres@127.0.0.1:\(port)/agents_test_"), "\(url)")
  }
}
