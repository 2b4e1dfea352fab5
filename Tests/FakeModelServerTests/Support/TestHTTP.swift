import AsyncHTTPClient
import FakeModelServer
import NIOCore
import NIOHTTP1
import NIOPosix
import TestSupport
import WireCore

/// A complete HTTP response as the tests see it.
struct TestResponse {
  var status: Int
  var headers: HTTPHeaders
  var body: [UInt8]

  var text: String { String(decoding: body, as: UTF8.self) }
  var json: JSONValue { (try? JSONValue.parse(body)) ?? .null }
  var contentType: String? { headers.first(name: "content-type") }

  /// The `data:` payloads of an SSE body, in order.
  var sseData: [String] {
    text.split(separator: "\n\n", omittingEmptySubsequences: true).map { event in
      event.hasPrefix("data: ") ? String(event.dropFirst(6)) : "<not data: \(event)>"
    }
  }

  /// The SSE payloads other than `[DONE]`, parsed.
  var sseJSON: [JSONValue] { sseData.filter { $0 != "[DONE]" }.map { (try? JSONValue.parse($0)) ?? .null } }

  /// The lines of an NDJSON body, parsed.
  var ndjson: [JSONValue] {
    text.split(separator: "\n").map { (try? JSONValue.parse(String($0))) ?? .null }
  }
}

/// Minimal HTTP client for the tests, on AsyncHTTPClient.
enum TestHTTP {
  static func send(
    _ method: HTTPMethod, _ url: String, json: JSONValue? = nil, body: String? = nil,
    headers: [(String, String)] = []
  ) async throws -> TestResponse {
    var request = HTTPClientRequest(url: url)
    request.method = method
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let json {
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(json.jsonBytes)
    } else if let body {
      request.body = .bytes(Array(body.utf8))
    }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    var bytes: [UInt8] = []
    for try await chunk in response.body { bytes.append(contentsOf: chunk.readableBytesView) }
    return TestResponse(status: Int(response.status.code), headers: response.headers, body: bytes)
  }

  static func post(_ url: String, _ json: JSONValue, headers: [(String, String)] = []) async throws -> TestResponse {
    try await send(.POST, url, json: json, headers: headers)
  }

  static func get(_ url: String) async throws -> TestResponse { try await send(.GET, url) }

  /// A one-message chat request body.
  static func chat(model: String = "llama3.2", _ text: String = "Hi", stream: Bool? = nil, extra: JSONObject = [:])
    -> JSONValue
  {
    var object: JSONObject = ["model": .string(model), "messages": [["role": "user", "content": .string(text)]]]
    if let stream { object["stream"] = .bool(stream) }
    for (key, value) in extra { object[key] = value }
    return .object(object)
  }
}

/// Raw TCP access for what an HTTP client hides: several requests on one connection, exact bytes.
enum RawTCP {
  /// Sends `request` bytes on one connection and reads until the server closes it.
  static func exchange(port: Int, _ request: String) async throws -> String {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .connect(host: "127.0.0.1", port: port) { channel in
        channel.eventLoop.makeCompletedFuture {
          try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
        }
      }
    return try await channel.executeThenClose { inbound, outbound in
      try await outbound.write(ByteBuffer(string: request))
      var received = ""
      for try await chunk in inbound { received += String(buffer: chunk) }
      return received
    }
  }
}

/// How many times `needle` occurs in `text` (non-overlapping).
func occurrences(of needle: String, in text: String) -> Int { text.ranges(of: needle).count }
