/// Conversation memory that outlives a run: the runner loads its items before a run and, when the run
/// succeeds, adds its new input and generated items in one ``addItems(_:)`` call.
///
/// Semantics follow the Python Agents SDK: ``items(limit:)`` returns the newest `limit` items in
/// chronological order, ``popItem()`` removes and returns the newest item.
public protocol Session: Sendable {
  /// The session's identifier.
  var sessionID: String { get }
  /// The newest `limit` items (all when `nil`), oldest first.
  func items(limit: Int?) async throws -> [Item]
  /// Appends items.
  func addItems(_ items: [Item]) async throws
  /// Removes and returns the newest item, or `nil` when empty.
  func popItem() async throws -> Item?
  /// Removes every item.
  func clear() async throws
}

/// A session kept in memory, for tests and short-lived chats.
public actor InMemorySession: Session {
  /// The session's identifier.
  public nonisolated let sessionID: String
  private var storage: [Item]

  /// Creates a session, optionally with some history.
  public init(sessionID: String = "default", items: [Item] = []) {
    self.sessionID = sessionID
    self.storage = items
  }

  /// The newest `limit` items (all when `nil`), oldest first.
  public func items(limit: Int? = nil) -> [Item] {
    guard let limit else { return storage }
    return Array(storage.suffix(max(0, limit)))
  }

  /// Appends items.
  public func addItems(_ items: [Item]) { storage.append(contentsOf: items) }

  /// Removes and returns the newest item.
  public func popItem() -> Item? { storage.popLast() }

  /// Removes every item.
  public func clear() { storage.removeAll() }
}
