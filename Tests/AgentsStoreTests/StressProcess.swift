import Foundation
import Synchronization

/// A running `AgentsStoreStress` child process whose standard output is read line by line.
final class StressProcess: Sendable {
  private let process: Process
  /// The child's standard output lines, as they arrive.
  let lines: AsyncStream<String>
  private let termination: AsyncStream<Int32>
  private let errors = LockedData()

  /// Locates the helper binary built next to the test bundle (or named by `AGENTS_STORE_STRESS`).
  static func executable() throws -> URL {
    let environment = ProcessInfo.processInfo.environment
    var candidates: [URL] = []
    if let explicit = environment["AGENTS_STORE_STRESS"] { candidates.append(URL(fileURLWithPath: explicit)) }
    if let runner = Bundle.main.executableURL { candidates.append(runner.deletingLastPathComponent()) }
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
      candidates.append(bundle.bundleURL.deletingLastPathComponent())
    }
    candidates.append(URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent())
    for candidate in candidates {
      let binary = candidate.lastPathComponent == "AgentsStoreStress"
        ? candidate : candidate.appendingPathComponent("AgentsStoreStress")
      if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
    }
    throw TestFailure(
      "AgentsStoreStress was not found next to the test runner (looked in \(candidates.map(\.path))); "
        + "run `swift build --target AgentsStoreStress` or set AGENTS_STORE_STRESS")
  }

  /// Starts the helper with `arguments`.
  init(_ arguments: [String]) throws {
    process = Process()
    process.executableURL = try StressProcess.executable()
    process.arguments = arguments
    let output = Pipe()
    let errorOutput = Pipe()
    process.standardOutput = output
    process.standardError = errorOutput
    process.standardInput = FileHandle.nullDevice

    let (lines, lineSink) = AsyncStream.makeStream(of: String.self)
    self.lines = lines
    let (termination, terminationSink) = AsyncStream.makeStream(of: Int32.self)
    self.termination = termination
    let errors = self.errors
    let buffer = LockedData()
    output.fileHandleForReading.readabilityHandler = { handle in
      let chunk = handle.availableData
      if chunk.isEmpty {
        handle.readabilityHandler = nil
        lineSink.finish()
        return
      }
      let complete: [String] = buffer.mutex.withLock { pending in
        pending.append(chunk)
        var found: [String] = []
        while let newline = pending.firstIndex(of: 0x0A) {
          found.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
          pending.removeSubrange(pending.startIndex...newline)
        }
        return found
      }
      for line in complete { lineSink.yield(line) }
    }
    errorOutput.fileHandleForReading.readabilityHandler = { handle in
      let chunk = handle.availableData
      if chunk.isEmpty { handle.readabilityHandler = nil } else { errors.mutex.withLock { $0.append(chunk) } }
    }
    process.terminationHandler = { process in
      terminationSink.yield(process.terminationStatus)
      terminationSink.finish()
    }
    try process.run()
  }

  /// Kills the child at once with SIGKILL.
  func kill() {
    _ = Foundation.kill(process.processIdentifier, SIGKILL)
  }

  /// Waits for the child to exit and returns its status (the signal number when it was killed).
  func exitStatus() async -> Int32 {
    for await status in termination { return status }
    return process.terminationStatus
  }

  /// What the child wrote to standard error so far.
  var standardError: String { errors.mutex.withLock { String(decoding: $0, as: UTF8.self) } }
}

/// Bytes shared between a pipe's reading handler and the test.
final class LockedData: Sendable {
  let mutex = Mutex(Data())
}

/// A test-side failure with a message.
struct TestFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
