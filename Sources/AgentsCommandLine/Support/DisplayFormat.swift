import Foundation

/// Human-readable byte counts (decimal units, as Ollama prints them).
package enum ByteCount {
  /// `2.0 GB`, `512 MB`, `12 KB`, `800 B`.
  package static func format(_ bytes: Int64) -> String {
    let units: [(Double, String)] = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB")]
    for (size, unit) in units where Double(bytes) >= size {
      let value = Double(bytes) / size
      return String(format: value >= 100 ? "%.0f" : "%.1f", value) + " " + unit
    }
    return "\(bytes) B"
  }

  /// ``format(_:)`` for an `Int`.
  package static func format(_ bytes: Int) -> String { format(Int64(bytes)) }
}

/// The one way the commands show dates, counts and durations to people (JSON uses ISO 8601, numbers and `_ms`).
package enum DisplayFormat {
  /// `2026-12-06 14:30`, in local time: sortable, the same in every command, no locale surprises.
  package static func date(_ date: Date, timeZone: TimeZone = .current) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = timeZone
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    return formatter.string(from: date)
  }

  /// `1 model switch`, `2 model switches`, `0 answers`.
  package static func count(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
  }

  /// A time span for people: `850 ms`, `4.2 s`, `3 min 5 s`, `2 h 4 min`.
  package static func duration(seconds: Double) -> String {
    if seconds < 1 { return String(format: "%.0f ms", seconds * 1000) }
    if seconds < 60 { return String(format: "%.1f s", seconds) }
    let whole = Int(seconds.rounded())
    if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
    return "\(whole / 3600) h \(whole % 3600 / 60) min"
  }
}
