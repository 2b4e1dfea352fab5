import Foundation
import WireCore

/// The timings file the end-to-end tier writes (`AGENTS_E2E_RESULTS`, `results/e2e-timings.json` in CI):
/// time to first token, total latency and tokens per second measured by `agents bench` against the real server,
/// with what is needed to read them (model, cores, machine load, date).
struct TimingsReport {
  /// The `agents bench --json` report.
  var bench: JSONValue

  /// The file's JSON: the headline numbers first, then the whole bench report.
  var json: JSONValue {
    .object([
      "recorded_at": .string(Date.now.ISO8601Format()),
      "server": .string(
        ProcessInfo.processInfo.environment["AGENTS_E2E_SERVER_DESCRIPTION"]
          ?? "OpenAI-compatible server at \(EndToEndEnvironment.baseURL ?? "?")"),
      "model": .string(EndToEndEnvironment.model),
      "cores": .int(ProcessInfo.processInfo.activeProcessorCount),
      "load_average_1m": Self.loadAverage().map(JSONValue.double) ?? .null,
      "runs": bench["runs"] ?? .null,
      "time_to_first_token_p50_ms": bench["ttft_p50_ms"] ?? .null,
      "time_to_first_token_p95_ms": bench["ttft_p95_ms"] ?? .null,
      "total_p50_ms": bench["p50_ms"] ?? .null,
      "total_mean_ms": bench["mean_ms"] ?? .null,
      "tokens_per_second": bench["tokens_per_second"] ?? .null,
      "bench": bench,
    ])
  }

  /// Writes the report as pretty-printed JSON, creating the folder if needed.
  func write(to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(json)
    data.append(0x0A)
    try data.write(to: url, options: .atomic)
  }

  /// The one-minute load average (`/proc/loadavg`), which says how busy the shared machine was.
  static func loadAverage() -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
    return text.split(separator: " ").first.flatMap { Double($0) }
  }
}
