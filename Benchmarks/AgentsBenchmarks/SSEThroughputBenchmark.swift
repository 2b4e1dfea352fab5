import NIOCore
import NIOHTTP1
import OpenAICompatible
import WireCore

/// SSE parsing throughput on typical chat-completion chunk lines fed in realistic chunk sizes.
///
/// The body is Ollama-style `data: {chat.completion.chunk}` events (about 250 bytes each, some with
/// multi-byte UTF-8), cut into chunks whose sizes cycle through what a socket delivers while a model
/// streams (one event) and while a fast server floods (1.4–16 KiB). Target: ≥ 200 MB/s for the parser.
struct SSEThroughputBenchmark: Benchmark {
  let name = "sse"
  let summary = "SSE parsing throughput (MB/s) on chat-completion chunks; target ≥ 200 MB/s"
  static let targetMBPerSecond = 200.0

  func run(_ options: BenchmarkOptions) async throws -> Bool {
    let megabytes = try options.integer("megabytes", default: 32)
    let body = Self.makeBody(bytes: megabytes << 20)
    let chunks = Self.cut(body)
    let buffers = chunks.map { ByteBuffer(bytes: $0) }
    print("SSE body: \(body.count / 1024) KiB in \(chunks.count) chunks (avg \(body.count / chunks.count) B)")

    var events = 0
    let parserSeconds = try bestTime(repetitions: 5) {
      var parser = SSEParser()
      var count = 0
      for buffer in buffers { try parser.parse(buffer) { _ in count += 1 } }
      parser.finish { _ in count += 1 }
      events = count
    }
    let parserRate = Double(body.count) / parserSeconds / 1_000_000
    print("SSEParser:               \(format(parserRate)) MB/s  (\(events) events, \(format(Double(events) / parserSeconds / 1e6)) M events/s)")

    let sequenceSeconds = try await bestTime(repetitions: 3) {
      var count = 0
      for try await _ in SSEEventSequence(ChunkList(buffers)) { count += 1 }
      precondition(count == events)
    }
    print("SSEEventSequence (async): \(format(Double(body.count) / sequenceSeconds / 1_000_000)) MB/s")

    let decodeSeconds = try await bestTime(repetitions: 3) {
      let response = TransportResponse(
        status: 200, headers: ["Content-Type": "text/event-stream"], body: ResponseBody(chunks: buffers), url: "bench")
      var count = 0
      for try await _ in ChatCompletionChunks(response: response) { count += 1 }
      precondition(count == events - 1)  // [DONE] is not a chunk
    }
    print("SSE + JSON chunk decoding: \(format(Double(body.count) / decodeSeconds / 1_000_000)) MB/s  (\(format(decodeSeconds / Double(events) * 1e6)) µs per chunk)")

    var datas: [String] = []
    var collector = SSEParser()
    for buffer in buffers.prefix(400) { try collector.parse(buffer) { if $0.data != "[DONE]" { datas.append($0.data) } } }
    let parseSeconds = try bestTime(repetitions: 5) {
      for data in datas { _ = try JSONValue.parse(data) }
    }
    let values = try datas.map { try JSONValue.parse($0) }
    let mapSeconds = try bestTime(repetitions: 5) {
      for value in values { _ = try ChatCompletionChunk(json: value) }
    }
    print("  of which JSONValue.parse: \(format(parseSeconds / Double(datas.count) * 1e6)) µs, typed mapping: \(format(mapSeconds / Double(datas.count) * 1e6)) µs per chunk")

    let decodeRate = Double(body.count) / decodeSeconds / 1_000_000
    try writeJSON(
      [
        "benchmark": "sse", "parser_mb_per_second": .double(parserRate.rounded(to: 1)),
        "decoding_mb_per_second": .double(decodeRate.rounded(to: 1)),
        "decoding_us_per_chunk": .double((decodeSeconds / Double(events) * 1e6).rounded(to: 3)),
      ], options: options)
    let passed = parserRate >= Self.targetMBPerSecond
    print(passed ? "PASS: parser ≥ \(Int(Self.targetMBPerSecond)) MB/s" : "FAIL: parser below \(Int(Self.targetMBPerSecond)) MB/s")
    return passed
  }

  /// Ollama-style events until `bytes` is reached, then a finish chunk and `[DONE]`.
  static func makeBody(bytes: Int) -> [UInt8] {
    let words = ["The", " quick", " brown", " fox", " jumps", " över", " the", " lazy", " dog", " 😀", ",", " and", "\\n"]
    var body: [UInt8] = []
    body.reserveCapacity(bytes + 512)
    var index = 0
    while body.count < bytes {
      let word = words[index % words.count]
      let event = #"data: {"id":"chatcmpl-417","object":"chat.completion.chunk","created":1755800000,"model":"qwen3:8b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"content":"\#(word)"},"finish_reason":null}]}"# + "\n\n"
      body.append(contentsOf: event.utf8)
      index += 1
    }
    body.append(contentsOf: #"data: {"id":"chatcmpl-417","object":"chat.completion.chunk","created":1755800000,"model":"qwen3:8b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#.utf8)
    body.append(contentsOf: "\n\ndata: [DONE]\n\n".utf8)
    return body
  }

  /// Cuts the body into chunks of cycling, realistic sizes (cuts fall anywhere, mid-line included).
  static func cut(_ body: [UInt8]) -> [[UInt8]] {
    let sizes = [213, 1460, 251, 4096, 238, 16384, 2920, 247, 8192]
    var chunks: [[UInt8]] = []
    var start = 0
    var turn = 0
    while start < body.count {
      let end = min(body.count, start + sizes[turn % sizes.count])
      chunks.append(Array(body[start..<end]))
      start = end
      turn += 1
    }
    return chunks
  }
}

/// An async sequence over prepared buffers.
struct ChunkList: AsyncSequence, Sendable {
  typealias Element = ByteBuffer
  let buffers: [ByteBuffer]
  init(_ buffers: [ByteBuffer]) { self.buffers = buffers }
  struct AsyncIterator: AsyncIteratorProtocol {
    var index = 0
    let buffers: [ByteBuffer]
    mutating func next() async -> ByteBuffer? {
      guard index < buffers.count else { return nil }
      defer { index += 1 }
      return buffers[index]
    }
  }
  func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffers: buffers) }
}
