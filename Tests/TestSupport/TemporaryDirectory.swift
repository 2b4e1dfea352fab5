import Foundation

/// A fresh directory under the system temporary directory, removed when the value is released.
package final class TemporaryDirectory: Sendable {
  /// The directory's absolute path.
  package let path: String

  /// Creates the directory.
  package init() throws {
    path = FileManager.default.temporaryDirectory.appendingPathComponent("agents-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// The path of `name` inside the directory.
  package func file(_ name: String) -> String { path + "/" + name }

  /// Writes `contents` to `relative`, creating its parent directories.
  package func write(_ relative: String, _ contents: String) throws {
    try write(relative, bytes: Array(contents.utf8))
  }

  /// Writes `bytes` to `relative`, creating its parent directories.
  package func write(_ relative: String, bytes: [UInt8]) throws {
    let url = URL(fileURLWithPath: path + "/" + relative)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
  }

  /// Creates a symbolic link at `relative` pointing to `destination`.
  package func link(_ relative: String, to destination: String) throws {
    try FileManager.default.createSymbolicLink(atPath: path + "/" + relative, withDestinationPath: destination)
  }
}
