import Foundation

/// The directory where ollama-agents keeps everything it stores on the user's machine.
///
/// Resolution order: `AGENTS_HOME` if set; otherwise `$XDG_DATA_HOME/ollama-agents` when `XDG_DATA_HOME` is an
/// absolute path (the XDG specification says relative values are ignored); otherwise
/// `~/.local/share/ollama-agents`.
public struct DataDirectory: Sendable, Hashable, CustomStringConvertible {
  /// The file name of the SQLite database inside the directory.
  public static let databaseFileName = "agents.sqlite"
  /// The name of the directory under `XDG_DATA_HOME` or `~/.local/share`.
  public static let applicationDirectoryName = "ollama-agents"

  /// What decided the directory, for diagnostics (`agents doctor`, debug logs).
  public enum Source: String, Sendable, Hashable {
    /// The `AGENTS_HOME` environment variable.
    case agentsHome = "AGENTS_HOME"
    /// The `XDG_DATA_HOME` environment variable.
    case xdgDataHome = "XDG_DATA_HOME"
    /// The default under `HOME`.
    case home = "HOME"
    /// A path given by the caller.
    case explicit
  }

  /// The absolute path of the directory.
  public var path: String
  /// What decided the directory.
  public var source: Source

  /// Uses `path` as the data directory; a relative path is taken relative to the current directory.
  public init(path: String) {
    self.path = DataDirectory.absolute(path, home: ProcessInfo.processInfo.environment["HOME"])
    self.source = .explicit
  }

  /// Resolves the data directory from environment variables (the process environment by default).
  public static func resolve(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(StoreError) -> DataDirectory {
    let home = nonEmpty(environment["HOME"])
    if let explicit = nonEmpty(environment["AGENTS_HOME"]) {
      return DataDirectory(resolved: absolute(explicit, home: home), source: .agentsHome)
    }
    if let xdg = nonEmpty(environment["XDG_DATA_HOME"]), xdg.hasPrefix("/") {
      return DataDirectory(resolved: join(xdg, applicationDirectoryName), source: .xdgDataHome)
    }
    if let home {
      return DataDirectory(resolved: join(join(home, ".local/share"), applicationDirectoryName), source: .home)
    }
    throw StoreError(
      .noDataDirectory,
      "cannot find a data directory: AGENTS_HOME, XDG_DATA_HOME and HOME are all unset; "
        + "set AGENTS_HOME to the directory where ollama-agents should keep its data"
    )
  }

  /// The path of the SQLite database file.
  public var databasePath: String { DataDirectory.join(path, DataDirectory.databaseFileName) }

  /// The directory path.
  public var description: String { path }

  /// Creates the directory (and its parents) if needed, readable only by the current user.
  public func create() throws(StoreError) {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw StoreError(
          .cannotCreateDirectory,
          "the data directory \(path) exists but is a file; move it away or set AGENTS_HOME to another directory")
      }
      return
    }
    do {
      try manager.createDirectory(
        atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw StoreError(
        .cannotCreateDirectory,
        "cannot create the data directory \(path) (\(error.localizedDescription)); "
          + "check its parent's permissions or set AGENTS_HOME to a writable directory")
    }
  }

  private init(resolved: String, source: Source) {
    self.path = resolved
    self.source = source
  }

  private static func nonEmpty(_ value: String?) -> String? {
    guard let value, !value.isEmpty else { return nil }
    return value
  }

  static func absolute(_ path: String, home: String?) -> String {
    var expanded = path
    if let home, expanded == "~" || expanded.hasPrefix("~/") {
      expanded = home + expanded.dropFirst()
    }
    if !expanded.hasPrefix("/") {
      expanded = join(FileManager.default.currentDirectoryPath, expanded)
    }
    return URL(fileURLWithPath: expanded).standardizedFileURL.path
  }

  private static func join(_ directory: String, _ component: String) -> String {
    directory.hasSuffix("/") ? directory + component : directory + "/" + component
  }
}
