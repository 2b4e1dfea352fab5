#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension FakeOllamaServer {
  /// A wall-clock instant with a UTC offset, rendered the way Go's RFC 3339 formatter does.
  public struct Timestamp: Sendable, Hashable {
    /// Seconds since the Unix epoch.
    public var seconds: Int
    /// Nanoseconds within the second (0..<1_000_000_000).
    public var nanoseconds: Int
    /// The local offset from UTC in minutes used when rendering (`-420` renders as `-07:00`).
    public var utcOffsetMinutes: Int

    /// Creates a timestamp.
    public init(seconds: Int, nanoseconds: Int = 0, utcOffsetMinutes: Int = 0) {
      self.seconds = seconds
      self.nanoseconds = nanoseconds
      self.utcOffsetMinutes = utcOffsetMinutes
    }

    /// The current time in UTC.
    public static func now() -> Timestamp {
      var spec = timespec()
      clock_gettime(CLOCK_REALTIME, &spec)
      return Timestamp(seconds: Int(spec.tv_sec), nanoseconds: Int(spec.tv_nsec))
    }

    /// This instant moved by `seconds`.
    public func adding(seconds delta: Int) -> Timestamp {
      Timestamp(seconds: seconds + delta, nanoseconds: nanoseconds, utcOffsetMinutes: utcOffsetMinutes)
    }

    /// RFC 3339 with trailing zeros of the fraction trimmed, like Go's `time.RFC3339Nano`
    /// (e.g. `2025-05-04T17:37:44.706015396-07:00` or `2025-07-07T20:22:19.184789Z`).
    public var rfc3339: String {
      let local = seconds + utcOffsetMinutes * 60
      let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
      let secondOfDay = local - days * 86_400
      let (year, month, day) = Self.civilDate(daysSinceEpoch: days)
      var text = "\(year)-\(Self.pad(month))-\(Self.pad(day))T"
      text += "\(Self.pad(secondOfDay / 3600)):\(Self.pad(secondOfDay / 60 % 60)):\(Self.pad(secondOfDay % 60))"
      if nanoseconds > 0 {
        var fraction = String(nanoseconds)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        text += "." + fraction
      }
      if utcOffsetMinutes == 0 { return text + "Z" }
      let magnitude = abs(utcOffsetMinutes)
      return text + (utcOffsetMinutes < 0 ? "-" : "+") + "\(Self.pad(magnitude / 60)):\(Self.pad(magnitude % 60))"
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Converts days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func civilDate(daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
      let shifted = daysSinceEpoch + 719_468
      let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
      let dayOfEra = shifted - era * 146_097
      let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
      let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
      let monthIndex = (5 * dayOfYear + 2) / 153
      let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
      let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
      return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
  }
}
