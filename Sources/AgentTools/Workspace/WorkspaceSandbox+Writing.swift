#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file the workspace would write: where, and what is there now.
public struct WorkspaceWriteTarget: Sendable, Hashable {
  /// The path relative to the workspace root, as it will be written.
  public var path: String
  /// The absolute path.
  var absolute: String
  /// The file's current text, or `nil` when it does not exist yet.
  public var currentText: String?
}

extension WorkspaceSandbox {
  /// Where a write of `path` would go, refusing paths outside the root, paths through `..`, symbolic links,
  /// directories, special files, binary files and version-control or skipped directories (a tool writing into
  /// `.git` could plant a hook that runs later).
  public func writeTarget(_ path: String) throws(WorkspaceError) -> WorkspaceWriteTarget {
    let trimmed = path.trimmingWhitespace()
    guard !trimmed.isEmpty, !trimmed.utf8.contains(0), !trimmed.hasSuffix("/") else {
      throw WorkspaceError(.invalidPath, "'\(trimmed)' is not a file path; give a path like 'src/main.swift'")
    }
    guard !trimmed.hasPrefix("/"), !trimmed.hasPrefix("~") else {
      throw WorkspaceError(
        .absolutePath, "'\(trimmed)' is an absolute path; give a path relative to the workspace root, e.g. 'src/main.swift'")
    }
    let components = trimmed.split(separator: "/").filter { $0 != "." }
    guard !components.contains("..") else {
      throw WorkspaceError(.outsideRoot, "'\(trimmed)' goes through '..'; files can only be written under the workspace root")
    }
    if let skipped = components.dropLast().first(where: { configuration.skippedDirectories.contains(String($0)) }) {
      throw WorkspaceError(.invalidPath, "'\(trimmed)' is inside '\(skipped)', which the tools do not write to")
    }
    let relative = components.joined(separator: "/")
    let absolute = (root == "/" ? "" : root) + "/" + relative
    // Every existing directory on the way must resolve inside the root (a symbolic link could lead out).
    var directory = root
    walk: for component in components.dropLast() {
      directory += "/" + component
      switch FileSystemCalls.kind(at: directory) {
      case nil:
        break walk  // created when written
      case .directory:
        continue
      case .symbolicLink:
        guard let canonical = FileSystemCalls.canonicalPath(directory), relativePath(of: canonical) != nil,
          FileSystemCalls.kind(at: canonical) == .directory
        else {
          throw WorkspaceError(.outsideRoot, "'\(trimmed)' leads outside the workspace through a symbolic link")
        }
      case .file, .other:
        throw WorkspaceError(.notADirectory, "'\(trimmed)' needs '\(component)' to be a directory, but it is a file")
      }
    }
    switch FileSystemCalls.kind(at: absolute) {
    case nil:
      return WorkspaceWriteTarget(path: relative, absolute: absolute, currentText: nil)
    case .file:
      let text = try readText(ResolvedPath(absolute: absolute, relative: relative), displayPath: relative)
      return WorkspaceWriteTarget(path: relative, absolute: absolute, currentText: text)
    case .directory:
      throw WorkspaceError(.notAFile, "'\(trimmed)' is a directory; give the path of a file")
    case .symbolicLink:
      throw WorkspaceError(.notAFile, "'\(trimmed)' is a symbolic link; the tools write regular files only")
    case .other:
      throw WorkspaceError(.notAFile, "'\(trimmed)' is not a regular file")
    }
  }

  /// Writes `text` to `target` (from ``writeTarget(_:)``): creates missing directories, writes a temporary file
  /// next to it, flushes it to disk and renames it over the old file, so a failed write leaves the old file
  /// whole. An existing file keeps its permissions; a new one gets 0644.
  ///
  /// - Throws: ``WorkspaceError`` `unwritable` with the system's reason, or the refusals of ``writeTarget(_:)``
  ///   when the file changed kind since it was checked.
  public func write(_ text: String, to target: WorkspaceWriteTarget) throws(WorkspaceError) {
    let bytes = Array(text.utf8)
    guard bytes.count <= configuration.maximumFileBytes else {
      throw WorkspaceError(
        .fileTooLarge, "the new '\(target.path)' would be \(bytes.count) bytes, over the \(configuration.maximumFileBytes)-byte limit")
    }
    let checked = try writeTarget(target.path)  // again, right before writing
    var mode: mode_t = 0o644
    var info = stat()
    if lstat(checked.absolute, &info) == 0 { mode = info.st_mode & 0o7777 }
    try makeDirectories(for: checked)
    let temporary = checked.absolute + ".agents-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
    guard descriptor >= 0 else { throw unwritable(checked.path) }
    guard FileSystemCalls.writeAll(bytes, to: descriptor) else {
      let error = unwritable(checked.path)
      close(descriptor)
      unlink(temporary)
      throw error
    }
    guard fsync(descriptor) == 0, close(descriptor) == 0 else {
      let error = unwritable(checked.path)
      unlink(temporary)
      throw error
    }
    guard rename(temporary, checked.absolute) == 0 else {
      let error = unwritable(checked.path)
      unlink(temporary)
      throw error
    }
  }

  private func makeDirectories(for target: WorkspaceWriteTarget) throws(WorkspaceError) {
    var directory = root
    for component in target.path.split(separator: "/").dropLast() {
      directory += "/" + component
      if FileSystemCalls.kind(at: directory) == nil, mkdir(directory, 0o755) != 0, errno != EEXIST {
        throw unwritable(target.path)
      }
    }
  }

  private func unwritable(_ path: String) -> WorkspaceError {
    WorkspaceError(.unwritable, "'\(path)' cannot be written: \(FileSystemCalls.describe(errno: errno))")
  }
}

extension FileSystemCalls {
  /// Writes all of `bytes` to `descriptor`, retrying after interruptions; `false` with `errno` set on failure.
  static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
    var written = 0
    while written < bytes.count {
      let count = bytes.withUnsafeBytes { buffer in write(descriptor, buffer.baseAddress! + written, buffer.count - written) }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { return false }
      written += count
    }
    return true
  }
}
