#if canImport(Glibc)
  import Glibc
#endif
import WireCore

/// Durations of repeated operations, in milliseconds, with the statistics the reports print.
struct LatencySamples: Sendable {
  private(set) var milliseconds: [Double] = []

  mutating func record(_ duration: Duration) { milliseconds.append(duration.milliseconds) }
  mutating func append(contentsOf other: LatencySamples) { milliseconds.append(contentsOf: other.milliseconds) }

  var count: Int { milliseconds.count }
  var median: Double { percentile(50) }

  /// The value below which `percent` % of the samples fall (nearest rank).
  func percentile(_ percent: Double) -> Double {
    guard !milliseconds.isEmpty else { return 0 }
    let sorted = milliseconds.sorted()
    let rank = Int((percent / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
  }
}

/// Throughput and latency of one side (framework or raw floor) at one concurrency.
struct RunStatistics: Sendable {
  var runs = 0
  var seconds = 0.0
  var latencies = LatencySamples()

  var runsPerSecond: Double { seconds > 0 ? Double(runs) / seconds : 0 }

  mutating func add(_ other: RunStatistics) {
    runs += other.runs
    seconds += other.seconds
    latencies.append(contentsOf: other.latencies)
  }

  var json: JSONValue {
    [
      "runs": .int(runs), "runs_per_second": .double(runsPerSecond.rounded(to: 1)),
      "p50_ms": .double(latencies.median.rounded(to: 3)), "p95_ms": .double(latencies.percentile(95).rounded(to: 3)),
    ]
  }

  var line: String {
    "\(format(runsPerSecond)) runs/s, p50 \(format(latencies.median, digits: 3)) ms, "
      + "p95 \(format(latencies.percentile(95), digits: 3)) ms (\(runs) runs)"
  }
}

/// Runs `operation` `total` times, at most `concurrency` at once, and times each run and the whole.
func measureRuns(
  total: Int, concurrency: Int, _ operation: @escaping @Sendable () async throws -> Void
) async throws -> RunStatistics {
  let clock = ContinuousClock()
  let start = clock.now
  let perWorker = try await withThrowingTaskGroup(of: LatencySamples.self) { group in
    let workers = min(concurrency, total)
    for worker in 0..<workers {
      let share = total / workers + (worker < total % workers ? 1 : 0)
      group.addTask {
        var samples = LatencySamples()
        for _ in 0..<share { samples.record(try await clock.measure { try await operation() }) }
        return samples
      }
    }
    var all = LatencySamples()
    for try await samples in group { all.append(contentsOf: samples) }
    return all
  }
  return RunStatistics(runs: total, seconds: (clock.now - start).seconds, latencies: perWorker)
}

/// Writes `value` as JSON to the file named by `--json`, if given.
func writeJSON(_ value: JSONValue, options: BenchmarkOptions) throws {
  guard let path = options.string("json") else { return }
  let bytes = value.jsonBytes
  guard let file = fopen(path, "w") else {
    throw BenchmarkOptions.Problem(description: "cannot write \(path): \(String(cString: strerror(errno)))")
  }
  defer { fclose(file) }
  guard fwrite(bytes, 1, bytes.count, file) == bytes.count else {
    throw BenchmarkOptions.Problem(description: "cannot write \(path): \(String(cString: strerror(errno)))")
  }
}

/// The peak resident set size of this process in MB (`VmHWM` in /proc/self/status), or `nil` off Linux.
func peakResidentMegabytes() -> Double? {
  guard let status = readTextFile("/proc/self/status"),
    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
    let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
  else { return nil }
  return kilobytes / 1024
}

/// The contents of a small text file, or `nil` when it cannot be read.
func readTextFile(_ path: String) -> String? {
  guard let file = fopen(path, "r") else { return nil }
  defer { fclose(file) }
  var bytes: [UInt8] = []
  var buffer = [UInt8](repeating: 0, count: 4096)
  while true {
    let count = fread(&buffer, 1, buffer.count, file)
    if count <= 0 { break }
    bytes.append(contentsOf: buffer[0..<count])
  }
  return String(decoding: bytes, as: UTF8.self)
}

extension Duration {
  var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
  var milliseconds: Double { seconds * 1000 }
}

extension Double {
  func rounded(to digits: Int) -> Double {
    let scale = pow(10, Double(digits))
    return (self * scale).rounded() / scale
  }
}

/// `value` with at most `digits` decimals.
func format(_ value: Double, digits: Int = 1) -> String {
  String(value.rounded(to: digits))
}

/// Times `body` over `repetitions` runs and returns the best (least disturbed) run in seconds.
func bestTime(repetitions: Int, _ body: () throws -> Void) rethrows -> Double {
  var best = Double.infinity
  let clock = ContinuousClock()
  for _ in 0..<repetitions { best = min(best, try clock.measure { try body() }.seconds) }
  return best
}

/// The same for async bodies.
func bestTime(repetitions: Int, _ body: () async throws -> Void) async rethrows -> Double {
  var best = Double.infinity
  let clock = ContinuousClock()
  for _ in 0..<repetitions {
    let start = clock.now
    try await body()
    best = min(best, (clock.now - start).seconds)
  }
  return best
}
