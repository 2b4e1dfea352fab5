import AgentsMCPServer
import Foundation
import MCP

/// The MCP sessions of `agents mcp serve --http`: one SDK server and Streamable HTTP transport per client that
/// sent `initialize`, found again by the `Mcp-Session-Id` header, ended by the client's DELETE, by being idle for
/// longer than the idle timeout, or by the server stopping.
///
/// The number of sessions is bounded: an `initialize` beyond the limit (after idle sessions were expired) gets 503
/// with what to do, and the sessions already open are not touched.
actor MCPHTTPSessions {
  private struct Entry {
    let transport: StatefulHTTPServerTransport
    let server: Server
    var lastUsed: ContinuousClock.Instant
  }

  private let agents: MCPAgentServer
  private let maximum: Int
  private let idleTimeout: Duration
  private let allowsAnyHost: Bool
  private var entries: [String: Entry] = [:]
  /// Sessions being opened: counted against the limit before their first suspension.
  private var opening = 0
  private var closed = false

  /// Sessions of `agents`, at most `maximum` at once; `allowsAnyHost` turns off the SDK's DNS-rebinding check of
  /// the `Host` and `Origin` headers (for a non-loopback address, which needs API keys instead).
  init(agents: MCPAgentServer, maximum: Int, idleTimeout: Duration, allowsAnyHost: Bool) {
    self.agents = agents
    self.maximum = maximum
    self.idleTimeout = idleTimeout
    self.allowsAnyHost = allowsAnyHost
  }

  /// How many sessions are open.
  var count: Int { entries.count }

  /// Answers one HTTP request to the MCP endpoint.
  func handle(_ request: MCP.HTTPRequest) async -> MCP.HTTPResponse {
    if let id = request.header(HTTPHeaderName.sessionID) {
      guard let entry = entries[id] else {
        return .error(
          statusCode: 404,
          .invalidRequest(
            "Not Found: no session \(id) here (it ended, expired or the server restarted); initialize a new one"))
      }
      entries[id]?.lastUsed = .now
      let response = await entry.transport.handleRequest(request)
      if request.method.uppercased() == "DELETE", response.statusCode == 200 { await end(id) }
      return response
    }
    guard request.method.uppercased() == "POST", Self.isInitialize(request.body) else {
      return .error(
        statusCode: 400,
        .invalidRequest("Bad Request: send 'initialize' first, then the Mcp-Session-Id header its answer carries"))
    }
    await expireIdle()
    guard !closed else {
      return .error(statusCode: 503, .internalError("Service Unavailable: the server is shutting down"))
    }
    guard entries.count + opening < maximum else {
      return .error(
        statusCode: 503,
        .internalError(
          "Service Unavailable: this server already has \(maximum) MCP sessions, its limit (--max-sessions); "
            + "end one (a client's DELETE) or wait until an idle one expires"))
    }
    return await open(request)
  }

  /// Ends every session; later requests get 503.
  func closeAll() async {
    closed = true
    for id in Array(entries.keys) { await end(id) }
  }

  private func open(_ request: MCP.HTTPRequest) async -> MCP.HTTPResponse {
    let id = UUID().uuidString
    let transport = StatefulHTTPServerTransport(
      sessionIDGenerator: FixedSessionID(id: id),
      validationPipeline: StandardValidationPipeline(validators: [
        allowsAnyHost ? OriginValidator.disabled : OriginValidator.localhost(),
        AcceptHeaderValidator(mode: .sseRequired),
        ContentTypeValidator(), ProtocolVersionValidator(), SessionValidator(),
      ]))
    opening += 1
    let server = await agents.makeServer()
    opening -= 1
    entries[id] = Entry(transport: transport, server: server, lastUsed: .now)
    do {
      try await server.start(transport: transport)
    } catch {
      entries[id] = nil
      return .error(statusCode: 500, .internalError("the MCP session could not start: \(error)"))
    }
    let response = await transport.handleRequest(request)
    if response.statusCode != 200 { await end(id) }
    return response
  }

  private func end(_ id: String) async {
    guard let entry = entries.removeValue(forKey: id) else { return }
    await entry.server.stop()
  }

  private func expireIdle() async {
    let now = ContinuousClock.now
    for (id, entry) in entries where now - entry.lastUsed > idleTimeout { await end(id) }
  }

  /// Whether `body` is a JSON-RPC `initialize` request.
  private static func isInitialize(_ body: Data?) -> Bool {
    guard let body, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return false }
    return object["method"] as? String == "initialize" && object["id"] != nil
  }
}

/// Gives the transport the session id ``MCPHTTPSessions`` chose, so it can file the session before the answer.
private struct FixedSessionID: SessionIDGenerator {
  let id: String
  func generateSessionID() -> String { id }
}
