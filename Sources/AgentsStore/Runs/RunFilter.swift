import Foundation
import GRDB

/// Which run records a query covers: a time window and optional agent, model and session.
@MemberwiseInit
public struct RunFilter: Sendable, Hashable {
  /// Only runs started at or after this time.
  public var since: Date?
  /// Only runs started before this time.
  public var until: Date?
  /// Only runs of this agent.
  public var agent: String?
  /// Only runs on this model.
  public var model: String?
  /// Only runs in this session.
  public var sessionID: String?

  /// One value a filter compares a column with.
  package enum Value: Sendable, Hashable {
    /// Seconds since 1970 (times are stored that way in every store).
    case seconds(Double)
    /// A name.
    case text(String)
  }

  /// The filter as SQL: a condition with one `?` per value (`TRUE` when the filter matches everything), for
  /// any store to bind in its own way.
  package struct Condition: Sendable, Hashable {
    /// The condition, e.g. `started_at >= ? AND agent = ?`.
    package var sql: String
    /// The values, in the order of the `?` marks.
    package var values: [Value]
  }

  /// The condition on the `runs` table (columns optionally qualified by `table`).
  package func runCondition(table: String? = nil) -> Condition {
    let column = { (name: String) in table.map { "\($0).\(name)" } ?? name }
    return condition(
      timeColumn: column("started_at"),
      equal: [(column("agent"), agent), (column("model"), model), (column("session_id"), sessionID)])
  }

  /// The same window and agent applied to the `model_switches` table (switches have no session of their own).
  package func switchCondition() -> Condition {
    condition(timeColumn: "at", equal: [("agent", agent)])
  }

  private func condition(timeColumn: String, equal: [(column: String, value: String?)]) -> Condition {
    var clauses: [String] = []
    var values: [Value] = []
    if let since {
      clauses.append("\(timeColumn) >= ?")
      values.append(.seconds(since.timeIntervalSince1970))
    }
    if let until {
      clauses.append("\(timeColumn) < ?")
      values.append(.seconds(until.timeIntervalSince1970))
    }
    for (column, value) in equal {
      guard let value else { continue }
      clauses.append("\(column) = ?")
      values.append(.text(value))
    }
    return Condition(sql: clauses.isEmpty ? "TRUE" : clauses.joined(separator: " AND "), values: values)
  }
}

extension RunFilter.Condition {
  /// The values as GRDB statement arguments.
  var arguments: StatementArguments {
    StatementArguments(
      values.map { value -> (any DatabaseValueConvertible)? in
        switch value {
        case .seconds(let seconds): seconds
        case .text(let text): text
        }
      })
  }
}
