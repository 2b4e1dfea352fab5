import NIOCore

/// One time budget shared by every request made inside a scope, such as a command that first looks up the
/// model's context length and then runs several chat turns.
///
/// ``HTTPTransport/send(_:)`` bounds each request by the earlier of its own overall deadline
/// (``OllamaConfig/Timeouts/overall``) and the current budget's deadline: waiting for a concurrency slot,
/// connecting, the first byte, the body and the waits between retries all come out of the same budget, so
/// requests made one after another cannot each take a full timeout. A request that runs out of it fails with
/// ``ModelServerError/Code/timedOut`` in phase ``ModelServerError/TimeoutPhase/budget``.
///
/// Budgets nest: inside ``withBudget(_:startingAt:_:)`` the budget that ends first applies. The budget is a
/// task-local value, so child tasks and `Task {}` inherit it (detached tasks do not).
public struct RequestBudget: Sendable, Hashable {
  /// The whole budget, for messages (`30 s`).
  public var limit: Duration
  /// When the budget runs out, on the clock of the transport's timer loop (``HTTPTransport/timerEventLoop``;
  /// wall-clock uptime by default).
  public var deadline: NIODeadline

  /// A budget of `limit` that started at `start`.
  public init(limit: Duration, startingAt start: NIODeadline = .now()) {
    self.limit = limit
    self.deadline = start + limit.timeAmount
  }

  /// The budget of the requests made by the current task, if one was set.
  @TaskLocal public static var current: RequestBudget?

  /// Runs `body` with a budget of `limit` from `start` (now, by default) for every request it makes; an
  /// enclosing budget that ends sooner still applies.
  public static func withBudget<Result>(
    _ limit: Duration, startingAt start: NIODeadline = .now(), _ body: () async throws -> Result
  ) async rethrows -> Result {
    let budget = RequestBudget(limit: limit, startingAt: start)
    if let current, current.deadline <= budget.deadline {
      return try await body()
    }
    return try await $current.withValue(budget) { try await body() }
  }

  /// Runs `body` with a budget of `limit` from now on `transport`'s clock (its ``HTTPTransport/timerEventLoop``,
  /// virtual in tests), for every request it makes.
  public static func withBudget<Result>(
    _ limit: Duration, timedBy transport: HTTPTransport, _ body: () async throws -> Result
  ) async rethrows -> Result {
    try await withBudget(limit, startingAt: transport.timers.now, body)
  }

  /// Whether the budget has run out at `now`.
  public func isExhausted(at now: NIODeadline = .now()) -> Bool { now >= deadline }

  /// The overall deadline of one request: the earlier of its own (`own`) and the current budget's, and the
  /// budget when it is the one that binds.
  static func deadline(own: NIODeadline?) -> (deadline: NIODeadline?, binding: RequestBudget?) {
    guard let budget = current else { return (own, nil) }
    if let own, own <= budget.deadline { return (own, nil) }
    return (budget.deadline, budget)
  }

  /// `error` told as this budget running out when it is an overall-deadline timeout (the budget was the
  /// deadline that applied); any other error unchanged.
  func relabel(_ error: ModelServerError) -> ModelServerError {
    guard error.code == .timedOut, error.timeoutPhase == .deadline else { return error }
    return ModelServerError.timedOut(.budget, limit: limit, url: error.url ?? "")
  }
}
