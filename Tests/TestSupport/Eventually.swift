import Testing

/// Yields until `condition` holds, for state that changes on other tasks; records an issue and returns `false` when it
/// still does not hold after `limit` (a guard against a hang, not a timing margin: passing runs never get near it).
@discardableResult
package func eventually(
  within limit: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation,
  _ condition: () -> Bool
) async -> Bool {
  let clock = ContinuousClock()
  let deadline = clock.now.advanced(by: limit)
  var spins = 0
  while !condition() {
    guard clock.now < deadline else {
      Issue.record("the condition did not hold within \(limit)", sourceLocation: sourceLocation)
      return false
    }
    // Yield first (most conditions hold within a few hops), then sleep briefly so a waiting test leaves the CPU to
    // the tasks it waits for.
    if spins < 100 {
      spins += 1
      await Task.yield()
    } else {
      try? await Task.sleep(for: .milliseconds(1))
    }
  }
  return true
}
