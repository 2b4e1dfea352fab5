import Foundation
import WireCore

/// Where conversation histories live: the operations every session store offers, whatever holds the data.
///
/// ``SessionStore`` keeps sessions in the local SQLite file; `PostgresSessionStore` (the `AgentsStorePostgres`
/// module) keeps them in a PostgreSQL database that several processes or machines share. Both pass the same
/// test suite. Items are JSON documents stored verbatim, ordered by insertion; each call that adds items is
/// one transaction, so a crash leaves whole turns only.
public protocol SessionStorage: Sendable {
  /// Returns the newest `limit` items of the session (all when `limit` is nil) in chronological order.
  func items(in sessionID: String, limit: Int?) async throws -> [StoredSessionItem]

  /// Appends `items` (each one JSON document) to the session in one transaction, creating the session if new.
  func addItems(_ items: [Data], to sessionID: String) async throws

  /// Appends one turn's `items` and records the turn under `key` with the `response` that answered it, in one
  /// transaction; when the session already holds a turn with that key, nothing is saved and that turn is returned.
  ///
  /// This makes a retried request safe: a client that resends a turn after a lost answer (a crashed server, a
  /// cut connection) gets the first answer back instead of a second copy of the turn.
  ///
  /// - Returns: nil when the turn was saved; the turn saved earlier under `key` otherwise.
  func addTurn(_ items: [Data], to sessionID: String, key: String, response: Data) async throws -> SessionTurn?

  /// The turn recorded under `key` in the session, or nil.
  func turn(_ key: String, in sessionID: String) async throws -> SessionTurn?

  /// Removes and returns the newest item of the session, or nil when it is empty.
  func popItem(from sessionID: String) async throws -> StoredSessionItem?

  /// Deletes the session, its items and its turns; returns whether it existed.
  @discardableResult
  func deleteSession(_ sessionID: String) async throws -> Bool

  /// Lists every stored session, most recently updated first.
  func sessions() async throws -> [SessionSummary]

  /// Returns the summary of one session, or nil when no session has that id.
  func summary(of sessionID: String) async throws -> SessionSummary?
}

extension SessionStorage {
  /// Every item of the session, oldest first.
  public func items(in sessionID: String) async throws -> [StoredSessionItem] {
    try await items(in: sessionID, limit: nil)
  }
}

/// A turn recorded under a client's key (an `Idempotency-Key`): when it was saved and the answer it got.
@MemberwiseInit
public struct SessionTurn: Sendable, Hashable {
  /// The key the client sent with the turn.
  public var key: String
  /// The answer as it was sent, stored verbatim (for `agents serve`, the `chat.completion` JSON).
  public var response: Data
  /// When the turn was saved.
  public var createdAt: Date
}

/// Checks shared by every session store, so both stores refuse the same arguments with the same words.
package enum SessionArguments {
  /// The longest turn key accepted.
  package static let maximumKeyLength = 255

  /// Refuses an empty session id.
  package static func validate(_ sessionID: String) throws(StoreError) {
    guard !sessionID.isEmpty else {
      throw StoreError(.invalidArgument, "a session id must not be empty; pass a name such as \"default\"")
    }
  }

  /// Refuses a negative item limit.
  package static func validate(limit: Int?) throws(StoreError) {
    if let limit, limit < 0 {
      throw StoreError(.invalidArgument, "a session item limit must be zero or more, got \(limit)")
    }
  }

  /// Refuses an empty or over-long turn key.
  package static func validate(key: String) throws(StoreError) {
    guard !key.isEmpty, key.utf8.count <= maximumKeyLength else {
      throw StoreError(
        .invalidArgument, "a turn key must have 1 to \(maximumKeyLength) bytes, got \(key.utf8.count)")
    }
  }

  /// Checks that every item is one JSON document, naming the first that is not; nothing is saved then.
  package static func validate(items: [Data], for sessionID: String) throws(StoreError) {
    try validate(sessionID)
    for (index, item) in items.enumerated() {
      do {
        _ = try JSONValue.parse(item)
      } catch {
        throw StoreError(
          .encoding, "item \(index) added to session \(sessionID) is not valid JSON (\(error)); nothing was saved")
      }
    }
  }
}
