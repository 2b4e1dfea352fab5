import Foundation
import GRDB
import Testing
import TestSupport

@testable import AgentsStore

@Suite("Database")
struct DatabaseTests {
  @Test("a new store is a private WAL file at the latest schema version")
  func newStore() async throws {
    let store = try TemporaryStore()
    #expect(try await store.database.schemaVersion() == StoreSchema.latestVersion)
    #expect(try await store.database.integrityCheck() == ["ok"])
    let mode = try await store.database.read("test") { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
    #expect(mode == "wal")
    let attributes = try FileManager.default.attributesOfItem(atPath: store.database.path)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
  }

  @Test("opening the same file twice in one process shares one pool")
  func sharedInstance() throws {
    let store = try TemporaryStore()
    let again = try AgentsDatabase.open(at: store.database.path)
    #expect(again === store.database)
    let other = try AgentsDatabase.open(at: store.directory.file("other.sqlite"))
    #expect(other !== store.database)
  }

  @Test("open(in:) creates the data directory")
  func openInDirectory() throws {
    let temporary = try TemporaryDirectory()
    let directory = DataDirectory(path: temporary.file("a/b"))
    let database = try AgentsDatabase.open(in: directory)
    #expect(database.path == directory.databasePath)
    #expect(FileManager.default.fileExists(atPath: directory.databasePath))
  }

  @Test("openDefault uses the data directory the environment names")
  func openDefault() throws {
    let temporary = try TemporaryDirectory()
    let database = try AgentsDatabase.openDefault(environment: ["AGENTS_HOME": temporary.file("home")])
    #expect(database.path == temporary.file("home/agents.sqlite"))
    #expect(FileManager.default.fileExists(atPath: temporary.file("home/agents.sqlite")))
  }

  @Test("an older schema is migrated forward and keeps its data")
  func migratesOldSchema() async throws {
    let temporary = try TemporaryDirectory()
    let path = temporary.file("old.sqlite")
    try await makeDatabase(
      at: path, schemaVersion: 1, "INSERT INTO agent_sessions VALUES ('kept', 1, 2)",
      "INSERT INTO agent_messages (session_id, message_data, created_at) VALUES ('kept', '{}', 2)")
    #expect(try await DatabaseQueue(path: path).read { try StoreSchema.version($0) } == 1)
    let database = try AgentsDatabase.open(at: path)
    #expect(try await database.schemaVersion() == StoreSchema.latestVersion)
    #expect(try await SessionStore(database: database).items(in: "kept").map { text($0.json) } == ["{}"])
    #expect(try await RunStore(database: database).count() == 0)
  }

  @Test("a schema from a newer build is refused, not touched")
  func refusesNewerSchema() throws {
    let temporary = try TemporaryDirectory()
    let path = temporary.file("future.sqlite")
    do {
      let queue = try DatabaseQueue(path: path)
      try queue.write { db in try db.execute(sql: "PRAGMA user_version = 99") }
    }
    #expect {
      try AgentsDatabase.open(at: path)
    } throws: { error in
      let error = error as? StoreError
      return error?.code == .newerSchema && error?.message.contains("99") == true
    }
  }

  @Test("a file that is not SQLite is reported as such")
  func notADatabase() throws {
    let temporary = try TemporaryDirectory()
    let path = temporary.file("garbage.sqlite")
    try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
    #expect {
      try AgentsDatabase.open(at: path)
    } throws: { error in
      (error as? StoreError)?.code == .notADatabase
    }
  }

  @Test("a directory that does not exist is reported with the path")
  func missingDirectory() throws {
    let temporary = try TemporaryDirectory()
    let path = temporary.file("missing/dir/agents.sqlite")
    #expect {
      try AgentsDatabase.open(at: path)
    } throws: { error in
      (error as? StoreError)?.code == .cannotOpen && "\(error)".contains(path)
    }
  }
}
