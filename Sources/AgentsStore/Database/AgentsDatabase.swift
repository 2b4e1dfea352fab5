import Foundation
import GRDB
import Logging
import Synchronization

/// The SQLite database (GRDB `DatabasePool` in WAL mode) that holds sessions, run records and the response cache.
///
/// Open it with ``open(at:configuration:logger:)``: one pool is shared by every caller in the process that opens
/// the same file, so many sessions use one writer connection and several readers. Other processes can open the
/// same file at the same time; writes use `BEGIN IMMEDIATE` and wait up to ``Configuration/busyTimeout`` for the
/// lock. Every write is one transaction, so a process killed at any point leaves the file readable and keeps
/// only whole writes.
public final class AgentsDatabase: Sendable {
  /// How the database is opened.
  @MemberwiseInit
  public struct Configuration: Sendable, Hashable {
    /// How long a write waits for another process to release the lock before failing with ``StoreError/Code/busy``.
    public var busyTimeout: Duration = .seconds(30)
    /// The most reader connections the pool keeps open.
    public var maximumReaderCount: Int = 4
  }

  /// The absolute path of the database file.
  public let path: String
  let pool: DatabasePool
  let logger: Logger

  private init(path: String, pool: DatabasePool, logger: Logger) {
    self.path = path
    self.pool = pool
    self.logger = logger
  }

  /// Opens (creating and migrating if needed) the database at `path`, or returns the instance this process
  /// already has open for that file.
  ///
  /// A new file is created readable and writable by the current user only. The configuration of the first
  /// opener wins while that instance is alive.
  public static func open(
    at path: String,
    configuration: Configuration = Configuration(),
    logger: Logger = Logger(label: "ollama-agents.store")
  ) throws(StoreError) -> AgentsDatabase {
    let absolutePath = DataDirectory.absolute(path, home: ProcessInfo.processInfo.environment["HOME"])
    return try openDatabases.withLock { (open: inout [String: WeakDatabase]) throws(StoreError) -> AgentsDatabase in
      if let existing = open[absolutePath]?.database { return existing }
      let database = try connect(absolutePath, configuration: configuration, logger: logger)
      open[absolutePath] = WeakDatabase(database: database)
      return database
    }
  }

  /// Opens the database in `directory`, creating the directory first if needed.
  public static func open(
    in directory: DataDirectory,
    configuration: Configuration = Configuration(),
    logger: Logger = Logger(label: "ollama-agents.store")
  ) throws(StoreError) -> AgentsDatabase {
    try directory.create()
    return try open(at: directory.databasePath, configuration: configuration, logger: logger)
  }

  /// Opens the database in the data directory resolved from the environment (see ``DataDirectory/resolve(environment:)``).
  public static func openDefault(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    configuration: Configuration = Configuration(),
    logger: Logger = Logger(label: "ollama-agents.store")
  ) throws(StoreError) -> AgentsDatabase {
    let directory = try DataDirectory.resolve(environment: environment)
    logger.debug(
      "resolved the data directory", metadata: ["path": "\(directory.path)", "from": "\(directory.source.rawValue)"])
    return try open(in: directory, configuration: configuration, logger: logger)
  }

  /// The schema version recorded in the file.
  public func schemaVersion() async throws -> Int {
    try await read("reading the schema version") { db in try StoreSchema.version(db) }
  }

