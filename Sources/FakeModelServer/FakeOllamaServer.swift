import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An in-process fake Ollama server on `127.0.0.1` and a random free port, speaking Ollama's exact wire
/// formats (native `/api/*` and OpenAI-compatible `/v1/*`), for tests and benchmarks.
///
/// ```swift
/// let server = try await FakeOllamaServer.start()
/// defer { Task { try await server.shutdown() } }
/// server.enqueue(.text("Hello!", chunkSize: 2))
/// server.inject(.serverBusy(), times: 1)           // the first request gets a 503
/// // point the client at server.openAIBaseURL, run it, then:
/// #expect(server.requests(to: "/v1/chat/completions").count == 2)
/// ```
///
/// Chat requests get scripted ``Reply`` values in order (see ``enqueue(_:)``); with nothing scripted the
/// last user message is echoed back. Every request is recorded (``requests``), faults can be injected
/// (``inject(_:on:times:)``), and models can be installed, pulled and deleted. The server runs on an event
/// loop group (by default NIO's shared singleton), uses no thread per request and keeps connections alive.
public final class FakeOllamaServer: Sendable {
  /// How to start a fake server.
  public struct Configuration: Sendable {
    /// The address to bind.
    public var host: String
    /// The port to bind; `0` picks a free one.
    public var port: Int
    /// What `/api/version` reports.
    public var version: String
    /// Installed models, in listing order.
    public var models: [Model]
    /// Models `/api/pull` can fetch (any other name gets Ollama's "file does not exist" error line).
    public var pullCatalog: [Model]
    /// Progress lines per layer after the first (`completed` grows in this many equal steps).
    public var pullProgressSteps: Int
    /// The `/v1/chat/completions` SSE layout.
    public var streamLayout: StreamLayout
    /// How /v1 tool calls are numbered.
    public var toolCallIndexing: ToolCallIndexing
    /// How many requests to keep for ``FakeOllamaServer/requests``: `nil` keeps all, `0` records none
    /// (for benchmarks).
    public var recordingLimit: Int?
    /// The event loops to serve on; `nil` uses `MultiThreadedEventLoopGroup.singleton`. The server never
    /// shuts a group down.
    public var eventLoopGroup: (any EventLoopGroup)?

    /// Creates a configuration; the defaults install `llama3.2:latest` (tools) and `gemma:2b` (no tools).
    public init(
      host: String = "127.0.0.1",
      port: Int = 0,
      version: String = "0.32.15",
      models: [Model] = [.llama32, .gemma2b],
      pullCatalog: [Model] = [.llama32, .gemma2b, .qwen3, .allMiniLM],
      pullProgressSteps: Int = 2,
      streamLayout: StreamLayout = .current,
      toolCallIndexing: ToolCallIndexing = .perCall,
      recordingLimit: Int? = nil,
      eventLoopGroup: (any EventLoopGroup)? = nil
    ) {
      self.host = host
      self.port = port
      self.version = version
      self.models = models
      self.pullCatalog = pullCatalog
      self.pullProgressSteps = pullProgressSteps
      self.streamLayout = streamLayout
      self.toolCallIndexing = toolCallIndexing
      self.recordingLimit = recordingLimit
      self.eventLoopGroup = eventLoopGroup
    }
  }

  let core: ServerCore
  private let group: any EventLoopGroup
  /// The bound address.
  public let host: String
  /// The bound port.
  public let port: Int

  /// The native root, e.g. `http://127.0.0.1:53124` (what `OLLAMA_HOST` would name).
  public var baseURL: String { "http://\(host):\(port)" }
  /// The OpenAI-compatible root, e.g. `http://127.0.0.1:53124/v1`.
  public var openAIBaseURL: String { baseURL + "/v1" }

  private init(core: ServerCore, group: any EventLoopGroup, host: String, port: Int) {
    self.core = core
    self.group = group
    self.host = host
    self.port = port
  }

