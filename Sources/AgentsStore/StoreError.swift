/// An error from the local store: what happened, and what to do about it.
///
/// Compare ``code`` against the static constants (`error.code == .busy`); new codes can be added without
/// breaking callers. The message never contains item contents or secrets, only paths, identifiers and
/// the database's own diagnostics (SQLite's, or PostgreSQL's message and SQLSTATE).
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The kind of failure, comparable against the static constants.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Base: String, Hashable, Sendable {
      case noDataDirectory = "no_data_directory"
      case cannotCreateDirectory = "cannot_create_directory"
      case cannotOpen = "cannot_open"
      case notADatabase = "not_a_database"
      case newerSchema = "newer_schema"
      case readOnly = "read_only"
      case diskFull = "disk_full"
      case busy
      case invalidArgument = "invalid_argument"
      case corruptItem = "corrupt_item"
      case encoding
      case sqlite
      case postgres
    }

    private let base: Base
    private init(_ base: Base) { self.base = base }

    /// No data directory could be found: `AGENTS_HOME`, `XDG_DATA_HOME` and `HOME` are all unset.
    public static let noDataDirectory = Code(.noDataDirectory)
    /// The data directory could not be created.
    public static let cannotCreateDirectory = Code(.cannotCreateDirectory)
    /// The database file could not be opened.
    public static let cannotOpen = Code(.cannotOpen)
    /// The file exists but is not an SQLite database.
    public static let notADatabase = Code(.notADatabase)
    /// The database or its directory cannot be written (read-only file system, file or directory permissions).
    public static let readOnly = Code(.readOnly)
    /// The disk (or the file system's quota) holding the database is full.
    public static let diskFull = Code(.diskFull)
    /// The database was written by a newer version of this package.
    public static let newerSchema = Code(.newerSchema)
    /// Another process held the database lock for longer than the busy timeout.
    public static let busy = Code(.busy)
    /// An argument was out of range (a negative limit, an empty session id, …).
    public static let invalidArgument = Code(.invalidArgument)
    /// A stored item is not valid JSON, or does not decode as the requested type.
    public static let corruptItem = Code(.corruptItem)
    /// A value could not be encoded for storage.
    public static let encoding = Code(.encoding)
    /// Any other SQLite failure.
    public static let sqlite = Code(.sqlite)
    /// Any other PostgreSQL failure.
    public static let postgres = Code(.postgres)

    /// The stable snake_case name of the code, safe for logs and metric dimensions.
    public var description: String { base.rawValue }
  }

  /// The kind of failure.
  public var code: Code
  /// A human sentence: what happened and what to do next.
  public var message: String

  /// Creates an error with a code and a message.
  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  /// The message prefixed by the code, for logs and terminal output.
  public var description: String { "store error (\(code)): \(message)" }
}
