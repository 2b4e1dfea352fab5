extension Runner {
  /// Runs `agent` on a list of input items, streamed, handing each event to `onEvent` on the calling task as it
  /// happens.
  ///
  /// The events, their order and the model calls are those of ``runStreamed(_:input:context:maxTurns:session:hooks:)``
  /// (``RunEvent/finished(_:)`` last), without its task and event stream: nothing is handed from one thread to
  /// another on the way to `onEvent`, so use this where every event is handled at once (printing, forwarding).
  /// `onEvent` runs on the run's task, in order, and should return quickly. Cancelling the calling task cancels
  /// the run.
  ///
  /// - Throws: what ``run(_:input:context:maxTurns:session:hooks:)`` throws.
  public func run(
    _ agent: Agent, input: [Item], context: any Sendable = (), maxTurns: Int? = Runner.defaultMaxTurns,
    session: (any Session)? = nil, hooks: (any RunHooks)? = nil, onEvent: @escaping @Sendable (RunEvent) -> Void
  ) async throws -> RunResult {
    var loop = RunLoop(
      runner: self, agent: agent, input: input, context: context, maxTurns: maxTurns, session: session,
      hooks: hooks, sink: RunEventSink(handler: onEvent))
    let result = try await loop.run()
    onEvent(.finished(result))
    return result
  }

  /// Continues a paused run (see ``run(_:context:session:hooks:)``), streamed, handing each event to `onEvent` on
  /// the calling task as ``run(_:input:context:maxTurns:session:hooks:onEvent:)`` does.
  public func run(
    _ state: RunState, context: any Sendable = (), session: (any Session)? = nil, hooks: (any RunHooks)? = nil,
    onEvent: @escaping @Sendable (RunEvent) -> Void
  ) async throws -> RunResult {
    var loop = RunLoop(
      runner: self, state: state, context: context, session: session, hooks: hooks,
      sink: RunEventSink(handler: onEvent))
    let result = try await loop.run()
    onEvent(.finished(result))
    return result
  }
}