  /// Starts a server and returns once it is listening.
  public static func start(_ configuration: Configuration = .init()) async throws -> FakeOllamaServer {
    let core = ServerCore(configuration)
    let group = configuration.eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
    let listener = try await bind(core: core, group: group, host: configuration.host, port: configuration.port)
    let port = listener.localAddress?.port ?? configuration.port
    core.state.withLock { $0.listener = listener }
    return FakeOllamaServer(core: core, group: group, host: configuration.host, port: port)
  }

  /// Stops listening, closes every open connection (ending any stalled response) and wakes every
  /// ``waitForRequests(count:)`` caller. Calling it twice is harmless.
  public func shutdown() async throws {
    let (listener, connections, waiters, reservation) = core.state.withLock { state in
      state.isShutDown = true
      defer {
        state.listener = nil
        state.connections = [:]
        state.requestWaiters = []
        state.reservation = nil
      }
      return (state.listener, Array(state.connections.values), state.requestWaiters, state.reservation)
    }
    reservation?.release()
    for waiter in waiters { waiter.continuation.resume() }
    try? await listener?.close()
    for connection in connections { try? await connection.close() }
  }

  /// Closes the listening socket so new connections are refused (`ECONNREFUSED`); open connections stay.
  ///
  /// The port stays bound (without listening) until ``resumeListening()`` or ``shutdown()``, so no other server
  /// started meanwhile can take it.
  public func stopListening() async throws {
    let listener = core.state.withLock { state in
      defer { state.listener = nil }
      return state.listener
    }
    guard let listener else { return }
    try await listener.close()
    let reservation = try? PortReservation.reserve(host: host, port: port)
    let stale = core.state.withLock { state -> PortReservation? in
      guard !state.isShutDown else { return reservation }
      state.reservation = reservation
      return nil
    }
    stale?.release()
  }

  /// Listens again on the same port after ``stopListening()``.
  public func resumeListening() async throws {
    let (canListen, reservation) = core.state.withLock { state in
      defer { if state.listener == nil { state.reservation = nil } }
      return (state.listener == nil && !state.isShutDown, state.listener == nil ? state.reservation : nil)
    }
    guard canListen else { return }
    let listener: any Channel
    if let reservation {
      listener = try await Self.bootstrap(core: core, group: group).withBoundSocket(reservation.descriptor).get()
    } else {
      listener = try await Self.bind(core: core, group: group, host: host, port: port)
    }
    core.state.withLock { $0.listener = listener }
  }

  /// Makes the server accept and immediately close new connections (`true`) or serve them again (`false`).
  public func closeNewConnections(_ closes: Bool) {
    core.state.withLock { $0.closesNewConnections = closes }
  }

  private static func bind(core: ServerCore, group: any EventLoopGroup, host: String, port: Int) async throws
    -> any Channel
  {
    try await bootstrap(core: core, group: group).bind(host: host, port: port).get()
  }

  private static func bootstrap(core: ServerCore, group: any EventLoopGroup) -> ServerBootstrap {
    ServerBootstrap(group: group)
      .serverChannelOption(.backlog, value: 1024)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
      .childChannelOption(.allowRemoteHalfClosure, value: false)
      .childChannelInitializer { channel in
        guard core.register(channel) else {
          channel.close(promise: nil)
          return channel.eventLoop.makeSucceededVoidFuture()
        }
        return channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
          try channel.pipeline.syncOperations.addHandler(ConnectionHandler(core: core))
        }
      }
  }
}

extension ServerCore {
  /// Tracks a new connection so shutdown can close it; `false` when it must be closed right away.
  func register(_ channel: any Channel) -> Bool {
    let accepted = state.withLock { state -> Bool in
      guard !state.isShutDown, !state.closesNewConnections else { return false }
      state.connections[ObjectIdentifier(channel)] = channel
      return true
    }
    if accepted {
      let key = ObjectIdentifier(channel)
      channel.closeFuture.whenComplete { [self] _ in
        _ = state.withLock { $0.connections.removeValue(forKey: key) }
      }
    }
    return accepted
  }
}
