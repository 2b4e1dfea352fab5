import AsyncHTTPClient
import Logging
import NIOCore
import Synchronization
import Tracing

/// The one place that talks HTTP: sends requests to a model server over AsyncHTTPClient with
/// per-phase timeouts, retries and error bodies turned into ``ModelServerError``s.
///
/// Lifetimes:
/// - ``shared`` (and ``shared(connectTimeout:)``) are process-wide transports that are never shut down,
///   like `HTTPClient.shared`; use them unless you need your own connection pool.
/// - ``withTransport(configuration:logger:_:)`` creates a transport for the duration of a closure and
///   shuts it down afterwards, even when the closure throws.
/// - ``init(configuration:logger:)`` creates a transport you own: call ``shutdown()`` when done.
/// - ``init(client:logger:)`` wraps an `HTTPClient` you manage yourself; ``shutdown()`` leaves it alone.
public struct HTTPTransport: Sendable {
  /// Settings of the transport's connection pool.
  public struct Configuration: Sendable, Hashable {
    /// Longest time to establish a connection; this is a property of the pool, not of a request.
    public var connectTimeout: Duration
    /// How long an unused kept-alive connection stays open.
    public var idleConnectionTimeout: Duration
    /// The soft limit of concurrent HTTP/1 connections per server.
    public var maximumConnectionsPerHost: Int
    /// The most bytes of an error response body that are read to find the server's message.
    public var errorBodyLimit: Int

    /// Creates a configuration; defaults: connect 10 s, idle connections kept 60 s, 8 connections per
    /// host, error bodies read up to 64 KiB.
    public init(
      connectTimeout: Duration = .seconds(10),
      idleConnectionTimeout: Duration = .seconds(60),
      maximumConnectionsPerHost: Int = 8,
      errorBodyLimit: Int = 64 * 1024
    ) {
      self.connectTimeout = connectTimeout
      self.idleConnectionTimeout = idleConnectionTimeout
      self.maximumConnectionsPerHost = maximumConnectionsPerHost
      self.errorBodyLimit = errorBodyLimit
    }

    /// The AsyncHTTPClient configuration that implements these settings.
    ///
    /// The read timeout is off (idle and first-byte limits are enforced per request), connection
    /// attempts are not retried inside the pool (so a refused connection fails at once and the
    /// transport's own ``OllamaConfig/RetryPolicy`` applies), and responses are not decompressed. Without a tracer
    /// bootstrapped (`InstrumentationSystem`), the client gets none rather than the no-op one: it then skips building
    /// span attributes (the URL parsed again, eight attributes set) for every request.
    public var clientConfiguration: HTTPClient.Configuration {
      var configuration = HTTPClient.Configuration()
      if configuration.tracing.tracer is NoOpTracer { configuration.tracing.tracer = nil }
      configuration.timeout = HTTPClient.Configuration.Timeout(connect: connectTimeout.timeAmount, read: nil)
      configuration.connectionPool = HTTPClient.Configuration.ConnectionPool(
        idleTimeout: idleConnectionTimeout.timeAmount,
        concurrentHTTP1ConnectionsPerHostSoftLimit: maximumConnectionsPerHost
      )
      configuration.connectionPool.retryConnectionEstablishment = false
      configuration.decompression = .disabled
      return configuration
    }
  }

  let client: HTTPClient
  /// Where response bodies are read: the event loop of the transport's connections, when it has one loop.
  let bodyExecutor: (any TaskExecutor)?

  /// The executor of the event loop that reads this transport's responses, when all its connections use one loop
  /// (the default), else `nil`.
  ///
  /// A task that reads a streamed body with this executor preferred (`withTaskExecutorPreference(_:operation:)`)
  /// is resumed on the thread that received each chunk, in the same turn: no thread is woken per chunk. Code run
  /// under that preference holds up the transport's network thread, so keep it to reading and quick handling.
  public var responseExecutor: (any TaskExecutor)? { bodyExecutor }
  /// The transport's settings.
  public let configuration: Configuration
  /// Where retries and failures are logged; never receives secrets.
  public var logger: Logger
  /// Called just before each retry (after the failed attempt, before the backoff wait), for example to
  /// count retries in metrics; it must return quickly.
  public var onRetry: (@Sendable (RetryEvent) -> Void)?
  /// The event loop whose clock times every request's first-byte, idle and overall limits and the waits between
  /// retries; `nil` (the default) uses the client's loops, that is wall-clock time.
  ///
  /// Tests set a `NIOAsyncTestingEventLoop` here: its time moves only when the test advances it, so a timeout test
  /// neither waits for real time to pass nor depends on how busy the machine is. The connect timeout is the
  /// connection pool's and always uses wall-clock time.
  public var timerEventLoop: (any EventLoop)?
  private let ownsClient: Bool

