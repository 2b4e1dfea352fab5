import NIOCore
import Synchronization
import WireCore

extension FakeOllamaServer {
  // MARK: Scripted replies

  /// Queues replies for the next chat requests (`/v1/chat/completions` and `/api/chat` share one queue).
  public func enqueue(_ replies: Reply...) {
    enqueue(contentsOf: replies)
  }

  /// Queues replies for the next chat requests, in order.
  public func enqueue(contentsOf replies: [Reply]) {
    core.state.withLock { state in
      for reply in replies { state.replies.append(.fixed(reply)) }
    }
  }

  /// Queues a reply computed from the request when it arrives (e.g. depending on the tool results sent).
  public func enqueue(_ handler: @escaping @Sendable (RecordedRequest) -> Reply) {
    core.state.withLock { $0.replies.append(.dynamic(handler)) }
  }

  /// Sets the reply used whenever the queue is empty; `nil` restores the echo of the last user message.
  public func setDefaultReply(_ handler: (@Sendable (RecordedRequest) -> Reply)?) {
    core.state.withLock { $0.defaultReply = handler }
  }

  /// How many scripted replies are still queued.
  public var pendingReplyCount: Int { core.state.withLock { $0.replies.count } }

  /// Drops every queued reply.
  public func clearReplies() {
    core.state.withLock { $0.replies.removeAll() }
  }

  // MARK: Faults

  /// Makes the next `times` requests (to `path` only, when given) fail with `fault`.
  ///
  /// Faults are matched in injection order; each request takes at most one.
  public func inject(_ fault: Fault, on path: String? = nil, times: FaultRepetition = 1) {
    if case .times(let count) = times, count <= 0 { return }
    core.state.withLock { $0.faults.append(FaultRule(fault: fault, path: path, repetition: times)) }
  }

  /// Removes every injected fault.
  public func clearFaults() {
    core.state.withLock { $0.faults.removeAll() }
  }

  // MARK: Recorded requests

  /// Every recorded request, oldest first (bounded by ``Configuration/recordingLimit``).
  public var requests: [RecordedRequest] { core.state.withLock { Array($0.recorded) } }

  /// The recorded requests whose path is `path`, oldest first.
  public func requests(to path: String) -> [RecordedRequest] {
    core.state.withLock { $0.recorded.filter { $0.path == path } }
  }

  /// The most recent request.
  public var lastRequest: RecordedRequest? { core.state.withLock { $0.recorded.last } }

  /// How many requests arrived since start, recorded or not.
  public var requestCount: Int { core.state.withLock { $0.requestCount } }

  /// Forgets the recorded requests (the count keeps going).
  public func clearRecordedRequests() {
    core.state.withLock { $0.recorded.removeAll() }
  }

  /// Returns once at least `count` requests have arrived (or the server shut down, or the task was cancelled),
  /// so a test can act while a stalled response is still pending.
  public func waitForRequests(count: Int) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let ready = core.state.withLock { state -> Bool in
        if state.requestCount >= count || state.isShutDown { return true }
        state.requestWaiters.append((count, continuation))
        return false
      }
      if ready { continuation.resume() }
    }
  }

  // MARK: Models and behaviour

  /// The installed models in listing order.
  public var models: [Model] { core.state.withLock { $0.models } }

  /// Installs `model`, replacing one with the same name.
  public func install(_ model: Model) {
    core.state.withLock { state in
      if let index = state.models.firstIndex(where: { $0.name == model.name }) {
        state.models[index] = model
      } else {
        state.models.append(model)
      }
    }
  }

  /// Removes the model called `name` (with or without `:latest`); returns whether it was installed.
  @discardableResult
  public func uninstall(_ name: String) -> Bool {
    let tagged = ModelName.withTag(name)
    return core.state.withLock { state in
      let before = state.models.count
      state.models.removeAll { $0.name == tagged }
      state.loadedModels.removeAll { $0.model.name == tagged }
      return state.models.count != before
    }
  }

  /// The `/v1/chat/completions` SSE layout (changeable while running).
  public var streamLayout: StreamLayout {
    get { core.state.withLock { $0.streamLayout } }
    set { core.state.withLock { $0.streamLayout = newValue } }
  }

  /// How /v1 tool calls are numbered (changeable while running).
  public var toolCallIndexing: ToolCallIndexing {
    get { core.state.withLock { $0.toolCallIndexing } }
    set { core.state.withLock { $0.toolCallIndexing = newValue } }
  }

  /// What `/api/version` reports (changeable while running).
  public var version: String {
    get { core.state.withLock { $0.version } }
    set { core.state.withLock { $0.version = newValue } }
  }
}
