import Agents
import AgentsApp
import AgentsStore
import Foundation

extension AgentServer {
  /// Where the server listens, who may use it, and how much it takes on.
  @MemberwiseInit
  public struct Configuration: Sendable, Hashable {
    /// The address to listen on; a non-loopback address needs ``apiKeys``.
    public var host: String = "127.0.0.1"
    /// The port; 0 picks a free one.
    public var port: Int = 8088
    /// The bearer tokens requests must carry; none allows every request (loopback only).
    public var apiKeys: APIKeys = .none
    /// Sizes and counts the server accepts.
    public var limits: Limits = Limits()
    /// How long running requests may take to finish after a graceful shutdown began, before they are cancelled.
    public var shutdownGracePeriod: Duration = .seconds(30)
    /// The most model calls one request's run may make.
    public var maxTurns: Int = Runner.defaultMaxTurns
    /// Which tool calls that need approval run anyway; the others are refused.
    public var toolApprovals: ToolApprovals = .refuseAll

    /// Sizes and counts: what a request may hold, and how many runs go at once.
    @MemberwiseInit
    public struct Limits: Sendable, Hashable {
      /// The largest request body, in bytes (413 above it).
      public var maximumBodyBytes: Int = 4 * 1024 * 1024
      /// The most messages in one request (413 above it).
      public var maximumMessages: Int = 1000
      /// The longest single message, in characters (413 above it).
      public var maximumMessageCharacters: Int = Runner.defaultMaxInputCharacters
      /// Agent runs at once, the per-server limit towards the model server; 0 means no limit.
      public var maximumConcurrentRuns: Int = 4
      /// Requests that may wait for a run slot; more get 429 with `Retry-After`.
      public var maximumQueuedRuns: Int = 64
    }

    /// Whether ``host`` only accepts connections from this machine (`127.0.0.0/8`, `::1`, `localhost`).
    public var listensOnLoopbackOnly: Bool { APIKeys.isLoopback(host) }

    /// Refuses a configuration that would expose the agents (and their tools) to the network without a key.
    ///
    /// - Throws: ``ServerStartError`` naming the address and what to do.
    public func checkSafety() throws(ServerStartError) {
      try apiKeys.checkExposure(listeningOn: host)
      if maxTurns < 1 {
        throw ServerStartError("--max-turns must be 1 or more, got \(maxTurns)", fix: "pass e.g. --max-turns 10")
      }
      for (name, value) in [
        ("--max-body-bytes", limits.maximumBodyBytes), ("--max-messages", limits.maximumMessages),
        ("--max-input-chars", limits.maximumMessageCharacters),
      ] where value < 1 {
        throw ServerStartError("\(name) must be 1 or more, got \(value)", fix: "pass a positive number")
      }
      if limits.maximumConcurrentRuns < 0 || limits.maximumQueuedRuns < 0 {
        throw ServerStartError(
          "the concurrency limit and the queue size cannot be negative", fix: "pass 0 or more (0 runs: no limit)")
      }
    }
  }

  /// What the server runs agents with: the agents, the runner and recorder, the session store and the metrics.
  public struct Backend: Sendable {
    /// The agents the server offers (built-ins and those of a configuration file).
    public var factory: AgentFactory
    /// Runs a question and records it (run records, metrics, a log line).
    public var conversation: ConversationService
    /// Where server-side sessions live; nil serves stateless requests only.
    public var sessions: (any SessionStorage)?
    /// Renders `/metrics`; nil answers 404 there.
    public var metrics: PrometheusExporter?
    /// Called on every agent before it runs (e.g. to give it its model's context length).
    public var prepare: @Sendable (Agent) async -> Void
    /// What `/health` says about the store (`sqlite`, `postgres`, `none`).
    public var storeKind: String

    /// Creates a backend.
    public init(
      factory: AgentFactory, conversation: ConversationService, sessions: (any SessionStorage)?,
      metrics: PrometheusExporter?, storeKind: String, prepare: @escaping @Sendable (Agent) async -> Void = { _ in }
    ) {
      self.factory = factory
      self.conversation = conversation
      self.sessions = sessions
      self.metrics = metrics
      self.storeKind = storeKind
      self.prepare = prepare
    }
  }
}
