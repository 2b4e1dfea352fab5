import Foundation

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

  /// The value in kB of a `Name:   1234 kB` line of a `/proc` status file.
  static func parseKilobytes(field: String, in text: String) -> Int? {
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
      let digits = line.dropFirst(field.count + 1).filter(\.isNumber)
      return Int(digits)
    }
    return nil
  }
}
