import AgentsTesting
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TestSupport
import WireCore

/// A running `agents serve` (the built binary, a real process on a loopback port), for tests that talk to it over
/// HTTP the way any client would.
final class ServeProcess: Sendable {
  /// The child process.
  let process: Process
  /// `http://127.0.0.1:PORT`.
  let baseURL: String
  /// Where the server's standard error goes (read it with ``log``).
  let logPath: String
  private let home: AgentsBinary

  private init(process: Process, baseURL: String, logPath: String, home: AgentsBinary) {
    self.process = process
    self.baseURL = baseURL
    self.logPath = logPath
    self.home = home
  }

  /// What the server wrote to standard error so far.
  var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

  /// Starts `agents serve --port 0 arguments…` against `modelServer` (an OpenAI-compatible base URL) and waits
  /// until it listens.
  static func start(
    modelServer: String, _ arguments: [String] = [], environment: [String: String] = [:],
    agents: AgentsBinary? = nil
  ) async throws -> ServeProcess {
    let agents = try agents ?? AgentsBinary()
    let logPath = agents.home.file("serve-\(UUID().uuidString).log")
    FileManager.default.createFile(atPath: logPath, contents: nil)
    let log = try #require(FileHandle(forWritingAtPath: logPath))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try AgentsBinary.path)
    process.arguments =
      [
        "serve", "--port", "0", "--base-url", modelServer, "--provider", "openai", "--model",
        FakeOllamaServer.Model.llama32.name,
      ] + arguments
    process.environment = agents.environment.merging(environment) { $1 }
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
  func terminate() async -> Int32 {
    if process.isRunning { kill(process.processIdentifier, SIGTERM) }
    return await waitForExit()
  }

  /// Waits for the process to exit (at most 60 s, then kills it) and returns its status.
  func waitForExit() async -> Int32 {
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

  struct ServeFailure: Error, CustomStringConvertible {
    var description: String
  }
}

/// Runs `body` with a fake model server and an `agents serve` in front of it, stopping both afterwards.
func withServe(
  _ arguments: [String] = [], environment: [String: String] = [:],
  _ body: (FakeOllamaServer, ServeProcess) async throws -> Void
) async throws {
  try await withServer { fake in
    let serve = try await ServeProcess.start(modelServer: fake.openAIBaseURL, arguments, environment: environment)
    do {
      try await body(fake, serve)
      await serve.terminate()
    } catch {
      await serve.terminate()
      throw error
    }
  }
}

/// One HTTP exchange's result.
struct HTTPAnswer: Sendable {
  var status: Int
  var headers: HTTPHeaders
  var body: String

  /// The body as JSON (`.null` when it is not JSON).
  var json: JSONValue { (try? JSONValue.parse(Array(body.utf8))) ?? .null }

  /// The `data:` payloads of a server-sent event stream, in order.
  var events: [String] {
    body.components(separatedBy: "\n\n").compactMap { block in
      block.split(separator: "\n").first { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
    }
  }
}

/// Sends one request with AsyncHTTPClient and reads the whole answer.
func http(
  _ method: HTTPMethod, _ url: String, json body: JSONValue? = nil, rawBody: [UInt8]? = nil,
  headers: [(String, String)] = [], timeout: Duration = .seconds(60)
) async throws -> HTTPAnswer {
  var request = HTTPClientRequest(url: url)
  request.method = method
  for (name, value) in headers { request.headers.add(name: name, value: value) }
  if let bytes = rawBody ?? body.map(\.jsonBytes) {
    request.headers.add(name: "Content-Type", value: "application/json")
    request.body = .bytes(ByteBuffer(bytes: bytes))
  }
  let response = try await HTTPClient.shared.execute(
    request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
  let collected = try await response.body.collect(upTo: 64 * 1024 * 1024)
  return HTTPAnswer(status: Int(response.status.code), headers: response.headers, body: String(buffer: collected))
}

/// A chat completion request body for `agent`.
func chat(_ agent: String, _ messages: [(String, String)], stream: Bool = false, extra: JSONObject = [:]) -> JSONValue {
  var object: JSONObject = [
    "model": .string(agent),
    "messages": .array(messages.map { ["role": .string($0.0), "content": .string($0.1)] }),
  ]
  if stream { object["stream"] = true }
  for (key, value) in extra { object[key] = value }
  return .object(object)
}

extension JSONValue {
  /// The element at `index` of an array (nil for anything else or out of range), for reading answers in tests.
  subscript(index: Int) -> JSONValue? {
    guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
    return elements[index]
  }
}
