/// Plain-text tables with aligned columns, as the utility commands print them.
package struct TextTable: Sendable {
  /// How a column's cells are aligned.
  package enum Alignment: Sendable { case left, right }

  /// The column headings.
  package var headers: [String]
  /// The alignment of each column.
  package var alignments: [Alignment]
  /// The rows, each with one cell per column.
  package var rows: [[String]] = []

  /// Creates an empty table; columns are left-aligned unless `alignments` says otherwise.
  package init(headers: [String], alignments: [Alignment]? = nil) {
    self.headers = headers
    self.alignments = alignments ?? headers.map { _ in .left }
  }

  /// The fewest characters of the last column that ``render(style:width:)`` keeps when it fits a table to a width.
  package static let minimumLastColumn = 20

  /// Adds a row (missing cells are blank).
  package mutating func add(_ cells: [String]) {
    rows.append(cells + Array(repeating: "", count: max(0, headers.count - cells.count)))
  }

  /// The table as lines: the header, then the rows; cells separated by two spaces, no trailing spaces.
  ///
  /// With `width` (a terminal's columns), cells of the last column are cut with `…` so that no line is wider,
  /// keeping at least ``minimumLastColumn`` characters of them (descriptions stay readable on one row instead of
  /// wrapping under the first column).
  package func render(style: TextStyle = TextStyle(enabled: false), width: Int? = nil) -> [String] {
    let widths = headers.indices.map { column in
      ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
    }
    if let width, let last = headers.indices.last, last > 0 {
      let before = widths.dropLast().reduce(0, +) + 2 * last
      let room = max(width - before, Self.minimumLastColumn)
      if widths[last] > room {
        var fitted = self
        fitted.rows = rows.map { row in
          var row = row
          if row[last].count > room {
            var cut = String(row[last].prefix(room - 1))
            while cut.last == " " { cut.removeLast() }
            row[last] = cut + "…"
          }
          return row
        }
        return fitted.render(style: style)
      }
    }
    func line(_ cells: [String]) -> String {
      var parts: [String] = []
      for (column, cell) in cells.enumerated() where column < widths.count {
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        parts.append(alignments[column] == .right ? padding + cell : cell + padding)
      }
      var text = parts.joined(separator: "  ")
      while text.last == " " { text.removeLast() }
      return text
    }
    return [style.bold(line(headers))] + rows.map(line)
  }
}
