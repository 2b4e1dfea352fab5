/// One entry of a directory listing.
public struct WorkspaceEntry: Sendable, Hashable {
  /// What kind of item it is.
  public enum Kind: String, Sendable, Hashable {
    case file, directory, symbolicLink = "symlink", other
  }

  /// The path relative to the workspace root.
  public var path: String
  /// What kind of item it is.
  public var kind: Kind
  /// The size in bytes, for files.
  public var size: Int?
}

/// A directory listing, possibly cut short at the entry limit.
public struct WorkspaceListing: Sendable, Hashable {
  /// The entries, directories before their contents, in name order.
  public var entries: [WorkspaceEntry]
  /// Whether entries were left out because of the limit.
  public var truncated: Bool
}

/// Text read from a workspace file.
public struct WorkspaceFileText: Sendable, Hashable {
  /// The path relative to the workspace root.
  public var path: String
  /// The selected lines, without their line terminators.
  public var lines: [String]
  /// The 1-based number of the first selected line.
  public var firstLine: Int
  /// The number of lines in the whole file.
  public var totalLines: Int
}

extension WorkspaceSandbox {
  /// Lists a directory (the root by default), descending into subdirectories when `recursive`.
  ///
  /// Symbolic links are listed but never followed, so a listing cannot leave the workspace or loop.
  public func listFiles(_ path: String = ".", recursive: Bool = false) throws(WorkspaceError) -> WorkspaceListing {
    let directory = try resolve(path)
    guard FileSystemCalls.kind(at: directory.absolute) == .directory else {
      throw WorkspaceError(.notADirectory, "'\(path)' is a file, not a directory; read it instead")
    }
    var listing = WorkspaceListing(entries: [], truncated: false)
    try walk(directory, depth: 0, recursive: recursive) { entry, _ in
      guard listing.entries.count < configuration.maximumListEntries else {
        listing.truncated = true
        return false
      }
      listing.entries.append(entry)
      return true
    }
    return listing
  }

  /// Reads a UTF-8 text file, optionally only lines `startLine...endLine` (1-based, inclusive).
  ///
  /// - Throws: ``WorkspaceError`` for paths outside the root, directories, files over the size
  ///   limit, binary files and invalid line ranges.
  public func readFile(_ path: String, startLine: Int? = nil, endLine: Int? = nil) throws(WorkspaceError)
    -> WorkspaceFileText
  {
    let file = try resolve(path)
    let text = try readText(file, displayPath: path)
    var lines = Self.lines(of: text).map(String.init)
    if text.hasSuffix("\n") || text.hasSuffix("\r\n") { lines.removeLast() }
    let first = startLine ?? 1
    let last = min(endLine ?? lines.count, lines.count)
    guard first >= 1, endLine.map({ $0 >= first }) ?? true else {
      throw WorkspaceError(
        .invalidArgument, "invalid line range \(first)–\(endLine.map(String.init) ?? "end"); lines start at 1 and the end must not precede the start")
    }
    guard first <= max(lines.count, 1) else {
      throw WorkspaceError(
        .invalidArgument, "'\(file.relative)' has only \(lines.count) lines; start_line \(first) is past the end")
    }
    let selected = lines.isEmpty ? [] : Array(lines[(first - 1)..<last])
    return WorkspaceFileText(path: file.relative, lines: selected, firstLine: first, totalLines: lines.count)
  }

  /// Splits text at LF and CRLF (a CRLF pair is one `Character` in Swift, so it is matched as such).
  static func lines(of text: String) -> [Substring] {
    text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
  }

  /// Reads a resolved file as UTF-8 text, enforcing the size limit and refusing binary content.
  func readText(_ file: ResolvedPath, displayPath: String) throws(WorkspaceError) -> String {
    switch FileSystemCalls.readRegularFile(file.absolute, limit: configuration.maximumFileBytes) {
    case .bytes(let bytes):
      guard !bytes.prefix(8192).contains(0), let text = String(validating: bytes, as: UTF8.self) else {
        throw WorkspaceError(.binaryFile, "'\(file.relative)' is a binary file; only text files can be read")
      }
      return text
    case .tooLarge(let size):
      throw WorkspaceError(
        .fileTooLarge,
        "'\(file.relative)' is \(size) bytes, over the \(configuration.maximumFileBytes)-byte limit; search it for the lines you need instead")
    case .notRegularFile:
      if FileSystemCalls.kind(at: file.absolute) == .directory {
        throw WorkspaceError(.notAFile, "'\(displayPath)' is a directory; list it instead")
      }
      throw WorkspaceError(.notAFile, "'\(displayPath)' is not a regular file")
    case .failed(let code):
      throw WorkspaceError(.unreadable, "'\(file.relative)' cannot be read: \(FileSystemCalls.describe(errno: code))")
    }
  }

  /// Visits the entries under `directory` depth-first in name order, calling `visit` until it returns false.
  ///
  /// Skipped directories (``Configuration/skippedDirectories``) are reported but not entered;
  /// symbolic links are reported and never followed.
  func walk(
    _ directory: ResolvedPath, depth: Int, recursive: Bool,
    visit: (WorkspaceEntry, _ absolutePath: String) throws(WorkspaceError) -> Bool
  ) throws(WorkspaceError) {
    guard let names = FileSystemCalls.directoryEntries(directory.absolute) else {
      if depth == 0 {
        throw WorkspaceError(.unreadable, "the directory '\(directory.relative)' cannot be read")
      }
      return
    }
    for name in names {
      let absolute = directory.absolute == "/" ? "/" + name : directory.absolute + "/" + name
      let relative = directory.relative == "." ? name : directory.relative + "/" + name
      let entry: WorkspaceEntry
      switch FileSystemCalls.kind(at: absolute) {
      case .file(let size): entry = WorkspaceEntry(path: relative, kind: .file, size: size)
      case .directory: entry = WorkspaceEntry(path: relative, kind: .directory)
      case .symbolicLink: entry = WorkspaceEntry(path: relative, kind: .symbolicLink)
      case .other: entry = WorkspaceEntry(path: relative, kind: .other)
      case nil: continue
      }
      guard try visit(entry, absolute) else { return }
      if recursive, entry.kind == .directory, depth + 1 < configuration.maximumDepth,
        !configuration.skippedDirectories.contains(name)
      {
        var stopped = false
        try walk(ResolvedPath(absolute: absolute, relative: relative), depth: depth + 1, recursive: true) {
          (child, path) throws(WorkspaceError) in
          let keepGoing = try visit(child, path)
          if !keepGoing { stopped = true }
          return keepGoing
        }
        if stopped { return }
      }
    }
  }
}
