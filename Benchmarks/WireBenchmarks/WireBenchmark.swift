import Foundation

/// One benchmark command: a name to select it and a body that prints its measurements.
protocol WireBenchmark: Sendable {
  /// The subcommand name, e.g. `sse`.
  var name: String { get }
  /// One line saying what it measures and the target, if any.
  var summary: String { get }
  /// Runs the benchmark with the remaining arguments; returns whether it met its target.
  func run(_ arguments: [String]) async throws -> Bool
}

/// The registry of benchmark commands and the dispatcher.
enum WireBenchmarks {
  static let all: [any WireBenchmark] = [SSEThroughputBenchmark(), OverheadBenchmark()]

  static func main(_ arguments: [String]) async -> Int32 {
    guard let name = arguments.first, name != "--help", name != "-h" else {
      print("usage: WireBenchmarks <benchmark> [options]\n\nbenchmarks:")
      for benchmark in all { print("  \(benchmark.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(benchmark.summary)") }
      return arguments.isEmpty ? 0 : 0
    }
    guard let benchmark = all.first(where: { $0.name == name }) else {
      print("unknown benchmark '\(name)'; run without arguments to list them")
      return 2
    }
    #if DEBUG
    print("warning: debug build; run with `swift run -c release WireBenchmarks \(name)` for real numbers")
    #endif
    do {
      return try await benchmark.run(Array(arguments.dropFirst())) ? 0 : 1
    } catch {
      print("benchmark \(name) failed: \(error)")
      return 1
    }
  }
}

/// Times `body` over `repetitions` runs and returns the best (least disturbed) run in seconds.
func bestTime(repetitions: Int, _ body: () throws -> Void) rethrows -> Double {
  var best = Double.infinity
  let clock = ContinuousClock()
  for _ in 0..<repetitions {
    let elapsed = try clock.measure { try body() }
    best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
  }
  return best
}

/// The same for async bodies.
func bestTime(repetitions: Int, _ body: () async throws -> Void) async rethrows -> Double {
  var best = Double.infinity
  let clock = ContinuousClock()
  for _ in 0..<repetitions {
    let start = clock.now
    try await body()
    let elapsed = clock.now - start
    best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
  }
  return best
}
