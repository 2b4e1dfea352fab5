import Foundation

/// Turns pull progress into output: a redrawn progress bar on a terminal, or plain lines (one per
/// status change and per 10 % of a layer) when output is piped.
package struct PullProgressDisplay: Sendable {
  private let terminal: Bool
  private let columns: Int
  private var lastStatus: String?
  private var lastDecile = -1
  private var barShown = false
  /// When (seconds) and at how many bytes the speed measurement started.
  private var rateStart: (seconds: Double, bytes: Int64)?
  private let clock: @Sendable () -> Double

  /// Creates a display for a terminal of `columns` columns, or for plain output; `clock` gives the time in seconds
  /// (for the download speed and the time left).
  package init(terminal: Bool, columns: Int = 80, clock: @escaping @Sendable () -> Double = PullProgressDisplay.uptime) {
    self.terminal = terminal
    self.columns = columns
    self.clock = clock
  }

  /// Seconds on a monotonic clock (since the first call).
  package static func uptime() -> Double {
    let elapsed = ContinuousClock.now - origin
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  }

  private static let origin = ContinuousClock.now

  /// What to write for one progress event.
  package struct Output: Sendable, Hashable {
    /// The text (the server's status is in it; the console sanitises it).
    package var text: String
    /// Whether the text replaces the current line (a redrawn bar) instead of following it.
    package var redrawsLine: Bool
  }

  /// What to write for one progress event, or `nil` when nothing changes visibly.
  package mutating func update(_ progress: OllamaPullProgress) -> Output? {
    guard let text = text(for: progress) else { return nil }
    return Output(text: text, redrawsLine: terminal && barShown && progress.layer.map { $0.total > 0 } == true)
  }

  private mutating func text(for progress: OllamaPullProgress) -> String? {
    let status = progress.status
    if let layer = progress.layer, layer.total > 0 {
      let fraction = min(1, Double(layer.completed) / Double(layer.total))
      let rate = rate(completed: progress.completedBytes, total: progress.totalBytes)
      if terminal {
        barShown = true
        return bar(status: status, fraction: fraction, completed: layer.completed, total: layer.total) + rate
      }
      let decile = Int(fraction * 10)
      guard status != lastStatus || decile != lastDecile else { return nil }
      lastStatus = status
      lastDecile = decile
      return "\(status): \(decile * 10)% (\(ByteCount.format(layer.completed))/\(ByteCount.format(layer.total)))\(rate)\n"
    }
    guard status != lastStatus else { return nil }
    lastStatus = status
    lastDecile = -1
    let prefix = terminal && barShown ? "\n" : ""
    barShown = false
    return prefix + status + "\n"
  }

  /// ` 12 MB/s, 1 min 5 s left` for the whole pull, once a second of it has been measured; empty before and at the end.
  private mutating func rate(completed: Int64, total: Int64) -> String {
    let now = clock()
    guard let start = rateStart else {
      rateStart = (now, completed)
      return ""
    }
    let elapsed = now - start.seconds
    let bytes = completed - start.bytes
    guard elapsed >= 1, bytes > 0, completed < total else { return "" }
    let speed = Double(bytes) / elapsed
    let left = DisplayFormat.duration(seconds: Double(total - completed) / speed)
    return " \(ByteCount.format(Int64(speed)))/s, \(left) left"
  }

  /// The text that ends the display (a newline after a bar still on screen), or `nil`.
  package mutating func finish() -> String? {
    guard barShown else { return nil }
    barShown = false
    return "\n"
  }

  private func bar(status: String, fraction: Double, completed: Int64, total: Int64) -> String {
    let percent = String(format: "%3d%%", Int(fraction * 100))
    let sizes = "\(ByteCount.format(completed))/\(ByteCount.format(total))"
    let width = max(10, min(40, columns - status.count - percent.count - sizes.count - 6))
    let filled = Int(fraction * Double(width))
    return "\(status) \(percent) ▕" + String(repeating: "█", count: filled)
      + String(repeating: " ", count: width - filled) + "▏ \(sizes)"
  }
}