  /// Runs SQLite's `PRAGMA integrity_check` and returns its findings; `["ok"]` means the file is sound.
  public func integrityCheck() async throws -> [String] {
    try await read("checking integrity") { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
  }

  /// Checks that the database can be written now, with a real committed write (it rewrites the schema version
  /// with its own value, so nothing changes), before a caller relies on saving something: a read-only file
  /// system, a file the user cannot write, or a full disk fail here instead of after a model has answered.
  ///
  /// - Throws: ``StoreError`` naming the cause (``StoreError/Code/readOnly``, ``StoreError/Code/diskFull``, …).
  public func checkWritable() throws(StoreError) {
    do {
      try pool.write { db in
        let version = try StoreSchema.version(db)
        try db.execute(sql: "PRAGMA user_version = \(version)")
      }
    } catch {
      throw StoreError(wrapping: error, while: "checking that it can be written", path: path)
    }
  }

  /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`), mapping SQLite failures to ``StoreError``.
  func write<T: Sendable>(_ action: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
    do {
      return try await pool.write(body)
    } catch {
      throw StoreError(wrapping: error, while: action, path: path)
    }
  }

  /// Runs `body` on a reader connection, mapping SQLite failures to ``StoreError``.
  func read<T: Sendable>(_ action: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
    do {
      return try await pool.read(body)
    } catch {
      throw StoreError(wrapping: error, while: action, path: path)
    }
  }

  private static func connect(
    _ path: String, configuration: Configuration, logger: Logger
  ) throws(StoreError) -> AgentsDatabase {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
      throw StoreError(
        .notADatabase,
        "\(path) is a directory, not a database; move it away to start a fresh store, or set AGENTS_HOME to "
          + "another directory")
    }
    createPrivateFileIfMissing(path)
    var grdb = GRDB.Configuration()
    grdb.busyMode = .timeout(configuration.busyTimeout.timeInterval)
    grdb.maximumReaderCount = max(1, configuration.maximumReaderCount)
    grdb.label = "ollama-agents.store"
    let deadline = ContinuousClock.now + configuration.busyTimeout
    while true {
      do {
        let pool = try DatabasePool(path: path, configuration: grdb)
        let applied = try pool.barrierWriteWithoutTransaction { db in try StoreSchema.migrate(db, path: path) }
        for migration in applied {
          logger.debug(
            "migrated the store schema",
            metadata: ["path": "\(path)", "version": "\(migration.version)", "adds": "\(migration.summary)"])
        }
        logger.debug("opened the store", metadata: ["path": "\(path)", "schema": "\(StoreSchema.latestVersion)"])
        return AgentsDatabase(path: path, pool: pool, logger: logger)
      } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && ContinuousClock.now < deadline {
        // Processes opening a new store at once race to switch it to WAL; SQLite reports the loser busy at once,
        // without its busy handler (seen in CI: one of twenty writers failed after 12 s, well inside the 30 s
        // timeout). Try again shortly, until the busy timeout.
        usleep(UInt32.random(in: 10_000...50_000))
        logger.debug(
          "the store was busy while opening; trying again", metadata: ["path": "\(path)", "error": "\(error)"])
      } catch {
        throw StoreError(wrapping: error, while: "opening the database", path: path)
      }
    }
  }

  /// Creates an empty file with mode 0600 so that SQLite (which copies the mode to its `-wal` and `-shm`
  /// files) keeps conversations private. An existing file is left alone; a failure here surfaces when SQLite
  /// itself opens the path.
  private static func createPrivateFileIfMissing(_ path: String) {
    let descriptor = Foundation.open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
    if descriptor >= 0 { close(descriptor) }
  }
}

/// A weak reference to an open database, so the registry does not keep closed databases alive.
private struct WeakDatabase: Sendable {
  weak let database: AgentsDatabase?
}

/// The databases this process has open, keyed by absolute path.
private let openDatabases = Mutex<[String: WeakDatabase]>([:])

extension StoreError {
  /// Maps a GRDB or SQLite failure to a store error that names the file and the action.
  init(wrapping error: any Error, while action: String, path: String) {
    if let error = error as? StoreError {
      self = error
      return
    }
    guard let sqlite = error as? DatabaseError else {
      self.init(.sqlite, "failed while \(action) in \(path): \(error)")
      return
    }
    let detail = sqlite.message ?? "\(sqlite.resultCode)"
    switch sqlite.resultCode {
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      self.init(
        .busy,
        "the database \(path) stayed locked by another process while \(action); "
          + "retry, or find and stop the process that holds it (\(detail))")
    case .SQLITE_NOTADB, .SQLITE_CORRUPT:
      self.init(
        .notADatabase,
        "\(path) is not a readable SQLite database (\(detail)) while \(action); "
          + "move the file away to start a fresh store, or set AGENTS_HOME to another directory")
    case .SQLITE_READONLY, .SQLITE_PERM:
      self.init(
        .readOnly,
        "cannot write the database \(path) while \(action): it or its directory is read-only (\(detail)); "
          + "make the directory writable, or set AGENTS_HOME to a writable directory")
    case .SQLITE_FULL:
      self.init(
        .diskFull,
        "cannot write the database \(path) while \(action): the disk is full (\(detail)); "
          + "free some space, or set AGENTS_HOME to a directory on another disk")
    case .SQLITE_CANTOPEN, .SQLITE_IOERR:
      let cause = Self.fileSystemCause(directory: (path as NSString).deletingLastPathComponent)
      self.init(
        cause?.code ?? .cannotOpen,
        "cannot use the database \(path) while \(action) (\(cause?.reason ?? detail)); "
          + (cause?.fix ?? "check that the directory exists, is writable and has free space"))
    default:
      self.init(.sqlite, "SQLite failed while \(action) in \(path): \(detail)")
    }
  }
}

extension StoreError {
  /// Why SQLite could not open or write a file in `directory`, when the file system tells: a read-only file
  /// system or directory, or no free space (SQLite itself reports both as "unable to open" or an I/O error).
  static func fileSystemCause(directory: String) -> (code: Code, reason: String, fix: String)? {
    var info = statvfs()
    if statvfs(directory, &info) == 0 {
      if info.f_flag & UInt(ST_RDONLY) != 0 {
        return (
          .readOnly, "the file system holding \(directory) is mounted read-only",
          "set AGENTS_HOME to a directory on a writable file system")
      }
      if info.f_bavail == 0 {
        return (.diskFull, "the disk holding \(directory) is full", "free some space, or set AGENTS_HOME to another disk")
      }
    }
    if access(directory, W_OK) != 0, errno != ENOENT {
      return (
        .readOnly, "the directory \(directory) is not writable (\(String(cString: strerror(errno))))",
        "make it writable, or set AGENTS_HOME to a writable directory")
    }
    return nil
  }
}

extension Duration {
  /// The duration in seconds as a floating-point number.
  package var timeInterval: TimeInterval {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }

  /// The duration in milliseconds as a floating-point number (how every store keeps durations).
  package var milliseconds: Double { timeInterval * 1000 }
}
