import Foundation
import Logging
import MCP
import NIOCore
import NIOHTTP1
import WireCore

/// MCP's Streamable HTTP transport on the client side, over WireCore's ``HTTPTransport`` (AsyncHTTPClient) and
/// ``SSEParser``: every message is POSTed to the endpoint; the server answers with JSON, with an SSE stream that
/// carries the answer (and any notifications before it), or with 202 for notifications. The session id the server
/// gives with its `initialize` answer goes on every later request, with the negotiated protocol version; a GET
/// stream carries what the server sends on its own (such as `notifications/tools/list_changed`) when the server
/// offers one. A session the server no longer knows (404) or a server that cannot be reached ends the transport,
/// so the connection starts a new session on the next use; ``disconnect()`` ends the session with DELETE.
actor StreamableHTTPTransport: ManagedTransport {
  /// The MCP SDK's logger (see ``ManagedTransport/sdkLogger(_:)``).
  nonisolated let logger: Logger
  private let server: String
  private let parameters: MCPServerStreamableHTTP.Parameters
  private let secrets: [String]
  private let http: HTTPTransport
  private let messages: AsyncThrowingStream<Data, any Error>
  private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
  private let ended = OneShot<MCPServerError>()
  private var sessionID: String?
  private var protocolVersion: String?
  private var tasks: [Int: Task<Void, Never>] = [:]
  private var nextTask = 0
  /// The longest JSON answer accepted.
  static let maximumAnswerBytes = 64 << 20

  init(server: String, parameters: MCPServerStreamableHTTP.Parameters, secrets: [String], logger: Logger) {
    self.server = server
    self.parameters = parameters
    self.secrets = secrets
    self.logger = Self.sdkLogger(logger)
    http = HTTPTransport.shared(connectTimeout: parameters.timeout)
    (messages, continuation) = AsyncThrowingStream.makeStream()
  }

  /// Nothing to do: the first POST (`initialize`) opens the session.
  func connect() async throws {}

  /// Ends the session (DELETE, when configured and the server gave one) and stops every stream.
  func disconnect() async {
    guard ended.fulfill(MCPServerError(.closed, server: server, "The connection to MCP server '\(server)' was closed.")) else {
      return
    }
    for task in tasks.values { task.cancel() }
    tasks = [:]
    continuation.finish()
    if parameters.terminatesSessionOnClose, let sessionID {
      var request = self.request(.DELETE, accept: nil)
      request.timeouts = OllamaConfig.Timeouts(connect: .seconds(2), firstByte: .seconds(2), idle: .seconds(2))
      _ = try? await http.data(request, limit: 4096)
      logger.debug("MCP session ended", metadata: ["server": "\(server)", "session": "\(sessionID)"])
    }
  }

  /// POSTs one message and delivers the answer (JSON or SSE) to ``receive()``.
  func send(_ data: Data) async throws {
    if let reason = ended.value { throw reason }
    var request = self.request(.POST, accept: "application/json, text/event-stream")
    request.headers.add(name: "Content-Type", value: "application/json")
    request.body = ByteBuffer(bytes: data)
    let response: TransportResponse
    do {
      response = try await http.send(request)
    } catch {
      throw fail(error)
    }
    if sessionID == nil, let id = response.headers.first(name: "mcp-session-id") { sessionID = id }
    switch response.mediaType {
    case "text/event-stream":
      track { await self.readEvents(response.body) }
    case "application/json":
      let body: [UInt8]
      do {
        body = try await response.body.collect(upTo: Self.maximumAnswerBytes)
      } catch {
        throw fail(error)
      }
      if !body.isEmpty { deliver(Data(body)) }
    default:
      _ = try? await response.body.collect(upTo: 64 << 10)
      guard response.status == 202 || response.status == 204 || response.status == 200 else {
        throw MCPServerError(
          .protocolViolation, server: server,
          "MCP server '\(server)' answered with HTTP \(response.status) and content type '\(response.mediaType ?? "none")'.")
      }
    }
  }

  func receive() -> AsyncThrowingStream<Data, any Error> { messages }

  nonisolated func closed() async -> MCPServerError? { await ended.wait() }

  nonisolated var closedReason: MCPServerError? { ended.value }

  /// Opens the GET stream for messages the server sends on its own, now that the session is set up.
  func initialized(protocolVersion: String) async {
    self.protocolVersion = protocolVersion
    track { await self.listen() }
  }

  // MARK: Streams

  private func readEvents(_ body: ResponseBody) async {
    do {
      for try await event in SSEEventSequence(body) where event.event == "message" && !event.data.isEmpty {
        deliver(Data(event.data.utf8))
      }
    } catch {
      if !Task.isCancelled {
        logger.debug("MCP event stream ended", metadata: ["server": "\(server)", "error": "\(error)"])
      }
    }
  }

  /// Keeps a GET stream open while the transport lives; stops when the server does not offer one (405).
  private func listen() async {
    var delay = Duration.seconds(1)
    while ended.value == nil, !Task.isCancelled {
      var request = self.request(.GET, accept: "text/event-stream")
      request.timeouts.idle = parameters.sseReadTimeout
      do {
        let response = try await http.send(request)
        guard response.mediaType == "text/event-stream" else { return }
        delay = .seconds(1)
        await readEvents(response.body)
      } catch where [400, 404, 405].contains(error.status ?? 0) {
        return
      } catch {
        if Task.isCancelled { return }
      }
      try? await Task.sleep(for: delay)
      delay = min(delay * 2, .seconds(30))
    }
  }

  /// Runs `body` as a task that ``disconnect()`` cancels.
  private func track(_ body: @escaping @Sendable () async -> Void) {
    nextTask += 1
    let id = nextTask
    tasks[id] = Task {
      await body()
      await self.untrack(id)
    }
  }

  private func untrack(_ id: Int) { tasks[id] = nil }

  /// Hands a message to the client, noting the protocol version from the `initialize` answer.
  private func deliver(_ message: Data) {
    if protocolVersion == nil, let version = try? JSONValue.parse(Array(message))["result"]?["protocolVersion"]?.stringValue {
      protocolVersion = version
    }
    continuation.yield(message)
  }

  // MARK: Requests and errors

  private func request(_ method: HTTPMethod, accept: String?) -> TransportRequest {
    var headers = HTTPHeaders()
    for (name, value) in parameters.headers { headers.add(name: name, value: value) }
    if let accept { headers.replaceOrAdd(name: "Accept", value: accept) }
    headers.replaceOrAdd(name: "User-Agent", value: "OllamaAgents")
    if let sessionID { headers.replaceOrAdd(name: "Mcp-Session-Id", value: sessionID) }
    if let protocolVersion { headers.replaceOrAdd(name: "MCP-Protocol-Version", value: protocolVersion) }
    return TransportRequest(
      method: method, url: parameters.url, headers: headers,
      timeouts: OllamaConfig.Timeouts(
        connect: parameters.timeout, firstByte: parameters.sseReadTimeout, idle: parameters.sseReadTimeout),
      retry: OllamaConfig.RetryPolicy(isEnabled: false), secrets: secrets)
  }

  /// The error for a failed exchange; a lost session or an unreachable server also ends the transport.
  private func fail(_ error: any Error) -> MCPServerError {
    let name = "MCP server '\(server)'"
    let url = Redaction.url(parameters.url)
    let failure: MCPServerError
    switch error {
    case let error as ModelServerError where error.code == .httpStatus && error.status == 404 && sessionID != nil:
      failure = MCPServerError(.stopped, server: server, "\(name) no longer knows this session (HTTP 404 from \(url)).")
    case let error as ModelServerError where error.code == .httpStatus:
      let detail = error.serverMessage.map { ": \($0)" } ?? "."
      return MCPServerError(.httpStatus, server: server, "\(name) answered HTTP \(error.status ?? 0) at \(url)\(detail)")
        .redacting(secrets)
    case let error as ModelServerError where error.code == .serverUnreachable:
      failure = MCPServerError(
        .stopped, server: server, "\(name) cannot be reached at \(url) (\(error.underlying ?? error.summary)).")
    case let error as ModelServerError where error.code == .timedOut:
      return MCPServerError(.timedOut, server: server, "\(name) did not answer in time at \(url) (\(error.summary)).")
    case is CancellationError:
      return MCPServerError(.closed, server: server, "The request to \(name) was cancelled.")
    default:
      return MCPServerError(.requestFailed, server: server, "\(name) failed at \(url): \(error).").redacting(secrets)
    }
    let redacted = failure.redacting(secrets)
    if ended.fulfill(redacted) {
      for task in tasks.values { task.cancel() }
      continuation.finish(throwing: redacted)
    }
    return redacted
  }
}
