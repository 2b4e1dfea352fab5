@testable import AgentsStore
import Foundation
import GRDB
import Synchronization
import TestSupport

/// A store in a temporary directory, kept alive together with its directory.
struct TemporaryStore {
  let directory: TemporaryDirectory
  let database: AgentsDatabase

  init() throws {
    directory = try TemporaryDirectory()
    database = try AgentsDatabase.open(at: directory.file("agents.sqlite"))
  }
}

/// Writes a SQLite file at `path` whose schema stops at `version` (as an older build left it), with `statements`
/// (its rows) executed on it, so a test can open it with today's build and watch the migration.
func makeDatabase(at path: String, schemaVersion version: Int, _ statements: String...) async throws {
  let queue = try DatabaseQueue(path: path)
  try await queue.writeWithoutTransaction { db in
    try StoreSchema.migrate(db, upTo: version, path: path)
    for statement in statements { try db.execute(sql: statement) }
  }
}

/// A clock that only moves when told, so tests never depend on the wall clock.
final class ManualClock: Sendable {
  private let current: Mutex<Date>

  init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) { current = Mutex(start) }

  var now: Date { current.withLock { $0 } }

  func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }

  var function: @Sendable () -> Date { { self.now } }
}

/// JSON text as bytes.
func json(_ text: String) -> Data { Data(text.utf8) }

/// Bytes as text.
func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }
