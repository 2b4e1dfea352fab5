import Agents
import AgentsMCPServer
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MCP
import NIOCore
import ServiceLifecycle

/// The agents as tools of an MCP server over Streamable HTTP (`agents mcp serve --http`), on Hummingbird and the
/// MCP Swift SDK's stateful server transport: `POST`, `GET` and `DELETE` on ``Configuration/path``.
///
/// Each client that sends `initialize` gets a session (``MCPHTTPSessions``; at most
/// ``Configuration/maximumSessions``, idle ones expire). Answers stream as progress notifications on the session's
/// GET stream when the call carries a progress token; a call the client cancels (`notifications/cancelled`) stops
/// the agent's run. The address and keys follow `agents serve`'s rule (``APIKeys/checkExposure(listeningOn:)``):
/// loopback without keys, any other address only with keys, which every request must then carry as
/// `Authorization: Bearer KEY`. On loopback the SDK's DNS-rebinding check also refuses foreign `Host`/`Origin`s.
public struct MCPHTTPServer: Service {
  /// Where the server listens, who may use it and how many sessions it keeps.
  @MemberwiseInit
  public struct Configuration: Sendable, Hashable {
    /// The address to listen on; a non-loopback address needs ``apiKeys``.
    public var host: String = "127.0.0.1"
    /// The port; 0 picks a free one.
    public var port: Int = 8089
    /// The bearer tokens requests must carry; none allows every request (loopback only).
    public var apiKeys: APIKeys = .none
    /// The endpoint's path.
    public var path: String = "/mcp"
    /// Sessions open at once; an `initialize` beyond them gets 503.
    public var maximumSessions: Int = 16
    /// A session without a request for this long ends when a new one needs room.
    public var sessionIdleTimeout: Duration = .seconds(1800)
    /// The largest request body, in bytes (413 above it).
    public var maximumBodyBytes: Int = 4 * 1024 * 1024

    /// Refuses a non-loopback address without keys, and limits that cannot work.
    ///
    /// - Throws: ``ServerStartError`` saying what to change.
    public func checkSafety() throws(ServerStartError) {
      try apiKeys.checkExposure(listeningOn: host)
      if maximumSessions < 1 {
        throw ServerStartError(
          "--max-sessions must be 1 or more, got \(maximumSessions)", fix: "pass e.g. --max-sessions 16")
      }
      if maximumBodyBytes < 1 || sessionIdleTimeout <= .zero {
        throw ServerStartError("the body limit and the idle timeout must be positive", fix: "pass positive numbers")
      }
    }
  }

  /// The server's settings.
  public let configuration: Configuration
  /// The agents, as tools.
  public let agents: MCPAgentServer
  private let logger: Logger
  private let onListening: @Sendable (Int) async -> Void

  /// Creates a server; nothing listens until ``run()``.
  ///
  /// - Parameter onListening: Called with the bound port once the server accepts connections (useful with port 0).
  public init(
    configuration: Configuration, agents: MCPAgentServer, logger: Logger = Logger(label: "ollama-agents.mcp-serve"),
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
  ) {
    self.configuration = configuration
    self.agents = agents
    self.logger = logger
    self.onListening = onListening
  }

  /// Listens and serves until a graceful shutdown (or cancellation); then ends every session and returns.
  ///
  /// - Throws: ``ServerStartError`` when the configuration is unsafe or the address cannot be bound.
  public func run() async throws {
    try configuration.checkSafety()
    let sessions = MCPHTTPSessions(
      agents: agents, maximum: configuration.maximumSessions, idleTimeout: configuration.sessionIdleTimeout,
      allowsAnyHost: !APIKeys.isLoopback(configuration.host))
    let router = Router(context: ServerRequestContext.self)
    router.add(middleware: AccessMiddleware(keys: configuration.apiKeys, logger: logger))
    let limit = configuration.maximumBodyBytes
    for method in [HTTPRequest.Method.post, .get, .delete] {
      router.on(RouterPath(configuration.path), method: method) { request, _ in
        try await Self.respond(to: request, sessions: sessions, maximumBodyBytes: limit)
      }
    }
    let listening = onListening
    let app = Application(
      router: router,
      configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
      onServerRunning: { channel in await listening(channel.localAddress?.port ?? 0) },
      logger: logger)
    do {
      try await withGracefulShutdownHandler {
        try await app.run()
      } onGracefulShutdown: {
        Task { await sessions.closeAll() }
      }
    } catch let error as IOError {
      await sessions.closeAll()
      throw ServerStartError(
        "cannot listen on \(configuration.host):\(configuration.port) (\(error))",
        fix: "pick another --port, or stop the program that uses this one")
    }
    await sessions.closeAll()
  }

  /// Hands the request to the sessions and turns their answer (a JSON body, an event stream, or an error) into
  /// Hummingbird's response.
  static func respond(to request: Request, sessions: MCPHTTPSessions, maximumBodyBytes: Int) async throws -> Response {
    let body = try await request.body.collect(upTo: maximumBodyBytes)
    var headers: [String: String] = [:]
    for field in request.headers {
      headers[field.name.canonicalName] =
        headers[field.name.canonicalName].map { $0 + ", " + field.value } ?? field.value
    }
    let answer = await sessions.handle(
      MCP.HTTPRequest(
        method: request.method.rawValue, headers: headers,
        body: body.readableBytes == 0 ? nil : Data(body.readableBytesView), path: request.uri.path))
    var fields = HTTPFields()
    for (name, value) in answer.headers {
      if let name = HTTPField.Name(name) { fields[name] = value }
    }
    let status = HTTPResponse.Status(code: answer.statusCode)
    switch answer {
    case .stream(let events, _):
      let bytes = events.map { ByteBuffer(bytes: $0) }
      return Response(status: status, headers: fields, body: ResponseBody(asyncSequence: bytes))
    default:
      return Response(
        status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.bodyData ?? Data())))
    }
  }
}
