import Foundation
import GRDB
import PostgresNIO
import Testing
import TestSupport

@testable import AgentsStore
@testable import AgentsStorePostgres

/// The SQLite store (`StoreSchema`) and the PostgreSQL store (`PostgresSchema`) keep their own migration lists:
/// their SQL differs in dialect (AUTOINCREMENT and BIGSERIAL, REAL and DOUBLE PRECISION, BLOB and BYTEA, 0/1 integers
/// and BOOLEAN) and in history (SQLite reached today's tables in five versions, PostgreSQL started from them), so a
/// shared list would have to rewrite one of the two histories that existing databases record. Instead this suite
/// builds both at their latest version and fails when their tables, columns, types, nullability, primary keys or
/// indexes differ, so a migration added to one list and not the other is caught.
@Suite(
  "Schema drift between SQLite and PostgreSQL",
  .enabled(if: PostgresTestDatabase.isAvailable, PostgresTestDatabase.unavailableReason))
struct SchemaDriftTests {
  /// A column as both databases describe it; `type` is the SQLite affinity the PostgreSQL type stores.
  struct Column: Hashable, CustomStringConvertible {
    var name: String
    var type: String
    var notNull: Bool
    var description: String { "\(name) \(type)\(notNull ? " NOT NULL" : "")" }
  }

  /// One table's shape.
  struct Table: Equatable {
    var columns: [Column] = []
    var primaryKey: [String] = []
  }

  /// A database's tables by name, and the names of the indexes created by the migrations.
  typealias Shape = (tables: [String: Table], indexes: Set<String>)

  /// Tables only the SQLite store has: the response cache is a per-machine cache, not state replicas share.
  static let sqliteOnly: Set<String> = ["response_cache"]

  /// SQLite's declared type for each PostgreSQL type the store uses (booleans and counts are INTEGER in SQLite).
  static let affinity: [String: String] = [
    "text": "TEXT", "double precision": "REAL", "bigint": "INTEGER", "integer": "INTEGER", "boolean": "INTEGER",
    "bytea": "BLOB",
  ]

  @Test("both stores at their latest version have the same tables, columns, keys and indexes")
  func sameShape() async throws {
    let sqlite = try await sqliteShape()
    let postgres = try await postgresShape()
    #expect(Set(sqlite.tables.keys).subtracting(Self.sqliteOnly) == Set(postgres.tables.keys))
    for (name, table) in sqlite.tables where !Self.sqliteOnly.contains(name) {
      #expect(table.columns == postgres.tables[name]?.columns, "columns of \(name)")
      #expect(table.primaryKey == postgres.tables[name]?.primaryKey, "primary key of \(name)")
    }
    #expect(sqlite.indexes == postgres.indexes)
  }

  private func sqliteShape() async throws -> Shape {
    let store = try TemporaryStore()
    return try await store.database.read("reading the schema") { db in
      var tables: [String: Table] = [:]
      let names = try String.fetchAll(
        db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      for name in names {
        var table = Table()
        var key: [(Int, String)] = []
        for row in try Row.fetchAll(db, sql: "PRAGMA table_info(\(name))") {
          let column: String = row["name"]
          let primaryKeyPosition: Int = row["pk"]
          let notNull: Bool = row["notnull"]
          table.columns.append(Column(name: column, type: row["type"], notNull: notNull || primaryKeyPosition > 0))
          if primaryKeyPosition > 0 { key.append((primaryKeyPosition, column)) }
        }
        table.primaryKey = key.sorted { $0.0 < $1.0 }.map(\.1)
        tables[name] = table
      }
      var indexes: Set<String> = []
      for row in try Row.fetchAll(
        db, sql: "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
      where !Self.sqliteOnly.contains(row["tbl_name"]) {
        indexes.insert(row["name"])
      }
      return (tables, indexes)
    }
  }

  private func postgresShape() async throws -> Shape {
    let location = try PostgresLocation(url: try await PostgresTestDatabase.url())
      .withSchema(PostgresTestDatabase.freshSchema("drift"))
    let store = try await PostgresStore.connect(location)
    do {
      let shape = try await postgresShape(of: store, schema: location.schema)
      await store.close()
      return shape
    } catch {
      await store.close()
      throw error
    }
  }

  private func postgresShape(of store: PostgresStore, schema: String) async throws -> Shape {
    try await store.read("reading the schema") { connection, logger in
      var tables: [String: Table] = [:]
      let columns = try await connection.query(
        """
        SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = \(schema) AND table_name <> 'agents_schema' ORDER BY table_name, ordinal_position
        """, logger: logger)
      for try await (table, column, type, nullable) in columns.decode((String, String, String, String).self) {
        let sqliteType = Self.affinity[type] ?? "unknown PostgreSQL type \(type)"
        tables[table, default: Table()].columns.append(
          Column(name: column, type: sqliteType, notNull: nullable == "NO"))
      }
      let keys = try await connection.query(
        """
        SELECT k.table_name, k.column_name FROM information_schema.table_constraints c
        JOIN information_schema.key_column_usage k
          ON k.constraint_name = c.constraint_name AND k.constraint_schema = c.constraint_schema
        WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = \(schema) ORDER BY k.table_name, k.ordinal_position
        """, logger: logger)
      for try await (table, column) in keys.decode((String, String).self) {
        tables[table, default: Table()].primaryKey.append(column)
      }
      var indexes: Set<String> = []
      let names = try await connection.query(
        "SELECT indexname FROM pg_indexes WHERE schemaname = \(schema) AND tablename <> 'agents_schema'", logger: logger
      )
      for try await name in names.decode(String.self) where !name.hasSuffix("_pkey") && !name.hasSuffix("_key") {
        indexes.insert(name)
      }
      return (tables, indexes)
    }
  }
}
