import Agents
import AsyncHTTPClient
import FakeModelServer
import NIOCore
import NIOHTTP1
import WireCore

/// The floor an agent run is compared with: the exact request bodies the agent sends, as bare POSTs on
/// kept-alive AsyncHTTPClient connections (same pool settings as the SDK's transport), reading each whole
/// response and nothing else.
struct RawFloor: Sendable {
  let client: HTTPClient
  let url: String
  /// The bodies of one run, in order.
  let bodies: [ByteBuffer]

  /// Captures the bodies one run of `agent` sends (streamed or not) from a recording fake server.
  static func capture(agent: Agent, streamed: Bool) async throws -> [[UInt8]] {
    let recorder = try await BenchmarkServer.startFake(port: 0, recordingLimit: 16)
    defer { Task { try? await recorder.shutdown() } }
    let runner = BenchmarkWorkload.runner(baseURL: recorder.openAIBaseURL)
    if streamed {
      for try await _ in runner.runStreamed(agent, input: BenchmarkWorkload.question) {}
    } else {
      _ = try await runner.run(agent, input: BenchmarkWorkload.question)
    }
    return recorder.requests(to: "/v1/chat/completions").map(\.body)
  }

  init(baseURL: String, bodies: [[UInt8]]) {
    client = HTTPClient(
      eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: HTTPTransport.Configuration().clientConfiguration)
    url = baseURL + "/chat/completions"
    self.bodies = bodies.map { ByteBuffer(bytes: $0) }
  }

  /// Sends every body in turn, reading each whole response.
  func run() async throws {
    for body in bodies {
      let response = try await client.execute(request(body), timeout: .seconds(30))
      guard response.status == .ok else { throw BenchmarkOptions.Problem(description: "raw POST got \(response.status)") }
      _ = try await response.body.collect(upTo: 1 << 24)
    }
  }

  /// Sends the first body and returns the time until the first part of the response body arrived; reads
  /// the rest.
  func timeToFirstBodyPart() async throws -> Duration {
    let clock = ContinuousClock()
    let start = clock.now
    let response = try await client.execute(request(bodies[0]), timeout: .seconds(30))
    var first: Duration?
    for try await _ in response.body where first == nil { first = clock.now - start }
    return first ?? clock.now - start
  }

  private func request(_ body: ByteBuffer) -> HTTPClientRequest {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.headers.add(name: "Authorization", value: "Bearer ollama")
    request.body = .bytes(body)
    return request
  }

  func shutdown() async throws { try await client.shutdown() }
}