  /// Creates a transport with its own connection pool; call ``shutdown()`` when done with it.
  public init(configuration: Configuration = Configuration(), logger: Logger = HTTPTransport.defaultLogger) {
    let eventLoop = HTTPTransport.connectionEventLoop
    self.client = HTTPClient(
      eventLoopGroup: eventLoop,
      configuration: configuration.clientConfiguration,
      backgroundActivityLogger: HTTPTransport.silentLogger
    )
    self.bodyExecutor = HTTPTransport.bodyExecutor(for: eventLoop)
    self.configuration = configuration
    self.logger = logger
    self.ownsClient = true
  }

  /// Wraps an `HTTPClient` managed by the caller; ``shutdown()`` does not shut it down.
  ///
  /// Configure the client as `configuration.clientConfiguration` does (no read timeout, no connection
  /// retries in the pool), or timeouts and retries will not behave as documented; `configuration` should
  /// describe that client.
  public init(
    client: HTTPClient, configuration: Configuration = Configuration(), logger: Logger = HTTPTransport.defaultLogger
  ) {
    self.client = client
    self.bodyExecutor = (client.eventLoopGroup as? any EventLoop).flatMap(HTTPTransport.bodyExecutor(for:))
    self.configuration = configuration
    self.logger = logger
    self.ownsClient = false
  }

  private init(sharedClient: HTTPClient, configuration: Configuration) {
    self.client = sharedClient
    self.bodyExecutor = (sharedClient.eventLoopGroup as? any EventLoop).flatMap(HTTPTransport.bodyExecutor(for:))
    self.configuration = configuration
    self.logger = HTTPTransport.defaultLogger
    self.ownsClient = false
  }

  /// The logger transports use unless given another: label `OllamaAgents.HTTPTransport`.
  public static let defaultLogger = Logger(label: "OllamaAgents.HTTPTransport")

  /// A logger that drops everything, for AsyncHTTPClient's background activity.
  static let silentLogger = Logger(label: "OllamaAgents.HTTPTransport.background") { _ in SwiftLogNoOpLogHandler() }

  /// The process-wide transport with the default configuration; it is never shut down.
  public static var shared: HTTPTransport { shared(connectTimeout: Configuration().connectTimeout) }

  /// The process-wide transport whose pool uses `connectTimeout`; one pool per distinct value, never shut down.
  public static func shared(connectTimeout: Duration) -> HTTPTransport {
    let key = connectTimeout.nanoseconds
    return sharedClients.withLock { clients in
      if let existing = clients[key] { return existing }
      let configuration = Configuration(connectTimeout: connectTimeout)
      let client = HTTPClient(
        eventLoopGroup: HTTPTransport.connectionEventLoop,
        configuration: configuration.clientConfiguration,
        backgroundActivityLogger: HTTPTransport.silentLogger
      )
      let transport = HTTPTransport(sharedClient: client, configuration: configuration)
      clients[key] = transport
      return transport
    }
  }

  private static let sharedClients = Mutex<[Int64: HTTPTransport]>([:])

  /// The one event loop (of NIO's shared group) that every transport's connections use. A model server client
  /// needs no more than one network thread; with one, the loop that reads a response also runs the task that reads
  /// its body (see ``bodyExecutor``), and a chunk wakes no other thread on the way.
  static let connectionEventLoop: any EventLoop = HTTPClient.defaultEventLoopGroup.next()

  /// The executor for reading bodies on `eventLoop`, one per loop.
  static func bodyExecutor(for eventLoop: any EventLoop) -> (any TaskExecutor)? {
    return bodyExecutors.withLock { executors in
      let key = ObjectIdentifier(eventLoop as AnyObject)
      if let existing = executors[key] { return existing }
      let executor = EventLoopTaskExecutor(eventLoop)
      executors[key] = executor
      return executor
    }
  }

  private static let bodyExecutors = Mutex<[ObjectIdentifier: EventLoopTaskExecutor]>([:])

  /// Runs `body` with a transport of its own and shuts the transport down afterwards.
  public static func withTransport<Result>(
    configuration: Configuration = Configuration(),
    logger: Logger = HTTPTransport.defaultLogger,
    _ body: (HTTPTransport) async throws -> Result
  ) async throws -> Result {
    let transport = HTTPTransport(configuration: configuration, logger: logger)
    let result: Result
    do {
      result = try await body(transport)
    } catch {
      try? await transport.shutdown()
      throw error
    }
    try await transport.shutdown()
    return result
  }

  /// The loop that times a request: ``timerEventLoop`` or one of the client's loops.
  var timers: any EventLoop { timerEventLoop ?? client.eventLoopGroup.any() }

  /// Closes the connections of a transport created with ``init(configuration:logger:)``; does nothing for
  /// shared transports and injected clients.
  public func shutdown() async throws {
    guard ownsClient else { return }
    try await client.shutdown()
  }
}
