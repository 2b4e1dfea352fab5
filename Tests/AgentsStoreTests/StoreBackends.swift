import AgentsStore
import AgentsStorePostgres
import Foundation
import Testing
import TestSupport

/// The stores the shared suites run against: SQLite always, PostgreSQL where it is installed (see
/// `PostgresTestDatabase`); the same tests, the same expectations.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case sqlite
  case postgres

  /// The backends available on this machine.
  static var available: [StoreBackend] { PostgresTestDatabase.isAvailable ? allCases : [.sqlite] }

  var testDescription: String { rawValue }
}

/// A fresh, empty store of one backend: a SQLite file in a temporary directory, or a fresh schema in the
/// PostgreSQL test database.
struct TestStores: Sendable {
  let backend: StoreBackend
  private let sqlite: TemporaryStore?
  private let postgres: PostgresStore?

  /// The session store, stamping items with `clock`.
  func sessions(clock: @escaping @Sendable () -> Date = { Date() }) -> any SessionStorage {
    if let postgres { return PostgresSessionStore(store: postgres, clock: clock) }
    return SessionStore(database: sqlite!.database, clock: clock)
  }

  /// The run store.
  var runs: any RunStorage {
    if let postgres { return postgres.runs }
    return RunStore(database: sqlite!.database)
  }

  private init(backend: StoreBackend, sqlite: TemporaryStore?, postgres: PostgresStore?) {
    self.backend = backend
    self.sqlite = sqlite
    self.postgres = postgres
  }

  /// Runs `body` with a fresh store of `backend`, closing it afterwards.
  static func with(_ backend: StoreBackend, _ body: (TestStores) async throws -> Void) async throws {
    switch backend {
    case .sqlite:
      try await body(TestStores(backend: backend, sqlite: try TemporaryStore(), postgres: nil))
    case .postgres:
      let location = try PostgresLocation(url: try await PostgresTestDatabase.url())
        .withSchema(PostgresTestDatabase.freshSchema())
      let store = try await PostgresStore.connect(location)
      do {
        try await body(TestStores(backend: backend, sqlite: nil, postgres: store))
        await store.close()
      } catch {
        await store.close()
        throw error
      }
    }
  }
}
