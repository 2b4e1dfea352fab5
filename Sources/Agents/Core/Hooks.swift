/// Callbacks for a run's lifecycle events; every method has an empty default, so implement only what you need.
///
/// Pass one as `hooks:` to ``Runner/run(_:input:context:maxTurns:session:hooks:)`` for the whole run, or set
/// ``Agent/Configuration/hooks`` to hear only about one agent. Hooks run inline: keep them quick.
public protocol RunHooks: Sendable {
  /// An agent starts: at the start of the run and after each handoff.
  func agentStarted(_ agent: Agent, context: RunContext) async
  /// An agent produced the final output.
  func agentEnded(_ agent: Agent, output: any Sendable, context: RunContext) async
  /// The conversation passes from one agent to another.
  func handoff(from source: Agent, to target: Agent, context: RunContext) async
  /// A model call is about to be sent.
  func modelCallStarted(_ agent: Agent, request: ModelRequest, context: RunContext) async
  /// A model call returned.
  func modelCallEnded(_ agent: Agent, response: ModelResponse, context: RunContext) async
  /// A tool is about to run.
  func toolStarted(_ agent: Agent, call: ToolCall, context: RunContext) async
  /// A tool finished (its output, or the error text sent to the model).
  func toolEnded(_ agent: Agent, call: ToolCall, output: String, context: RunContext) async
}

extension RunHooks {
  /// Does nothing.
  public func agentStarted(_ agent: Agent, context: RunContext) async {}
  /// Does nothing.
  public func agentEnded(_ agent: Agent, output: any Sendable, context: RunContext) async {}
  /// Does nothing.
  public func handoff(from source: Agent, to target: Agent, context: RunContext) async {}
  /// Does nothing.
  public func modelCallStarted(_ agent: Agent, request: ModelRequest, context: RunContext) async {}
  /// Does nothing.
  public func modelCallEnded(_ agent: Agent, response: ModelResponse, context: RunContext) async {}
  /// Does nothing.
  public func toolStarted(_ agent: Agent, call: ToolCall, context: RunContext) async {}
  /// Does nothing.
  public func toolEnded(_ agent: Agent, call: ToolCall, output: String, context: RunContext) async {}
}
