/// A line-based unified diff between two texts, as `diff -u` prints it, for showing a file edit before a person
/// approves it.
///
/// Lines are compared exactly (LF and CRLF both end a line). The edit script is a longest common subsequence of
/// lines, found with Myers' O((N+M)·D) algorithm after the common head and tail are set aside, so a small edit
/// to a large file stays cheap.
public struct LineDiff: Sendable, Hashable {
  /// One line of the edit script.
  public enum Line: Sendable, Hashable {
    /// In both texts.
    case same(String)
    /// Only in the old text.
    case removed(String)
    /// Only in the new text.
    case added(String)
  }

  /// The edit script, in order.
  public let lines: [Line]

  /// Compares `old` with `new`.
  public init(old: String, new: String) {
    lines = Self.script(Self.split(old), Self.split(new))
  }

  /// Whether the texts have the same lines.
  public var isEmpty: Bool { !lines.contains { if case .same = $0 { false } else { true } } }

  /// The number of added and removed lines.
  public var counts: (added: Int, removed: Int) {
    lines.reduce(into: (0, 0)) { counts, line in
      switch line {
      case .added: counts.0 += 1
      case .removed: counts.1 += 1
      case .same: break
      }
    }
  }

  /// The diff in unified format with `context` lines around each change, headed `--- a/<path>` / `+++ b/<path>`
  /// (`/dev/null` for a file that does not exist yet); an empty string when nothing changes.
  public func unified(path: String, isNewFile: Bool = false, context: Int = 3) -> String {
    guard !isEmpty else { return "" }
    var output = [isNewFile ? "--- /dev/null" : "--- a/\(path)", "+++ b/\(path)"]
    for hunk in hunks(context: context) {
      output.append(hunk.header)
      output += hunk.lines.map { line in
        switch line {
        case .same(let text): " " + text
        case .removed(let text): "-" + text
        case .added(let text): "+" + text
        }
      }
    }
    return output.joined(separator: "\n") + "\n"
  }

  private struct Hunk {
    var oldStart: Int
    var newStart: Int
    var lines: ArraySlice<Line>

    var header: String {
      var oldCount = 0
      var newCount = 0
      for line in lines {
        switch line {
        case .same: oldCount += 1; newCount += 1
        case .removed: oldCount += 1
        case .added: newCount += 1
        }
      }
      // diff -u numbers an empty side from the line before it.
      return "@@ -\(oldCount == 0 ? oldStart - 1 : oldStart),\(oldCount) +\(newCount == 0 ? newStart - 1 : newStart),\(newCount) @@"
    }
  }

  private func hunks(context: Int) -> [Hunk] {
    let changed = lines.indices.filter { if case .same = lines[$0] { false } else { true } }
    var ranges: [ClosedRange<Int>] = []
    for index in changed {
      let range = max(0, index - context)...min(lines.count - 1, index + context)
      if let last = ranges.last, range.lowerBound <= last.upperBound + 1 {
        ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
      } else {
        ranges.append(range)
      }
    }
    var hunks: [Hunk] = []
    var oldLine = 1
    var newLine = 1
    var position = 0
    for range in ranges {
      while position < range.lowerBound {
        Self.advance(lines[position], old: &oldLine, new: &newLine)
        position += 1
      }
      hunks.append(Hunk(oldStart: oldLine, newStart: newLine, lines: lines[range]))
      while position <= range.upperBound {
        Self.advance(lines[position], old: &oldLine, new: &newLine)
        position += 1
      }
    }
    return hunks
  }

  private static func advance(_ line: Line, old: inout Int, new: inout Int) {
    switch line {
    case .same: old += 1; new += 1
    case .removed: old += 1
    case .added: new += 1
    }
  }

  /// The lines of `text`; a final line ending does not start another line.
  static func split(_ text: String) -> [String] {
    guard !text.isEmpty else { return [] }
    var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
      .map(String.init)
    if lines.last == "" { lines.removeLast() }
    return lines
  }

  /// The edit script turning `old` into `new`.
  static func script(_ old: [String], _ new: [String]) -> [Line] {
    var head = 0
    while head < old.count, head < new.count, old[head] == new[head] { head += 1 }
    var tail = 0
    while tail < old.count - head, tail < new.count - head, old[old.count - 1 - tail] == new[new.count - 1 - tail] {
      tail += 1
    }
    let middle = myers(Array(old[head..<(old.count - tail)]), Array(new[head..<(new.count - tail)]))
    return old[..<head].map(Line.same) + middle + old[(old.count - tail)...].map(Line.same)
  }

  /// Myers' greedy shortest edit script, with the trace kept to walk it back.
  private static func myers(_ old: [String], _ new: [String]) -> [Line] {
    let n = old.count
    let m = new.count
    if n == 0 { return new.map(Line.added) }
    if m == 0 { return old.map(Line.removed) }
    let limit = n + m
    var frontier = [Int](repeating: 0, count: 2 * limit + 2)
    var trace: [[Int]] = []
    search: for depth in 0...limit {
      trace.append(frontier)
      for diagonal in stride(from: -depth, through: depth, by: 2) {
        let k = diagonal + limit
        var x: Int
        if diagonal == -depth || (diagonal != depth && frontier[k - 1] < frontier[k + 1]) {
          x = frontier[k + 1]
        } else {
          x = frontier[k - 1] + 1
        }
        var y = x - diagonal
        while x < n, y < m, old[x] == new[y] {
          x += 1
          y += 1
        }
        frontier[k] = x
        if x >= n, y >= m { break search }
      }
    }
    var script: [Line] = []
    var x = n
    var y = m
    for depth in stride(from: trace.count - 1, through: 0, by: -1) {
      let previous = trace[depth]
      let diagonal = x - y
      let k = diagonal + limit
      let previousDiagonal: Int
      if diagonal == -depth || (diagonal != depth && previous[k - 1] < previous[k + 1]) {
        previousDiagonal = diagonal + 1
      } else {
        previousDiagonal = diagonal - 1
      }
      let previousX = depth == 0 ? 0 : previous[previousDiagonal + limit]
      let previousY = previousX - previousDiagonal
      while x > previousX, y > previousY {
        script.append(.same(old[x - 1]))
        x -= 1
        y -= 1
      }
      if depth > 0 {
        if x == previousX { script.append(.added(new[y - 1])) } else { script.append(.removed(old[x - 1])) }
      }
      x = previousX
      y = previousY
    }
    return script.reversed()
  }
}
