import Foundation
import Synchronization
import Testing

/// A PostgreSQL database for tests: a fresh database in the throwaway cluster that `scripts/postgres-test-cluster`
/// runs on loopback (started on first use, reused by later test runs), or the server `AGENTS_TEST_POSTGRES_URL`
/// names.
///
/// Tests that need PostgreSQL run only where it ``isAvailable`` (the Debian package installed, as `.ci/run` does
/// with `scripts/postgres-test-cluster install`); elsewhere they are left out and say why.
package enum PostgresTestDatabase {
  /// Whether PostgreSQL can be used: `AGENTS_TEST_POSTGRES_URL` is set, or `initdb` is installed. With
  /// `AGENTS_POSTGRES_REQUIRED=1` (as `.ci/run` sets) it is always true, so a missing PostgreSQL fails the tests
  /// instead of leaving them out.
  package static var isAvailable: Bool {
    let environment = ProcessInfo.processInfo.environment
    if environment["AGENTS_TEST_POSTGRES_URL"] != nil || environment["AGENTS_POSTGRES_REQUIRED"] == "1" { return true }
    let candidates = ["/usr/lib/postgresql/15/bin/initdb"]
      + ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).map {
        "/usr/lib/postgresql/\($0)/bin/initdb"
      }
    return candidates.contains { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// Why PostgreSQL tests are left out, for a disabled test's comment.
  package static let unavailableReason: Comment =
    "PostgreSQL is not installed: run scripts/postgres-test-cluster install (apt-get install postgresql), or set AGENTS_TEST_POSTGRES_URL"

  private static let created = Mutex<Task<String, any Error>?>(nil)

  /// The URL of this test process's database (created on first use; every later call returns the same URL).
  /// Give each test its own schema (`?schema=…`) to keep tests apart.
  package static func url() async throws -> String {
    if let given = ProcessInfo.processInfo.environment["AGENTS_TEST_POSTGRES_URL"] { return given }
    let task = created.withLock { task in
      if let task { return task }
      let new = Task { try createDatabase() }
      task = new
      return new
    }
    return try await task.value
  }

  /// A fresh schema name, unique in this process.
  package static func freshSchema(_ prefix: String = "t") -> String {
    "\(prefix)_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
  }

  /// The repository's root (this file is `Tests/TestSupport/PostgresTestDatabase.swift`).
  package static var repositoryRoot: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
  }

  private static func createDatabase() throws -> String {
    try createDatabase(environment: ProcessInfo.processInfo.environment)
  }

  /// Runs `scripts/postgres-test-cluster createdb` (which starts the cluster when it is not running) with
  /// `environment`, reading its output through pipes, and returns the URL it prints last.
  package static func createDatabase(environment: [String: String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: repositoryRoot + "/scripts/postgres-test-cluster")
    process.arguments = ["createdb", "agents_test"]
    process.environment = environment
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let printed = output.fileHandleForReading.readDataToEndOfFile()
    let complaint = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let url = String(decoding: printed, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
    guard process.terminationStatus == 0, url.hasPrefix("postgres://") else {
      throw ClusterFailure(description: "scripts/postgres-test-cluster createdb failed: " + String(decoding: complaint, as: UTF8.self))
    }
    return url
  }

  /// The cluster script failed; its standard error is the description.
  package struct ClusterFailure: Error, CustomStringConvertible {
    package var description: String
  }
}
