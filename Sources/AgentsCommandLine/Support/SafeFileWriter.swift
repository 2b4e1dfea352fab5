import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
#if canImport(CDispatch)
  // On Linux, glibc's `struct stat` belongs to whichever module loaded <sys/stat.h> first; with Hummingbird in the
  // graph that is CDispatch, and member lookups (`st_mode`) need it imported.
  import CDispatch
#endif

/// Writes a file the user named (chat's `/save`) without destroying anything they did not mean to replace.
///
/// The new content goes to a temporary file in the same directory, is flushed to disk, and then takes the
/// target's name in one step: with `link(2)` when the target is absent (so a file created meanwhile is never
/// replaced), with `rename(2)` when it is a regular file and `replacing` is true (keeping its permissions).
/// Anything else is refused with a message that says what the path is: an existing file without consent, a
/// symbolic link, a directory, a FIFO, a device or a socket. A reader never sees a half-written file, and a
/// failed write leaves the target as it was.
package enum SafeFileWriter {
  /// What the path currently is.
  enum Target: Equatable {
    case absent
    case regularFile(mode: mode_t)
    case other(String)
  }

  /// Writes `data` to `path` (`~` expanded); returns the absolute path written.
  ///
  /// - Throws: ``AppError`` `invalid_input` saying why nothing was written.
  @discardableResult
  package static func write(_ data: Data, to path: String, replacing: Bool) throws(AppError) -> String {
    let target = URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL.path
    let kind = try inspect(target)
    switch kind {
    case .other(let what):
      throw AppError(
        .invalidInput, "'\(target)' is \(what), not a regular file; nothing was written",
        fix: "save to a regular file's path")
    case .regularFile where !replacing:
      throw AppError(
        .invalidInput, "'\(target)' already exists; nothing was written",
        fix: "use /save! \(path) to replace it, or choose another name")
    case .absent, .regularFile:
      break
    }
    let directory = (target as NSString).deletingLastPathComponent
    var template = Array((directory + "/.agents-save-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else { throw failure(target, errno) }
    let temporary = String(cString: template)
    var removeTemporary = true
    defer { if removeTemporary { unlink(temporary) } }
    if case .regularFile(let mode) = kind { fchmod(descriptor, mode & 0o7777) } else { fchmod(descriptor, 0o644) }
    let file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    do {
      try file.write(contentsOf: data)
      try file.synchronize()
      try file.close()
    } catch {
      throw AppError(
        .invalidInput, "cannot write '\(target)': \(error.localizedDescription); nothing was written",
        fix: "check the free space and permissions of its directory")
    }
    if kind == .absent {
      guard link(temporary, target) == 0 else {
        if errno == EEXIST {
          throw AppError(.invalidInput, "'\(target)' appeared while saving; nothing was replaced", fix: "try again")
        }
        throw failure(target, errno)
      }
    } else {
      guard rename(temporary, target) == 0 else { throw failure(target, errno) }
      removeTemporary = false
    }
    return target
  }

  static func inspect(_ path: String) throws(AppError) -> Target {
    var info = stat()
    guard lstat(path, &info) == 0 else {
      if errno == ENOENT { return .absent }
      throw failure(path, errno)
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return .regularFile(mode: info.st_mode)
    case S_IFLNK: return .other("a symbolic link")
    case S_IFDIR: return .other("a directory")
    case S_IFIFO: return .other("a FIFO (named pipe)")
    case S_IFCHR, S_IFBLK: return .other("a device")
    case S_IFSOCK: return .other("a socket")
    default: return .other("not a file")
    }
  }

  private static func failure(_ path: String, _ code: Int32) -> AppError {
    AppError(
      .invalidInput, "cannot write '\(path)': \(String(cString: strerror(code))); nothing was written",
      fix: "choose a path in a writable directory")
  }
}
