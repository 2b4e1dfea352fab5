import Foundation
import TestSupport

/// Runs the built `agents` executable as a child process and captures what it prints.
struct CLIProcess {
  /// What one run of the CLI produced.
  struct Result: Sendable {
    /// The process exit status.
    let exitCode: Int32
    /// Everything written to standard output.
    let standardOutput: String
    /// Everything written to standard error.
    let standardError: String

    /// Both streams, for failure messages.
    var transcript: String { "exit \(exitCode)\n--- stdout\n\(standardOutput)\n--- stderr\n\(standardError)" }
  }

  /// The executable: `AGENTS_E2E_CLI` when set, else `agents` next to the test bundle (built by `swift build`).
  let executable: URL

  /// Finds the `agents` executable, or explains how to build it.
  static func locate() throws -> CLIProcess {
    let environment = ProcessInfo.processInfo.environment
    if let explicit = environment["AGENTS_E2E_CLI"], !explicit.isEmpty {
      return CLIProcess(executable: URL(fileURLWithPath: explicit))
    }
    do {
      return CLIProcess(executable: URL(fileURLWithPath: try AgentsBinary.path))
    } catch {
      throw EndToEndSetupError(message: "\(error), or set AGENTS_E2E_CLI to its path")
    }
  }

  /// Runs the CLI with `arguments` in `directory`, killing it after `timeout` so a hang fails instead of blocking.
  func run(
    _ arguments: [String],
    environment extra: [String: String] = [:],
    in directory: URL,
    timeout: Duration = .seconds(240)
  ) async throws -> Result {
    let stdoutURL = directory.appendingPathComponent("stdout-\(UUID().uuidString).txt")
    let stderrURL = directory.appendingPathComponent("stderr-\(UUID().uuidString).txt")
    FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
    FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
    let stdoutHandle = try FileHandle(forWritingTo: stdoutURL)
    let stderrHandle = try FileHandle(forWritingTo: stderrURL)
    defer {
      try? stdoutHandle.close()
      try? stderrHandle.close()
    }

    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = stdoutHandle
    process.standardError = stderrHandle
    try process.run()

    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
      if ContinuousClock.now >= deadline {
        process.terminate()
        process.waitUntilExit()
        throw EndToEndSetupError(
          message: "`agents \(arguments.joined(separator: " "))` did not finish within \(timeout); "
            + "stderr so far: \(Self.read(stderrURL))")
      }
      try await Task.sleep(for: .milliseconds(50))
    }
    return Result(
      exitCode: process.terminationStatus, standardOutput: Self.read(stdoutURL), standardError: Self.read(stderrURL))
  }

  private static func read(_ url: URL) -> String {
    (try? String(contentsOf: url, encoding: .utf8)) ?? ""
  }
}
