import Agents
import AgentsApp
import AgentsStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WireCore

/// Server-side conversations: the session a request names (`X-Session-ID`), its turns saved under the request's
/// `Idempotency-Key`, and a retried turn's stored answer replayed.
extension ChatCompletions {
  static let sessionField = HTTPField.Name(AgentServer.sessionHeader)!
  static let keyField = HTTPField.Name(AgentServer.idempotencyHeader)!
  static let bufferingField = HTTPField.Name("X-Accel-Buffering")!

  /// The conversation the request names, or nil for a stateless request.
  func conversation(for headers: HTTPFields) throws(ServerError) -> Conversation? {
    guard let sessionID = headers[Self.sessionField] else {
      if headers[Self.keyField] != nil {
        throw .badRequest(
          "'\(AgentServer.idempotencyHeader)' only applies to a server-side session; add '\(AgentServer.sessionHeader)'"
        )
      }
      return nil
    }
    try Self.validateSessionID(sessionID)
    let key = headers[Self.keyField] ?? UUID().uuidString
    guard !key.isEmpty, key.utf8.count <= 255, key.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 }) else {
      throw .badRequest("'\(AgentServer.idempotencyHeader)' must be 1 to 255 visible ASCII characters")
    }
    return Conversation(sessionID: sessionID, key: key, sessions: try Self.sessionStore(backend.sessions))
  }

  /// The messages after the last assistant message: the turn a client adds, whether it sends the whole
  /// conversation again or only the new message (the server already holds the rest).
  static func newTurn(of items: [Item]) -> [Item] {
    guard
      let lastAnswer = items.lastIndex(where: { if case .message(let m) = $0 { m.role == .assistant } else { false } })
    else { return items }
    return Array(items[(lastAnswer + 1)...]).filter { if case .message = $0 { true } else { false } }
  }

  /// Saves the run's new items as one turn under the conversation's key; returns the turn saved earlier under that
  /// key when a concurrent retry won (its answer is the one to send).
  func save(
    _ outcome: ConversationOutcome, of run: PreparedRun, in conversation: Conversation, completion: JSONValue
  ) async throws -> SessionTurn? {
    let items = Array(outcome.history.dropFirst(run.storedCount))
    return try await storeCall {
      try await conversation.sessions.addTurn(
        try StoredSession.encode(items, for: conversation.sessionID), to: conversation.sessionID, key: conversation.key,
        response: Data(completion.jsonBytes))
    }
  }

  /// The answer stored for a retried turn, marked `"replayed": true`.
  func replay(_ turn: SessionTurn, stream: Bool, includeUsage: Bool, sessionID: String) throws -> Response {
    let completion = CompletionRenderer.replayed(try JSONValue.parse(turn.response))
    var response: Response
    if stream {
      response = Response(
        status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
        body: .init(
          byteBuffer: ByteBuffer(bytes: CompletionRenderer.stream(of: completion, includeUsage: includeUsage))))
    } else {
      response = json(completion)
    }
    response.headers[Self.sessionField] = sessionID
    return response
  }

  /// Runs a store operation; a store failure is a 503 saying what failed.
  func storeCall<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch let error as StoreError {
      throw ServerError.storeUnavailable("the session store failed: \(error.message)")
    }
  }

  static func sessionStore(_ sessions: (any SessionStorage)?) throws(ServerError) -> any SessionStorage {
    guard let sessions else {
      throw ServerError.storeUnavailable(
        "this server keeps no sessions (its store is not usable); send the whole conversation without \(AgentServer.sessionHeader)"
      )
    }
    return sessions
  }

  static func validateSessionID(_ id: String) throws(ServerError) {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:@-")
    guard (1...128).contains(id.count), id.allSatisfy(allowed.contains) else {
      throw .badRequest(
        "a session id must be 1 to 128 letters, digits or . _ : @ -, e.g. a UUID; got \(id.count) characters")
    }
  }
}
