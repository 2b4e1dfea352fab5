/// What the runner knows about the run in progress, handed to tools, instructions, guardrails and hooks.
///
/// ``context`` is the value passed as `context:` to ``Runner/run(_:input:context:maxTurns:session:hooks:)``;
/// it is never sent to the model.
@MemberwiseInit
public struct RunContext: Sendable {
  /// The caller's context value (`()` when none was given).
  public var context: any Sendable = ()
  /// Usage summed over the model calls made so far.
  public var usage: Usage = Usage()
  /// The number of model calls made so far.
  public var turn: Int = 0

  /// The caller's context value as `T`.
  ///
  /// - Throws: ``AgentsError`` with code ``AgentsError/Code/userError`` when the run's context is another type.
  public func context<T>(as type: T.Type = T.self) throws(AgentsError) -> T {
    try cast(context, to: T.self) {
      "The run's context is a \($0), but a \(T.self) was asked for. Pass a \(T.self) as `context:` to Runner.run."
    }
  }
}

/// An agent's instructions: fixed text, or a closure evaluated before every model call.
public enum Instructions: Sendable, ExpressibleByStringLiteral {
  /// Fixed text.
  case text(String)
  /// Text computed from the run context and the agent on every model call.
  case dynamic(@Sendable (RunContext, Agent) async throws -> String)

  /// Fixed text from a literal.
  public init(stringLiteral value: String) { self = .text(value) }

  /// The instructions for this model call.
  public func resolve(context: RunContext, agent: Agent) async throws -> String {
    switch self {
    case .text(let text): text
    case .dynamic(let make): try await make(context, agent)
    }
  }
}

/// `value` as `T`, or a user error whose message `describe` writes from the value's actual type.
func cast<T>(_ value: any Sendable, to type: T.Type, _ describe: (Any.Type) -> String) throws(AgentsError) -> T {
  guard let typed = value as? T else { throw AgentsError(.userError, describe(Swift.type(of: value))) }
  return typed
}
