import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Summary statistics for benchmark samples.
public enum BenchmarkStatistics {
  /// The `p`-th percentile (0...100) of `samples` by linear interpolation between closest ranks,
  /// or `nil` when there are no samples.
  public static func percentile(_ p: Double, of samples: [Double]) -> Double? {
    guard !samples.isEmpty else { return nil }
    let sorted = samples.sorted()
    let rank = min(max(p, 0), 100) / 100 * Double(sorted.count - 1)
    let lower = Int(rank.rounded(.down))
    let upper = Int(rank.rounded(.up))
    let fraction = rank - Double(lower)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
  }

  /// The arithmetic mean, or `nil` when there are no samples.
  public static func mean(_ samples: [Double]) -> Double? {
    samples.isEmpty ? nil : samples.reduce(0, +) / Double(samples.count)
  }

  /// The process's peak resident set size in bytes (`VmHWM` from `/proc/self/status`), or `nil`
  /// where that file does not exist.
  public static func peakResidentBytes(statusFile: String = "/proc/self/status") -> Int? {
    guard let text = try? String(contentsOfFile: statusFile, encoding: .utf8) else { return nil }
    return parseKilobytes(field: "VmHWM", in: text).map { $0 * 1024 }
  }

  /// CPU time and context switches of this process, from `getrusage`.
  public struct ProcessUsage: Sendable, Hashable {
    /// User and system CPU seconds of every thread.
    public var cpuSeconds: Double
    /// Voluntary and involuntary context switches of every thread.
    public var contextSwitches: Int

    /// Creates a usage value.
    public init(cpuSeconds: Double, contextSwitches: Int) {
      self.cpuSeconds = cpuSeconds
      self.contextSwitches = contextSwitches
    }

    /// This process's usage so far, or `nil` where `getrusage` fails.
    public static func current() -> ProcessUsage? {
      var usage = rusage()
      #if canImport(Glibc)
      let who = __rusage_who_t(RUSAGE_SELF.rawValue)
      #else
      let who = RUSAGE_SELF
      #endif
      guard getrusage(who, &usage) == 0 else { return nil }
      func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
      return ProcessUsage(
        cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime), contextSwitches: usage.ru_nvcsw + usage.ru_nivcsw
      )
    }

    /// The usage between `earlier` and `later`.
    public static func - (later: ProcessUsage, earlier: ProcessUsage) -> ProcessUsage {
      ProcessUsage(
        cpuSeconds: later.cpuSeconds - earlier.cpuSeconds,
        contextSwitches: later.contextSwitches - earlier.contextSwitches)
    }
  }

  /// The value in kB of a `Name:   1234 kB` line of a `/proc` status file.
  static func parseKilobytes(field: String, in text: String) -> Int? {
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
      let digits = line.dropFirst(field.count + 1).filter(\.isNumber)
      return Int(digits)
    }
    return nil
  }
}
