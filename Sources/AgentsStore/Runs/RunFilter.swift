import Foundation
import GRDB

/// Which run records a query covers: a time window and optional agent, model and session.
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

  /// Creates a filter; every field left nil matches everything.
  public init(
    since: Date? = nil, until: Date? = nil, agent: String? = nil, model: String? = nil, sessionID: String? = nil
  ) {
    self.since = since
    self.until = until
    self.agent = agent
    self.model = model
    self.sessionID = sessionID
  }

  /// The SQL condition on the `runs` table (optionally qualified by `table`) and its arguments.
  func sqlCondition(table: String? = nil) -> (sql: String, arguments: StatementArguments) {
    let column = { (name: String) in table.map { "\($0).\(name)" } ?? name }
    return condition(
      timeColumn: column("started_at"),
      equal: [(column("agent"), agent), (column("model"), model), (column("session_id"), sessionID)])
  }

  /// The same window and agent applied to the `model_switches` table (switches have no session of their own).
  func switchCondition() -> (sql: String, arguments: StatementArguments) {
    condition(timeColumn: "at", equal: [("agent", agent)])
  }

  private func condition(
    timeColumn: String, equal: [(column: String, value: String?)]
  ) -> (sql: String, arguments: StatementArguments) {
    var clauses: [String] = []
    var arguments: [(any DatabaseValueConvertible)?] = []
    if let since {
      clauses.append("\(timeColumn) >= ?")
      arguments.append(since.timeIntervalSince1970)
    }
    if let until {
      clauses.append("\(timeColumn) < ?")
      arguments.append(until.timeIntervalSince1970)
    }
    for (column, value) in equal {
      guard let value else { continue }
      clauses.append("\(column) = ?")
      arguments.append(value)
    }
    return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), StatementArguments(arguments))
  }
}
