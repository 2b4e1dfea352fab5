/// Access to the files under one root directory, for the coding assistant's tools.
///
/// Every path is taken relative to the root, resolved to its canonical form (following `..` and
/// symbolic links) and refused unless the result is the root or lies inside it. Absolute paths are
/// refused outright. Files are read only when they are regular files within the size limit and are
/// UTF-8 text. Writing (``write(_:to:)``) is confined the same way and replaces files atomically; nothing here
/// deletes or runs anything.
public struct WorkspaceSandbox: Sendable {
  /// Limits on what the tools return.
  @MemberwiseInit
  public struct Configuration: Sendable, Hashable {
    /// The largest file `readFile` and `search` will open, in bytes.
    public var maximumFileBytes: Int = 256 * 1024
    /// The most entries `listFiles` returns.
    public var maximumListEntries: Int = 500
    /// The deepest directory level a recursive listing or a search descends to.
    public var maximumDepth: Int = 12
    /// The most matches `search` returns.
    public var maximumSearchResults: Int = 50
    /// The most files `search` opens before it stops.
    public var maximumSearchedFiles: Int = 5_000
    /// Directory names skipped by recursive listings and searches (build output and VCS data).
    public var skippedDirectories: Set<String> = [
      ".git", ".build", ".swiftpm", "node_modules", "DerivedData", ".hg", ".svn",
    ]
  }

  /// A path inside the workspace.
  public struct ResolvedPath: Sendable, Hashable {
    /// The canonical absolute path.
    public var absolute: String
    /// The path relative to the root (`.` for the root itself).
    public var relative: String
  }

  /// The canonical absolute path of the root directory.
  public let root: String
  /// The limits in force.
  public let configuration: Configuration

  /// Opens a workspace rooted at `root`.
  ///
  /// - Throws: ``WorkspaceError`` with code `rootUnavailable` when the root is not an existing directory.
  public init(root: String, configuration: Configuration = Configuration()) throws(WorkspaceError) {
    guard let canonical = FileSystemCalls.canonicalPath(root), FileSystemCalls.kind(at: canonical) == .directory
    else {
      throw WorkspaceError(.rootUnavailable, "the workspace root '\(root)' is not an existing directory")
    }
    self.root = canonical
    self.configuration = configuration
  }

  /// Resolves a path given relative to the root, refusing anything that ends up outside it.
  public func resolve(_ path: String) throws(WorkspaceError) -> ResolvedPath {
    let trimmed = path.trimmingWhitespace()
    guard !trimmed.isEmpty else {
      throw WorkspaceError(.invalidPath, "the path is empty; use '.' for the workspace root")
    }
    guard !trimmed.utf8.contains(0) else {
      throw WorkspaceError(.invalidPath, "the path contains a NUL byte")
    }
    guard !trimmed.hasPrefix("/"), !trimmed.hasPrefix("~") else {
      throw WorkspaceError(
        .absolutePath, "'\(trimmed)' is an absolute path; give a path relative to the workspace root, e.g. 'src/main.swift'")
    }
    let joined = root == "/" ? "/" + trimmed : root + "/" + trimmed
    guard let canonical = FileSystemCalls.canonicalPath(joined) else {
      // Judge a missing target by its deepest existing ancestor, so a link out of the root is refused
      // as such even when the file behind it does not exist.
      if let ancestor = Self.deepestExistingAncestor(of: joined), relativePath(of: ancestor) == nil {
        throw WorkspaceError(.outsideRoot, "'\(trimmed)' is outside the workspace; only files under the root can be read")
      }
      throw WorkspaceError(.notFound, "'\(trimmed)' does not exist in the workspace; list the files to see what is there")
    }
    guard let relative = relativePath(of: canonical) else {
      throw WorkspaceError(
        .outsideRoot,
        "'\(trimmed)' resolves outside the workspace (through '..' or a symbolic link); only files under the root can be read")
    }
    return ResolvedPath(absolute: canonical, relative: relative)
  }

  /// The path of `canonical` relative to the root, or `nil` when it is outside.
  func relativePath(of canonical: String) -> String? {
    if canonical == root { return "." }
    let prefix = root == "/" ? "/" : root + "/"
    guard canonical.hasPrefix(prefix) else { return nil }
    return String(canonical.dropFirst(prefix.count))
  }

  /// The canonical path of the nearest ancestor of `path` that exists.
  static func deepestExistingAncestor(of path: String) -> String? {
    var current = Substring(path)
    while let slash = current.lastIndex(of: "/") {
      current = current[..<slash]
      if current.isEmpty { return "/" }
      if let canonical = FileSystemCalls.canonicalPath(String(current)) { return canonical }
    }
    return nil
  }
}
