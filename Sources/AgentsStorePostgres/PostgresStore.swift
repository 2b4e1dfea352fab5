import AgentsStore
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// A PostgreSQL database holding sessions and run records, for several `agents serve` replicas (or any
/// processes) that share one store: ``sessions`` and ``runs`` are the PostgreSQL ``SessionStorage`` and
/// ``RunStorage``.
///
/// ```swift
/// let store = try await PostgresStore.connect(PostgresLocation(url: "postgres://agents@db/agents"))
/// let session = StoredSession(sessionID: "ada", store: store.sessions)
/// // … run agents with the session …
/// await store.close()
/// ```
///
/// ``connect(_:configuration:logger:)`` checks the connection and brings the schema up to date (under an
/// advisory lock, so replicas starting together migrate once). Every operation is one transaction and gives up
/// after ``Configuration/operationTimeout`` with a ``StoreError`` naming the server, never hanging while the
/// database is down.
public final class PostgresStore: Sendable {
  /// How the store connects and how patient it is.
  @MemberwiseInit
  public struct Configuration: Sendable, Hashable {
    /// The most connections the pool opens.
    public var maximumConnections: Int = 20
    /// How long opening one connection may take.
    public var connectTimeout: Duration = .seconds(10)
    /// How long one operation (waiting for a connection included) may take before it fails.
    public var operationTimeout: Duration = .seconds(30)
  }

  /// Where the database is.
  public let location: PostgresLocation
  /// The store's settings.
  public let configuration: Configuration
  /// The sessions kept in this database.
  public var sessions: PostgresSessionStore { PostgresSessionStore(store: self) }
  /// The run records kept in this database.
  public var runs: PostgresRunStore { PostgresRunStore(store: self) }

  let client: PostgresClient
  let logger: Logger
  private let runTask: Task<Void, Never>

  private init(location: PostgresLocation, configuration: Configuration, client: PostgresClient, logger: Logger) {
    self.location = location
    self.configuration = configuration
    self.client = client
    self.logger = logger
    self.runTask = Task { await client.run() }
  }

  /// Connects to the database at `location`, creating the schema and tables it needs (or migrating them).
  ///
  /// - Throws: ``StoreError`` when the server cannot be reached, refuses the login, or the schema is newer than
  ///   this build knows; `CancellationError` when the task is cancelled.
  public static func connect(
    _ location: PostgresLocation, configuration: Configuration = Configuration(),
    logger: Logger = Logger(label: "ollama-agents.store.postgres")
  ) async throws -> PostgresStore {
    let store = PostgresStore(
      location: location, configuration: configuration,
      client: PostgresClient(configuration: clientConfiguration(location, configuration), backgroundLogger: logger),
      logger: logger)
    do {
      try await store.migrate()
    } catch {
      await store.close()
      throw error
    }
    return store
  }

  /// Closes every connection; operations started afterwards fail.
  public func close() async {
    runTask.cancel()
    await runTask.value
  }

  /// Checks that the database answers and can be written now (a committed write that changes nothing).
  public func checkWritable() async throws {
    try await transaction("checking that it can be written") { connection, logger in
      try await connection.query("UPDATE agents_schema SET version = version", logger: logger)
    }
  }

  private static func clientConfiguration(
    _ location: PostgresLocation, _ configuration: Configuration
  ) -> PostgresClient.Configuration {
    var client: PostgresClient.Configuration
    if let host = location.host {
      let tls: PostgresClient.Configuration.TLS =
        switch location.tls {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
      client = .init(
        host: host, port: location.port, username: location.user, password: location.password,
        database: location.database, tls: tls)
    } else {
      client = .init(
        unixSocketPath: "\(location.socketDirectory ?? "/var/run/postgresql")/.s.PGSQL.\(location.port)",
        username: location.user, password: location.password, database: location.database)
    }
    client.options.maximumConnections = max(1, configuration.maximumConnections)
    client.options.connectTimeout = configuration.connectTimeout
    client.options.additionalStartupParameters = [
      ("search_path", location.schema), ("application_name", "ollama-agents"),
    ]
    return client
  }

  // MARK: Running operations

  /// Runs `body` in one transaction, within the operation timeout, mapping failures to ``StoreError``.
  @discardableResult
  func transaction<T: Sendable>(
    _ action: String, _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> T
  ) async throws -> T {
    let logger = self.logger
    return try await withinTimeout(action) { client in
      try await client.withTransaction(logger: logger) { connection in try await body(connection, logger) }
    }
  }

  /// Runs `body` on a pooled connection (one statement is its own transaction), within the operation timeout.
  @discardableResult
  func read<T: Sendable>(
    _ action: String, _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> T
  ) async throws -> T {
    let logger = self.logger
    return try await withinTimeout(action) { client in
      try await client.withConnection { connection in try await body(connection, logger) }
    }
  }

  /// Runs `body`; a cancelled task gets `CancellationError`, every other failure becomes a ``StoreError``.
  private func withinTimeout<T: Sendable>(
    _ action: String, _ body: @escaping @Sendable (PostgresClient) async throws -> T
  ) async throws -> T {
    let client = self.client
    let timeout = configuration.operationTimeout
    do {
      return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body(client) }
        group.addTask {
          try await Task.sleep(for: timeout)
          return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
          throw StoreError(
            .cannotOpen,
            "PostgreSQL at \(location.endpoint) did not answer within \(timeout) while \(action); "
              + "check that the server runs and accepts connections from here")
        }
        return value
      }
    } catch {
      if Task.isCancelled { throw CancellationError() }
      throw StoreError(postgres: error, while: action, at: location)
    }
  }

  /// Creates the schema and brings its tables to ``PostgresSchema/latestVersion``.
  private func migrate() async throws {
    let schema = location.schema
    let applied = try await transaction("creating or migrating the tables") { connection, logger in
      try await PostgresSchema.migrate(connection, schema: schema, logger: logger)
    }
    for version in applied {
      logger.debug("migrated the PostgreSQL store", metadata: ["version": "\(version)", "schema": "\(schema)"])
    }
  }
}
