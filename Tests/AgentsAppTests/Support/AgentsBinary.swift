import AgentsTesting
import Foundation
import Testing

/// Runs the built `agents` executable as a subprocess, the way scripts use it.
struct AgentsBinary: Sendable {
  /// What one invocation produced.
  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String

    /// The last non-empty line of standard output.
    var lastLine: String { stdout.split(separator: "\n").last.map(String.init) ?? "" }
  }

  /// The `agents` executable next to the test bundle in the build products directory.
  static var path: String {
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

  struct AgentsBinaryMissing: Error, CustomStringConvertible {
    var description: String { "the agents executable was not found next to the test bundle; run `swift build` first" }
  }

  /// A private data directory and a clean environment (no server variables, no colour).
  let home: TemporaryDirectory

  init() throws { home = try TemporaryDirectory() }

  var environment: [String: String] {
    var environment: [String: String] = [:]
    for key in ["PATH", "LANG", "TMPDIR"] { environment[key] = ProcessInfo.processInfo.environment[key] }
    environment["HOME"] = home.path
    environment["AGENTS_HOME"] = home.path + "/data"
    environment["NO_COLOR"] = "1"
    return environment
  }

  /// Runs `agents arguments…` with `stdin` as standard input and extra environment variables.
  func run(_ arguments: [String], stdin: String = "", environment extra: [String: String] = [:]) async throws -> Output {
    try await start(arguments, stdin: stdin, environment: extra).finish()
  }

  /// Starts `agents arguments…` without waiting for it, so a test can interrupt it.
  func start(_ arguments: [String], stdin: String = "", environment extra: [String: String] = [:]) throws -> Running {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try Self.path)
    process.arguments = arguments
    process.environment = self.environment.merging(extra) { $1 }
    let input = Pipe()
    let output = Pipe()
    let error = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = error
    try process.run()
    try input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8))
    try input.fileHandleForWriting.close()
    return Running(process: process, output: output, error: error)
  }

  /// A started `agents` process.
  struct Running: @unchecked Sendable {
    let process: Process
    let output: Pipe
    let error: Pipe

    /// Sends SIGINT, as Ctrl-C does.
    func interrupt() { process.interrupt() }

    /// Reads both pipes to the end (so a full pipe never blocks the child) and waits for the exit.
    func finish() async throws -> Output {
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

/// Runs `body` with a fresh fake Ollama server and the built `agents` binary, shutting the server down after.
func withServer(_ body: (FakeOllamaServer, AgentsBinary) async throws -> Void) async throws {
  let server = try await FakeOllamaServer.start()
  let agents = try AgentsBinary()
  do {
    try await body(server, agents)
  } catch {
    try await server.shutdown()
    throw error
  }
  try await server.shutdown()
}
