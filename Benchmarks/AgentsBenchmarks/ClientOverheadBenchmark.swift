import AsyncHTTPClient
import FakeModelServer
import NIOCore
import NIOHTTP1
import OpenAICompatible
import WireCore

/// Framework overhead per model call: `ChatCompletionsClient` against a raw kept-alive AsyncHTTPClient
/// POST of the same body to the same in-process fake server. Target: ≤ 0.3 ms per call.
///
/// Both sides run interleaved in rounds, so machine load affects them alike; the overhead is the
/// difference of the medians (whole answers and streamed answers).
struct ClientOverheadBenchmark: Benchmark {
  let name = "client-overhead"
  let summary = "framework overhead per model call over a raw kept-alive POST; target ≤ 0.3 ms"
  static let targetMilliseconds = 0.3

  func run(_ options: BenchmarkOptions) async throws -> Bool {
    let calls = try options.integer("calls", default: 2000)
    var configuration = FakeOllamaServer.Configuration()
    configuration.recordingLimit = 0
    let server = try await FakeOllamaServer.start(configuration)
    server.setDefaultReply { _ in .text("The quick brown fox jumps over the lazy dog.", chunkSize: 8) }
    let config = OllamaConfig(baseURL: server.openAIBaseURL)
    let transport = HTTPTransport(configuration: HTTPTransport.Configuration())
    let client = ChatCompletionsClient(config: config, transport: transport)
    let raw = HTTPClient(
      eventLoopGroup: HTTPClient.defaultEventLoopGroup,
      configuration: HTTPTransport.Configuration().clientConfiguration)
    let request = ChatCompletionRequest(messages: [.system("Be brief."), .user("Say something.")], temperature: 0)
    let url = server.openAIBaseURL + "/chat/completions"

    var whole = Samples()
    var streamed = Samples()
    let clock = ContinuousClock()
    for round in 0..<(calls / 100 + 1) {
      let measured = round > 0  // the first round warms up connections and caches
      for _ in 0..<50 {
        whole.raw.record(measured, try await clock.measure { try await Self.rawPost(raw, url: url, body: request.jsonBytes(stream: false, defaultModel: config.defaultModel)) })
        whole.framework.record(measured, try await clock.measure { _ = try await client.complete(request) })
        streamed.raw.record(measured, try await clock.measure { try await Self.rawPost(raw, url: url, body: request.jsonBytes(stream: true, defaultModel: config.defaultModel)) })
        streamed.framework.record(measured, try await clock.measure { _ = try await client.stream(request).collect() })
      }
    }
    try await raw.shutdown()
    try await transport.shutdown()
    try await server.shutdown()

    let wholeOverhead = whole.report("complete()")
    let streamOverhead = streamed.report("stream().collect()")
    try writeJSON(
      [
        "benchmark": "client-overhead", "complete_overhead_ms": .double(wholeOverhead.rounded(to: 4)),
        "stream_overhead_ms": .double(streamOverhead.rounded(to: 4)),
      ], options: options)
    let passed = max(wholeOverhead, streamOverhead) <= Self.targetMilliseconds
    print(passed ? "PASS: overhead ≤ \(Self.targetMilliseconds) ms" : "FAIL: overhead above \(Self.targetMilliseconds) ms")
    return passed
  }

  /// The baseline: POST the body and read the whole response, nothing else.
  static func rawPost(_ client: HTTPClient, url: String, body: [UInt8]) async throws {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.headers.add(name: "Authorization", value: "Bearer ollama")
    request.body = .bytes(ByteBuffer(bytes: body))
    let response = try await client.execute(request, timeout: .seconds(30))
    _ = try await response.body.collect(upTo: 1 << 24)
  }
}

/// Per-call durations of both sides.
struct Samples {
  struct Side {
    var milliseconds: [Double] = []
    mutating func record(_ measured: Bool, _ duration: Duration) {
      guard measured else { return }
      milliseconds.append(Double(duration.components.attoseconds) * 1e-15 + Double(duration.components.seconds) * 1000)
    }
    var median: Double {
      let sorted = milliseconds.sorted()
      return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
  }

  var raw = Side()
  var framework = Side()

  /// Prints the medians and returns the overhead in milliseconds.
  func report(_ label: String) -> Double {
    let overhead = framework.median - raw.median
    print("\(label): raw \(format(raw.median * 1000)) µs, framework \(format(framework.median * 1000)) µs, overhead \(format(overhead * 1000)) µs (median of \(raw.milliseconds.count))")
    return overhead
  }
}
