import NIOCore
import WireCore

/// Everything the fake server can change at run time, guarded by one lock in ``ServerCore``.
struct ServerState {
  /// Installed models in listing order.
  var models: [FakeOllamaServer.Model]
  /// Models `/api/pull` can fetch.
  var pullCatalog: [FakeOllamaServer.Model]
  /// Progress lines per layer `/api/pull` sends after the first.
  var pullProgressSteps: Int
  /// What `/api/version` reports.
  var version: String
  /// The /v1 SSE layout.
  var streamLayout: FakeOllamaServer.StreamLayout
  /// How /v1 tool calls are numbered.
  var toolCallIndexing: FakeOllamaServer.ToolCallIndexing
  /// Scripted replies, first in first out.
  var replies = CircularBuffer<ScriptedReply>()
  /// Used when no reply is scripted; `nil` echoes the last user message.
  var defaultReply: (@Sendable (RecordedRequest) -> FakeOllamaServer.Reply)?
  /// Injected faults in injection order.
  var faults: [FaultRule] = []
  /// Recorded requests, oldest first.
  var recorded = CircularBuffer<RecordedRequest>()
  /// How many requests to keep (`nil`: all).
  var recordingLimit: Int?
  /// How many requests arrived in total.
  var requestCount = 0
  /// How many requests are being answered right now (arrived, response not yet complete).
  var inFlight = 0
  /// The most requests answered at the same time since start or the last reset.
  var peakInFlight = 0
  /// A counter for response and tool-call ids.
  var idCounter: UInt64 = 0
  /// Models that answered a chat, for `/api/ps`, most recent last.
  var loadedModels: [LoadedModel] = []
  /// The context window chat requests must fit, if any.
  var contextLimit: FakeOllamaServer.ContextLimit?
  var llamaServer: FakeOllamaServer.LlamaServerIdentity?
  /// Whether new connections are closed as soon as they are accepted.
  var closesNewConnections = false
  /// Open client connections, closed on shutdown.
  var connections: [ObjectIdentifier: any Channel] = [:]
  /// The listening socket, `nil` while not listening.
  var listener: (any Channel)?
  /// The port held while not listening (after ``FakeOllamaServer/stopListening()``).
  var reservation: PortReservation?
  /// Set once ``FakeOllamaServer/shutdown()`` starts.
  var isShutDown = false
  /// Tasks waiting for the request count to reach a value.
  var requestWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

  /// The installed model called `name` (with or without its `:latest` tag).
  func model(named name: String) -> FakeOllamaServer.Model? {
    let tagged = ModelName.withTag(name)
    return models.first { $0.name == tagged }
  }

  /// Takes the first fault that applies to `path`, counting down its repetitions.
  mutating func takeFault(for path: String) -> FakeOllamaServer.Fault? {
    guard let index = faults.firstIndex(where: { $0.path == nil || $0.path == path }) else { return nil }
    let rule = faults[index]
    if case .times(let remaining) = rule.repetition {
      if remaining <= 1 { faults.remove(at: index) } else { faults[index].repetition = .times(remaining - 1) }
    }
    return rule.fault
  }

  /// The next id number.
  mutating func nextID() -> UInt64 {
    idCounter &+= 1
    return idCounter
  }
}

/// A scripted reply: fixed, or computed from the request.
enum ScriptedReply {
  /// Always this reply.
  case fixed(FakeOllamaServer.Reply)
  /// The reply this closure returns for the request.
  case dynamic(@Sendable (RecordedRequest) -> FakeOllamaServer.Reply)
}

/// An injected fault and the requests it applies to.
struct FaultRule {
  /// The fault.
  var fault: FakeOllamaServer.Fault
  /// Only requests to this path (`nil`: any path).
  var path: String?
  /// How many more requests it applies to.
  var repetition: FakeOllamaServer.FaultRepetition
}

/// A model `/api/ps` lists.
struct LoadedModel {
  /// The model.
  var model: FakeOllamaServer.Model
  /// When it would be unloaded.
  var expiresAt: FakeOllamaServer.Timestamp
}
