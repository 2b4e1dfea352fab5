#if canImport(Glibc)
import Glibc
#endif
import Agents
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import WireCore

/// `agents serve`'s cost per request: the same agent run (the workload's agent without tools, one model call)
/// through the SDK directly and through `agents serve` over HTTP, against the same fake model server, at
/// `--concurrency 1,64,256` in alternating rounds. Reports requests/s, p50/p99 of both, the p50 latency serve adds
/// (target ≤ 1 ms at concurrency 1) and the server's peak RSS.
///
/// `--agents PATH` names the `agents` binary (default: the one beside this benchmark); `--url BASE` measures an
/// endpoint that already runs instead (e.g. nginx in front of two replicas, whose agent `bench` must exist).
struct AgentsServeBenchmark: Benchmark {
  let name = "agents-serve"
  let summary = "the SDK directly vs through `agents serve` at --concurrency 1,64,256; target ≤ 1 ms p50 added"
  static let targetMilliseconds = 1.0

  func run(_ options: BenchmarkOptions) async throws -> Bool {
    let runs = try options.integer("runs", default: 600)
    let rounds = try options.integer("rounds", default: 3)
    let levels = try options.integers("concurrency", default: [1, 64, 256])
    let server = try await BenchmarkServer.start(options)
    let runner = BenchmarkWorkload.runner(baseURL: server.openAIBaseURL)
    let agent = BenchmarkWorkload.agent(tools: false)
    let served = try await ServedAgents.start(options, modelServer: server.openAIBaseURL)
    let client = HTTPClient(
      eventLoopGroupProvider: .singleton,
      configuration: .init(
        connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 512)))
    let body = ByteBuffer(
      bytes: (["model": "bench", "messages": [["role": "user", "content": .string(BenchmarkWorkload.question)]]]
        as JSONValue)
        .jsonBytes)
    let url = served.baseURL + "/chat/completions"
    let viaServe: @Sendable () async throws -> Void = {
      var request = HTTPClientRequest(url: url)
      request.method = .POST
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(body)
      let response = try await client.execute(request, timeout: .seconds(60))
      let answer = try await response.body.collect(upTo: 1 << 20)
      guard response.status == .ok else {
        throw BenchmarkOptions.Problem(
          description: "agents serve answered \(response.status): \(String(buffer: answer))")
      }
    }
    let direct: @Sendable () async throws -> Void = {
      _ = try await runner.run(agent, input: BenchmarkWorkload.question)
    }
    print("\(served.description); \(server.description); \(rounds) alternating rounds")

    var results: [JSONValue] = []
    var passed = true
    for concurrency in levels {
      let perRound = max(runs / rounds, concurrency * 4)
      _ = try await measureRuns(total: concurrency * 2, concurrency: concurrency, direct)
      _ = try await measureRuns(total: concurrency * 2, concurrency: concurrency, viaServe)
      var sdk = RunStatistics()
      var serve = RunStatistics()
      for _ in 0..<rounds {
        sdk.add(try await measureRuns(total: perRound, concurrency: concurrency, direct))
        serve.add(try await measureRuns(total: perRound, concurrency: concurrency, viaServe))
      }
      let addedP50 = serve.latencies.median - sdk.latencies.median
      let addedP99 = serve.latencies.percentile(99) - sdk.latencies.percentile(99)
      print("concurrency \(concurrency):")
      print("  SDK directly   \(sdk.line), p99 \(format(sdk.latencies.percentile(99), digits: 3)) ms")
      print("  agents serve   \(serve.line), p99 \(format(serve.latencies.percentile(99), digits: 3)) ms")
      print("  added by serve: p50 \(format(addedP50, digits: 3)) ms, p99 \(format(addedP99, digits: 3)) ms")
      if concurrency == 1 { passed = addedP50 <= Self.targetMilliseconds }
      results.append([
        "concurrency": .int(concurrency), "sdk": sdk.json, "serve": serve.json,
        "serve_p99_ms": .double(serve.latencies.percentile(99).rounded(to: 3)),
        "added_p50_ms": .double(addedP50.rounded(to: 3)), "added_p99_ms": .double(addedP99.rounded(to: 3)),
      ])
    }
    let peak = served.peakRSSKilobytes()
    if let peak { print("agents serve peak RSS: \(peak / 1024) MiB") }
    try await client.shutdown()
    served.stop()
    try await server.shutdown()
    try writeJSON(
      [
        "benchmark": "agents-serve", "endpoint": .string(served.description), "levels": .array(results),
        "peak_rss_kib": peak.map { .int($0) } ?? .null,
      ], options: options)
    print(
      passed
        ? "PASS: ≤ \(Self.targetMilliseconds) ms p50 added" : "FAIL: more than \(Self.targetMilliseconds) ms p50 added")
    return passed
  }
}

/// The endpoint measured: an `agents serve` this benchmark starts (with a YAML agent `bench` that matches the
/// workload's agent), or the one `--url` names.
private struct ServedAgents {
  let baseURL: String
  let process: Process?
  let description: String

  static func start(_ options: BenchmarkOptions, modelServer: String) async throws -> ServedAgents {
    if let url = options.string("url") {
      return ServedAgents(baseURL: url, process: nil, description: "endpoint \(url)")
    }
    let agents = try BenchmarkAgentsBinary.prepare(options, purpose: "agents-serve")
    let (process, url) = try await agents.startListening(
      [
        "serve", "--port", "0", "--config", agents.config, "--base-url", modelServer, "--provider", "openai",
        "--max-concurrent-requests", "0", "--max-queue", "100000",
      ], pattern: #"http://127\.0\.0\.1:\d+/v1"#)
    return ServedAgents(baseURL: url, process: process, description: "agents serve (\(agents.binary)) at \(url)")
  }

  /// The server's peak resident set size (`VmHWM`), when this benchmark started it.
  func peakRSSKilobytes() -> Int? {
    guard let process,
      let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return nil }
    return Int(line.split(separator: " ").dropFirst().first ?? "")
  }

  func stop() {
    guard let process, process.isRunning else { return }
    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
  }
}
