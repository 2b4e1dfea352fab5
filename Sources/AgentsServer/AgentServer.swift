import Agents
import AgentsApp
import AgentsStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// The agents behind an OpenAI-compatible HTTP endpoint (`agents serve`), on Hummingbird.
///
/// Routes: `GET /v1/models` (the agents), `POST /v1/chat/completions` (run an agent on the request's messages,
/// whole or streamed as server-sent events), `GET`/`DELETE /v1/sessions/{id}` (a server-side conversation),
/// `GET /health` and `GET /metrics` (Prometheus text). Conversations are stateless unless the request names a
/// session in the ``sessionHeader`` header; then the server keeps the history in its store, and a retried turn
/// with the same ``idempotencyHeader`` is answered from the store instead of running twice.
///
/// The server is a swift-service-lifecycle `Service`: run it in a `ServiceGroup` with SIGTERM as a graceful
/// shutdown signal, and it answers new requests with 503 (`/health` too, so a load balancer moves on), lets running
/// requests, streamed answers included, finish for ``Configuration/shutdownGracePeriod``, cancels the rest, closes
/// its connections and returns.
public struct AgentServer: Service {
  /// The header that names a server-side session.
  public static let sessionHeader = "X-Session-ID"
  /// The header that makes a session turn safe to retry: the same key in the same session is answered once.
  public static let idempotencyHeader = "Idempotency-Key"

  /// The server's settings.
  public let configuration: Configuration
  /// What the server runs agents with.
  public let backend: Backend
  private let logger: Logger
  private let state: ServerState
  private let onListening: @Sendable (Int) async -> Void

  /// Creates a server; nothing listens until ``run()``.
  ///
  /// - Parameter onListening: Called with the bound port once the server accepts connections (useful with port 0).
  public init(
    configuration: Configuration, backend: Backend, logger: Logger = Logger(label: "ollama-agents.serve"),
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
  ) {
    self.configuration = configuration
    self.backend = backend
    self.logger = logger
    self.state = ServerState(
      admission: RunAdmission(
        maximumRunning: configuration.limits.maximumConcurrentRuns,
        maximumQueued: configuration.limits.maximumQueuedRuns))
    self.onListening = onListening
  }

  /// Listens and serves until a graceful shutdown (or cancellation) ends it.
  ///
  /// - Throws: ``ServerStartError`` when the configuration is unsafe (a non-loopback address without keys) or the
  ///   address cannot be bound.
  public func run() async throws {
    try configuration.checkSafety()
    let router = Router(context: ServerRequestContext.self)
    router.add(middleware: OpenAIErrorMiddleware())
    router.add(middleware: AccessMiddleware(keys: configuration.apiKeys, logger: logger))
    Routes(server: self, state: state).register(on: router)
    let listening = onListening
    let app = Application(
      router: router,
      server: .http1(configuration: .init(additionalChannelHandlers: [ClientDisconnectHandler()])),
      configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
      onServerRunning: { channel in await listening(channel.localAddress?.port ?? 0) },
      logger: logger)
    let state = self.state
    let grace = configuration.shutdownGracePeriod
    let logger = self.logger
    // Hummingbird runs in its own service group, outside this service's graceful shutdown: on SIGTERM it would
    // stop at once and end running streams. This service drains first (new requests get 503, running answers,
    // streamed ones included, finish), then lets Hummingbird close its connections. When the grace period runs
    // out, the service group cancels this task, and the cancellation reaches Hummingbird and the running answers.
    let http = ServiceGroup(configuration: .init(services: [app], logger: logger))
    let serving = Task.detached { try await http.run() }
    do {
      try await withTaskCancellationHandler {
        try await withGracefulShutdownHandler {
          try await serving.value
        } onGracefulShutdown: {
          state.beginShutdown()
          logger.info(
            "shutting down: new requests get 503; running requests get the grace period",
            metadata: ["grace_seconds": "\(grace.components.seconds)", "running": "\(state.responsesInFlight)"])
          Task {
            await state.drained()
            await http.triggerGracefulShutdown()
          }
        }
      } onCancel: {
        serving.cancel()
      }
    } catch let error as IOError {
      throw ServerStartError(
        "cannot listen on \(configuration.host):\(configuration.port) (\(error))",
        fix: "pick another --port, or stop the program that uses this one")
    }
  }

  /// Runs the server in a service group that shuts down gracefully on SIGTERM and SIGINT: running requests get
  /// ``Configuration/shutdownGracePeriod`` to finish, then are cancelled; returns when everything stopped.
  public func runUntilTerminated(alongside services: [any Service] = []) async throws {
    try await serviceGroup(alongside: services, signals: [.sigterm, .sigint]).run()
  }

  /// The service group that runs the server (after `services`, which outlive it) and shuts it down gracefully on
  /// `signals` or when ``ServiceGroup/triggerGracefulShutdown()`` is called: running requests get
  /// ``Configuration/shutdownGracePeriod`` to finish, then are cancelled.
  public func serviceGroup(alongside services: [any Service] = [], signals: [UnixSignal]) -> ServiceGroup {
    // Services are shut down last-first: the others (a database client, say) outlive the server.
    var group = ServiceGroupConfiguration(
      services: services.map { .init(service: $0) } + [.init(service: self)],
      gracefulShutdownSignals: signals, logger: logger)
    group.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
    group.maximumCancellationDuration = .seconds(5)
    return ServiceGroup(configuration: group)
  }
}

/// What every request handler shares: the admission queue, whether the server is draining, and the chat answers
/// still being written (a graceful shutdown waits for them).
final class ServerState: Sendable {
  let admission: RunAdmission
  /// The runs of each client connection, cancelled when it closes.
  let connections = ConnectionRuns()
  private let drain = Mutex<Drain>(Drain())

  private struct Drain {
    var isDraining = false
    var inFlight = 0
    var waiters: [CheckedContinuation<Void, Never>] = []
  }

  init(admission: RunAdmission) { self.admission = admission }

  /// Whether a graceful shutdown has begun.
  var isShuttingDown: Bool { drain.withLock { $0.isDraining } }

  /// How many chat answers are being computed or written.
  var responsesInFlight: Int { drain.withLock { $0.inFlight } }

  func beginShutdown() { drain.withLock { $0.isDraining = true } }

  /// Counts a chat answer as in flight until ``endResponse()``; false (nothing counted) once the server drains.
  func beginResponse() -> Bool {
    drain.withLock { drain in
      guard !drain.isDraining else { return false }
      drain.inFlight += 1
      return true
    }
  }

  /// Ends what ``beginResponse()`` counted.
  func endResponse() {
    let waiters = drain.withLock { drain -> [CheckedContinuation<Void, Never>] in
      drain.inFlight -= 1
      guard drain.inFlight == 0, drain.isDraining else { return [] }
      defer { drain.waiters = [] }
      return drain.waiters
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Returns once the server drains and no chat answer is in flight.
  func drained() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let done = drain.withLock { drain in
        guard drain.isDraining, drain.inFlight == 0 else {
          drain.waiters.append(continuation)
          return false
        }
        return true
      }
      if done { continuation.resume() }
    }
  }
}

/// The request context: Hummingbird's basics plus the connection, so a run can stop when its client leaves.
struct ServerRequestContext: RequestContext {
  var coreContext: CoreRequestContextStorage
  /// The client's connection.
  let channel: any Channel

  init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    channel = source.channel
  }
}
