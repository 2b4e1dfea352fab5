import Foundation

/// A conversation ``Session`` kept in the SQLite store, so `agents chat --session ID` can resume it.
public struct StoredSession: Session {
  /// The session's id.
  public let sessionID: String
  private let store: SessionStore

  /// The session `sessionID` in `store` (created when its first items are added).
  public init(sessionID: String, store: SessionStore) {
    self.sessionID = sessionID
    self.store = store
  }

  /// The newest `limit` items, oldest first; stored items that no longer decode are skipped.
  public func items(limit: Int?) async throws -> [Item] {
    let decoder = JSONDecoder()
    return try await store.items(in: sessionID, limit: limit).compactMap { try? decoder.decode(Item.self, from: $0.json) }
  }

  /// Appends items in one transaction.
  public func addItems(_ items: [Item]) async throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    try await store.addItems(try items.map { try encoder.encode($0) }, to: sessionID)
  }

  /// Removes and returns the newest item.
  public func popItem() async throws -> Item? {
    guard let stored = try await store.popItem(from: sessionID) else { return nil }
    return try JSONDecoder().decode(Item.self, from: stored.json)
  }

  /// Removes every item (and the session itself, until new items arrive).
  public func clear() async throws {
    try await store.deleteSession(sessionID)
  }
}
