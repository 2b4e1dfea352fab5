
/// One benchmark command: a name to select it and a body that prints its measurements.
protocol Benchmark: Sendable {
  /// The subcommand name, e.g. `sse`.
  var name: String { get }
  /// One line saying what it measures and the target, if any.
  var summary: String { get }
  /// Runs the benchmark with its options; returns whether it met its target.
  func run(_ options: BenchmarkOptions) async throws -> Bool
}

/// The registry of benchmark commands and the dispatcher.
enum AgentsBenchmarks {
  static let all: [any Benchmark] = [
    AgentRunBenchmark(), RunLoopBenchmark(), StreamingBenchmark(), MemoryBenchmark(), ClientOverheadBenchmark(),
    SSEThroughputBenchmark(), ServeCommand(), MCPCallBenchmark(), AgentsServeBenchmark(),
  ]

  static func main(_ arguments: [String]) async -> Int32 {
    guard let name = arguments.first, name != "--help", name != "-h" else {
      print("usage: AgentsBenchmarks <benchmark> [--option value ...] [--json FILE]\n\nbenchmarks:")
      for benchmark in all {
        print("  " + benchmark.name + String(repeating: " ", count: max(1, 16 - benchmark.name.count)) + benchmark.summary)
      }
      print("\n`scripts/benchmark` builds in release mode, runs them all and the Python SDK comparison.")
      return 0
    }
    guard let benchmark = all.first(where: { $0.name == name }) else {
      print("unknown benchmark '\(name)'; run without arguments to list them")
      return 2
    }
    #if DEBUG
      print("warning: debug build; run with `swift run -c release AgentsBenchmarks \(name)` for real numbers")
    #endif
    do {
      let options = try BenchmarkOptions(parsing: Array(arguments.dropFirst()))
      return try await benchmark.run(options) ? 0 : 1
    } catch {
      print("benchmark \(name) failed: \(error)")
      return 1
    }
  }
}

/// `--name value` options of a benchmark command, plus leading positional values.
struct BenchmarkOptions: Sendable {
  /// What went wrong while reading the options.
  struct Problem: Error, CustomStringConvertible {
    let description: String
  }

  private(set) var values: [String: String] = [:]
  private(set) var positional: [String] = []

  init(parsing arguments: [String]) throws {
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      if argument.hasPrefix("--") {
        guard index + 1 < arguments.count else {
          throw Problem(description: "option \(argument) needs a value, e.g. \(argument) 100")
        }
        values[String(argument.dropFirst(2))] = arguments[index + 1]
        index += 2
      } else {
        positional.append(argument)
        index += 1
      }
    }
  }

  /// The string value of `--name`, if given.
  func string(_ name: String) -> String? { values[name] }

  /// The integer value of `--name`, or `fallback`.
  func integer(_ name: String, default fallback: Int) throws -> Int {
    guard let text = values[name] else { return fallback }
    guard let value = Int(text), value > 0 else {
      throw Problem(description: "--\(name) must be a positive integer, got '\(text)'")
    }
    return value
  }

  /// Comma-separated positive integers of `--name`, e.g. `--concurrency 1,32,256`.
  func integers(_ name: String, default fallback: [Int]) throws -> [Int] {
    guard let text = values[name] else { return fallback }
    let parsed = text.split(separator: ",").map { Int($0.filter { $0 != " " }) }
    guard !parsed.isEmpty, parsed.allSatisfy({ ($0 ?? 0) > 0 }) else {
      throw Problem(description: "--\(name) must be comma-separated positive integers, got '\(text)'")
    }
    return parsed.compactMap { $0 }
  }
}
