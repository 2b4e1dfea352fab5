import Foundation

/// Replays saved inputs through a fuzz property in a normal (non-fuzzer) build.
enum FuzzReplay {
  /// Runs `property` on each named file and on every file of each named directory; returns the exit status.
  static func replay(arguments: [String], _ property: ([UInt8]) -> Void) -> Int32 {
    let name = CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent } ?? "fuzz target"
    guard !arguments.isEmpty, !arguments.contains(where: { $0.hasPrefix("-") }) else {
      FileHandle.standardError.write(
        Data(
          ("usage: \(name) FILE|DIRECTORY...\n"
            + "Replays saved inputs (corpus files, crash artifacts) through the target's properties. This is the "
            + "replay build; scripts/fuzz builds the libFuzzer version, which takes libFuzzer's options.\n").utf8))
      return 2
    }
    var count = 0
    for path in arguments {
      for file in files(at: path) {
        guard let data = FileManager.default.contents(atPath: file) else {
          FileHandle.standardError.write(Data("\(name): cannot read \(file); check the path and permissions\n".utf8))
          return 1
        }
        property([UInt8](data))
        count += 1
      }
    }
    print("\(name): \(count) input(s) replayed; every property held")
    return 0
  }

  /// The regular files at `path`: the file itself, or a directory's files in name order.
  private static func files(at path: String) -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
      return [path]
    }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    return names.sorted().map { (path as NSString).appendingPathComponent($0) }
  }
}
