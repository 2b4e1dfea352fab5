import FakeModelServer
import Foundation
import Testing

/// Runs the built `agents` executable as a subprocess, the way scripts use it.
package struct AgentsBinary: Sendable {
  /// What one invocation produced.
  package struct Output: Sendable {
    package var status: Int32
    package var stdout: String
    package var stderr: String

    /// The last non-empty line of standard output.
    package var lastLine: String { stdout.split(separator: "\n").last.map(String.init) ?? "" }
  }

  /// The `agents` executable next to the test bundle in the build products directory.
  package static var path: String {
    get throws {
      var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("agents").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory = directory.deletingLastPathComponent()
      }
      let bundle = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("agents").path
      if FileManager.default.isExecutableFile(atPath: bundle) { return bundle }
      throw AgentsBinaryMissing()
    }
  }

  package struct AgentsBinaryMissing: Error, CustomStringConvertible {
    package var description: String { "the agents executable was not found next to the test bundle; run `swift build` first" }
  }

  /// A private data directory and a clean environment (no server variables, no colour).
  package let home: TemporaryDirectory

  /// A binary with a fresh private home.
  package init() throws { home = try TemporaryDirectory() }

  /// The base environment of every run.
  package var environment: [String: String] {
    var environment: [String: String] = [:]
    for key in ["PATH", "LANG", "TMPDIR"] { environment[key] = ProcessInfo.processInfo.environment[key] }
    environment["HOME"] = home.path
    environment["AGENTS_HOME"] = home.path + "/data"
    environment["NO_COLOR"] = "1"
    return environment
  }

  /// Runs `agents arguments…` with `stdin` as standard input and extra environment variables.
  package func run(_ arguments: [String], stdin: String = "", environment extra: [String: String] = [:]) async throws -> Output {
    try await start(arguments, stdin: stdin, environment: extra).finish()
  }

  /// Runs `agents arguments…` with standard output going to the file at `path` (e.g. `/dev/full`); the
  /// result's `stdout` is empty.
  package func run(_ arguments: [String], stdoutPath path: String, environment extra: [String: String] = [:]) async throws
    -> Output
  {
    let file = try #require(FileHandle(forWritingAtPath: path))
    defer { try? file.close() }
    return try await start(arguments, environment: extra, stdout: file).finish()
  }

  /// Runs `launcher… <path of agents> arguments…`: a wrapper (e.g. `unshare -m sh -c SCRIPT`) that prepares
  /// something and then runs the binary it is given.
  package func run(_ arguments: [String], launcher: [String], stdin: String = "", environment extra: [String: String] = [:])
    async throws -> Output
  {
    try await start(arguments, stdin: stdin, environment: extra, launcher: launcher).finish()
  }

  /// Starts `agents arguments…` without waiting for it, so a test can interrupt it.
  package func start(
    _ arguments: [String], stdin: String = "", environment extra: [String: String] = [:], stdout: FileHandle? = nil,
    launcher: [String] = []
  ) throws -> Running {
    let process = Process()
    if let executable = launcher.first {
      process.executableURL = URL(fileURLWithPath: executable)
      process.arguments = Array(launcher.dropFirst()) + [try Self.path] + arguments
    } else {
      process.executableURL = URL(fileURLWithPath: try Self.path)
      process.arguments = arguments
    }
    process.environment = self.environment.merging(extra) { $1 }
    let input = Pipe()
    let output = Pipe()
    let error = Pipe()
    process.standardInput = input
    process.standardOutput = stdout ?? output
    process.standardError = error
    try process.run()
    if stdout != nil { try output.fileHandleForWriting.close() }
    // A child that exits before reading its input (a failed check) closes the pipe: that is its answer, not an error.
    try? input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8))
    try? input.fileHandleForWriting.close()
    return Running(process: process, output: output, error: error)
  }

  /// A started `agents` process.
  package struct Running: @unchecked Sendable {
    /// The child process.
    package let process: Process
    let output: Pipe
    let error: Pipe

    /// Sends SIGINT, as Ctrl-C does.
    package func interrupt() { process.interrupt() }

    /// Reads both pipes to the end (so a full pipe never blocks the child) and waits for the exit.
    package func finish() async throws -> Output {
      await withCheckedContinuation { continuation in
        let thread = Thread {
          let group = DispatchGroup()
          let errorData = DataBox()
          group.enter()
          DispatchQueue.global().async {
            errorData.data = error.fileHandleForReading.readDataToEndOfFile()
            group.leave()
          }
          let outputData = output.fileHandleForReading.readDataToEndOfFile()
          group.wait()
          process.waitUntilExit()
          continuation.resume(
            returning: Output(
              status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
              stderr: String(decoding: errorData.data, as: UTF8.self)))
        }
        thread.start()
      }
    }
  }
}

/// Bytes written by one thread and read by another after a `DispatchGroup` wait.
private final class DataBox: @unchecked Sendable {
  var data = Data()
}

/// Runs `body` with a fresh fake Ollama server and the built `agents` binary (with its own home), shutting the
/// server down after.
package func withServer(_ body: (FakeOllamaServer, AgentsBinary) async throws -> Void) async throws {
  try await withServer { server in try await body(server, try AgentsBinary()) }
}
