import AgentsTesting
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TestSupport
import WireCore

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
