#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Thin wrappers over the POSIX calls the workspace sandbox needs, so confinement is decided on
/// canonical paths and files are opened without following a final symbolic link.
enum FileSystemCalls {
  /// What is at a path, without following a final symbolic link.
  enum Kind: Sendable, Equatable {
    case file(size: Int)
    case directory
    case symbolicLink
    case other
  }

  /// The canonical absolute path (symbolic links, `.` and `..` resolved), or `nil` if it does not exist.
  static func canonicalPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// The kind of the item at `path`, or `nil` when nothing is there.
  static func kind(at path: String) -> Kind? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return kind(of: info)
  }

  /// The names in a directory, without `.` and `..`, sorted; `nil` when it cannot be read.
  static func directoryEntries(_ path: String) -> [String]? {
    guard let directory = opendir(path) else { return nil }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
        pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  /// The result of reading a regular file.
  enum ReadResult {
    case bytes([UInt8])
    case tooLarge(size: Int)
    case notRegularFile
    case failed(errno: Int32)
  }

  /// Reads a regular file of at most `limit` bytes, refusing a final symbolic link and special files.
  static func readRegularFile(_ path: String, limit: Int) -> ReadResult {
    let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else { return .failed(errno: errno) }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return .failed(errno: errno) }
    guard case .file(let size) = kind(of: info) else { return .notRegularFile }
    guard size <= limit else { return .tooLarge(size: size) }
    var bytes = [UInt8](repeating: 0, count: size + 1)
    var total = 0
    while total < bytes.count {
      let count = bytes.withUnsafeMutableBytes { buffer in
        read(descriptor, buffer.baseAddress! + total, buffer.count - total)
      }
      if count < 0 {
        if errno == EINTR { continue }
        return .failed(errno: errno)
      }
      if count == 0 { break }
      total += count
    }
    // The file grew past the limit while we read it.
    guard total <= limit else { return .tooLarge(size: total) }
    return .bytes(Array(bytes[..<total]))
  }

  /// The system's description of an `errno` value.
  static func describe(errno code: Int32) -> String {
    String(cString: strerror(code))
  }

  private static func kind(of info: stat) -> Kind {
    switch info.st_mode & S_IFMT {
    case S_IFREG: .file(size: Int(info.st_size))
    case S_IFDIR: .directory
    case S_IFLNK: .symbolicLink
    default: .other
    }
  }
}
