/// A patch for one file in unified diff format (`diff -u`, `git diff`), applied by content rather than by line
/// numbers, so the offsets small models get wrong do not matter.
///
/// Each hunk's old lines (context and `-` lines) must appear in the file; they are replaced by its new lines
/// (context and `+` lines). When a hunk's old lines appear more than once, the occurrence nearest the hunk
/// header's line number is used. `---`/`+++` headers, `diff --git` lines and `\ No newline at end of file` are
/// accepted and ignored. A hunk that does not match is an error that quotes it, so the model can read the file
/// again and retry.
public struct UnifiedPatch: Sendable, Hashable {
  /// One hunk: the lines it expects and the lines it puts in their place.
  public struct Hunk: Sendable, Hashable {
    /// The 1-based old line number from the `@@` header, if there was one.
    public var oldStart: Int?
    /// Context and removed lines, in order.
    public var oldLines: [String]
    /// Context and added lines, in order.
    public var newLines: [String]
  }

  /// Why a patch could not be read or applied; the message is written for the model.
  public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong and what to do.
    public var message: String
    /// The message.
    public var description: String { message }
  }

  /// The hunks, in order.
  public var hunks: [Hunk]

  /// Parses `text`.
  ///
  /// - Throws: ``Failure`` when it has no hunk, or a hunk line does not start with a space, `-` or `+`.
  public init(_ text: String) throws(Failure) {
    var hunks: [Hunk] = []
    var current: Hunk?
    for (number, line) in LineDiff.split(text).enumerated() {
      if line.hasPrefix("@@") {
        if let current, !(current.oldLines.isEmpty && current.newLines.isEmpty) { hunks.append(current) }
        current = Hunk(oldStart: Self.oldStart(in: line), oldLines: [], newLines: [])
        continue
      }
      if current == nil, line.hasPrefix("---") || line.hasPrefix("+++") || line.hasPrefix("diff ")
        || line.hasPrefix("index ")
      {
        continue
      }
      if line.hasPrefix("\\") { continue }  // "\ No newline at end of file"
      var hunk = current ?? Hunk(oldStart: nil, oldLines: [], newLines: [])
      switch line.first {
      case " ":
        hunk.oldLines.append(String(line.dropFirst()))
        hunk.newLines.append(String(line.dropFirst()))
      case "-": hunk.oldLines.append(String(line.dropFirst()))
      case "+": hunk.newLines.append(String(line.dropFirst()))
      case nil:  // an empty context line whose leading space was lost
        hunk.oldLines.append("")
        hunk.newLines.append("")
      default:
        throw Failure(
          message: "line \(number + 1) of the patch, '\(line.prefix(80))', does not start with ' ', '-' or '+'. "
            + "Write the patch in unified diff format: '@@' hunk headers, then context lines starting with a space, "
            + "removed lines with '-', added lines with '+'.")
      }
      current = hunk
    }
    if let current, !(current.oldLines.isEmpty && current.newLines.isEmpty) { hunks.append(current) }
    guard !hunks.isEmpty else {
      throw Failure(
        message: "the patch has no changes. Give a unified diff: '@@' hunk headers followed by lines starting "
          + "with ' ' (context), '-' (removed) or '+' (added).")
    }
    self.hunks = hunks
  }

  /// The text after applying every hunk to `text`, keeping its line ending style and final newline.
  ///
  /// - Throws: ``Failure`` naming the first hunk whose old lines are not in the file.
  public func apply(to text: String) throws(Failure) -> String {
    var lines = LineDiff.split(text)
    var searchFrom = 0
    for (index, hunk) in hunks.enumerated() {
      if hunk.oldLines.isEmpty {
        // Pure addition: at its header's position, else at the end.
        let position = min(max(hunk.oldStart ?? lines.count, searchFrom), lines.count)
        lines.insert(contentsOf: hunk.newLines, at: position)
        searchFrom = position + hunk.newLines.count
        continue
      }
      guard let start = Self.locate(hunk, in: lines, from: searchFrom) else {
        let quoted = hunk.oldLines.prefix(6).map { "  " + $0 }.joined(separator: "\n")
        throw Failure(
          message: "hunk \(index + 1) of \(hunks.count) does not match the file: these lines are not in it\n"
            + quoted + (hunk.oldLines.count > 6 ? "\n  …" : "")
            + "\nRead the file again and make the context and '-' lines exactly as they are now.")
      }
      lines.replaceSubrange(start..<(start + hunk.oldLines.count), with: hunk.newLines)
      searchFrom = start + hunk.newLines.count
    }
    let ending = text.utf8.contains(13) ? "\r\n" : "\n"  // "\r\n" is one Character: compare bytes
    let finalNewline = text.isEmpty || text.utf8.last == 10
    guard !lines.isEmpty else { return "" }
    return lines.joined(separator: ending) + (finalNewline ? ending : "")
  }

  /// Where `hunk`'s old lines start in `lines` at or after `from`: exact matches first, then matches that ignore
  /// trailing white space; the one nearest the header's line number wins.
  private static func locate(_ hunk: Hunk, in lines: [String], from: Int) -> Int? {
    let count = hunk.oldLines.count
    guard lines.count - from >= count else { return nil }
    let hint = (hunk.oldStart ?? 1) - 1
    for compare in [{ (a: String, b: String) in a == b }, { $0.trimmingTrailingSpace() == $1.trimmingTrailingSpace() }] {
      let matches = (from...(lines.count - count)).filter { start in
        zip(lines[start..<(start + count)], hunk.oldLines).allSatisfy(compare)
      }
      if let best = matches.min(by: { abs($0 - hint) < abs($1 - hint) }) { return best }
    }
    return nil
  }

  private static func oldStart(in header: String) -> Int? {
    // "@@ -12,7 +12,8 @@ optional section"
    guard let minus = header.firstIndex(of: "-") else { return nil }
    let digits = header[header.index(after: minus)...].prefix { $0.isNumber }
    return Int(digits)
  }
}

extension String {
  fileprivate func trimmingTrailingSpace() -> Substring {
    self[..<(lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? startIndex)]
  }
}
