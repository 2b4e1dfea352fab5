/// One line that matched a search.
public struct WorkspaceSearchMatch: Sendable, Hashable {
  /// The path relative to the workspace root.
  public var path: String
  /// The 1-based line number.
  public var line: Int
  /// The line's text, shortened to ``WorkspaceSandbox/maximumMatchLineLength`` characters.
  public var text: String
}

/// The outcome of a search.
public struct WorkspaceSearchResult: Sendable, Hashable {
  /// The matching lines in path and line order.
  public var matches: [WorkspaceSearchMatch]
  /// How many text files were searched.
  public var filesSearched: Int
  /// Whether the search stopped early at the result or file limit.
  public var truncated: Bool
}

extension WorkspaceSandbox {
  /// The longest line text a search match carries; longer lines are cut with an ellipsis.
  public static let maximumMatchLineLength = 240

  /// Finds lines containing `query` in the text files under `path` (the root by default).
  ///
  /// The match is a literal substring, case-insensitive unless `caseSensitive`. Binary files, files
  /// over the size limit, symbolic links and skipped directories are passed over.
  public func search(_ query: String, in path: String = ".", caseSensitive: Bool = false) throws(WorkspaceError)
    -> WorkspaceSearchResult
  {
    guard !query.isEmpty, !query.contains("\n") else {
      throw WorkspaceError(.invalidArgument, "the search text must be a non-empty single line")
    }
    let start = try resolve(path)
    let needle = caseSensitive ? query : query.lowercased()
    var result = WorkspaceSearchResult(matches: [], filesSearched: 0, truncated: false)

    func searchFile(_ file: ResolvedPath) {
      guard let text = try? readText(file, displayPath: file.relative) else { return }
      result.filesSearched += 1
      var lineNumber = 0
      for line in Self.lines(of: text) {
        lineNumber += 1
        let haystack = caseSensitive ? String(line) : line.lowercased()
        guard haystack.contains(needle) else { continue }
        guard result.matches.count < configuration.maximumSearchResults else {
          result.truncated = true
          return
        }
        result.matches.append(WorkspaceSearchMatch(path: file.relative, line: lineNumber, text: Self.shorten(line)))
      }
    }

    switch FileSystemCalls.kind(at: start.absolute) {
    case .directory:
      try walk(start, depth: 0, recursive: true) { entry, absolute in
        guard entry.kind == .file else { return true }
        guard result.filesSearched < configuration.maximumSearchedFiles else {
          result.truncated = true
          return false
        }
        searchFile(ResolvedPath(absolute: absolute, relative: entry.path))
        return !result.truncated
      }
    case .file:
      searchFile(start)
    default:
      throw WorkspaceError(.notAFile, "'\(path)' is neither a file nor a directory")
    }
    return result
  }

  private static func shorten(_ line: Substring) -> String {
    let text = line.drop(while: { $0 == " " || $0 == "\t" })
    guard text.count > maximumMatchLineLength else { return String(text) }
    return String(text.prefix(maximumMatchLineLength)) + "…"
  }
}
