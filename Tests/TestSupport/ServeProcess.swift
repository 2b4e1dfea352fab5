import FakeModelServer
import Foundation
import Testing

/// A running `agents serve` (the built binary, a real process on a loopback port), for tests that talk to it over
/// HTTP the way any client would.
package final class ServeProcess: Sendable {
  /// The child process.
  package let process: Process
  /// `http://127.0.0.1:PORT`.
  package let baseURL: String
  /// Where the server's standard error goes (read it with ``log``).
  package let logPath: String
  private let home: AgentsBinary

  private init(process: Process, baseURL: String, logPath: String, home: AgentsBinary) {
    self.process = process
    self.baseURL = baseURL
    self.logPath = logPath
    self.home = home
  }

  /// The server's working directory: the coding assistant's workspace.
  package var workspace: String { home.home.path }

  /// What the server wrote to standard error so far.
  package var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

  /// Starts `agents serve --port 0 --base-url modelServer --provider openai --model model arguments…` (the fake
  /// model server's model by default) and waits until it listens.
  package static func start(
    modelServer: String, model: String = FakeOllamaServer.Model.llama32.name, _ arguments: [String] = [],
    environment: [String: String] = [:], agents: AgentsBinary? = nil
  ) async throws -> ServeProcess {
    let agents = try agents ?? AgentsBinary()
    let logPath = agents.home.file("serve-\(UUID().uuidString).log")
    FileManager.default.createFile(atPath: logPath, contents: nil)
    let log = try #require(FileHandle(forWritingAtPath: logPath))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try AgentsBinary.path)
    process.arguments =
      [
        "serve", "--port", "0", "--base-url", modelServer, "--provider", "openai", "--model", model,
      ] + arguments
    process.environment = agents.environment.merging(environment) { $1 }
    // The workspace (the coding assistant's tools) is the private home, never the repository.
    process.currentDirectoryURL = URL(fileURLWithPath: agents.home.path)
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = log
    try process.run()
    try log.close()
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(60)
    while clock.now < deadline {
      let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
      if let range = text.range(of: #"listening on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
        let port = text[range].split(separator: ":").last.map(String.init) ?? ""
        return ServeProcess(process: process, baseURL: "http://127.0.0.1:\(port)", logPath: logPath, home: agents)
      }
      if !process.isRunning {
        throw ServeFailure(
          description: "agents serve exited with \(process.terminationStatus) before listening:\n\(text)")
      }
      try await Task.sleep(for: .milliseconds(20))
    }
    process.terminate()
    throw ServeFailure(description: "agents serve did not listen within 60 s")
  }

  /// Sends SIGTERM and waits for the exit status.
  @discardableResult
  package func terminate() async -> Int32 {
    if process.isRunning { kill(process.processIdentifier, SIGTERM) }
    return await waitForExit()
  }

  /// Waits for the process to exit (at most 60 s, then kills it) and returns its status.
  package func waitForExit() async -> Int32 {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(60)
    while process.isRunning, clock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    return process.terminationStatus
  }

  deinit {
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
  }

  package struct ServeFailure: Error, CustomStringConvertible {
    package var description: String
  }
}
