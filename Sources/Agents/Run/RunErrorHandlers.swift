#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Functions that turn some run failures into a fallback final output instead of an error.
///
/// ```swift
/// var configuration = Runner.Configuration()
/// configuration.errorHandlers.maxTurns = { _ in
///   RunErrorFallback("I could not finish within the turn limit. Please narrow the request.", includeInHistory: false)
/// }
/// ```
///
/// A handler returns `nil` to decline: the run then fails with the original error. A fallback goes through the
/// agent's output guardrails like any final output, and for an agent with an output type it must be a value of
/// that type (or JSON text that decodes into it).
public struct RunErrorHandlers: Sendable {
  /// A handler: receives the failure, returns a fallback or `nil`.
  public typealias Handler = @Sendable (RunErrorInput) async throws -> RunErrorFallback?

  /// The run reached its `maxTurns` without a final output (``AgentsError/Code/maxTurnsExceeded``).
  public var maxTurns: Handler?
  /// The final message did not decode into the agent's output type, even after the corrective turns.
  public var invalidFinalOutput: Handler?
  /// The model refused to answer.
  public var modelRefusal: Handler?

  /// Creates handlers; each is optional.
  public init(maxTurns: Handler? = nil, invalidFinalOutput: Handler? = nil, modelRefusal: Handler? = nil) {
    self.maxTurns = maxTurns
    self.invalidFinalOutput = invalidFinalOutput
    self.modelRefusal = modelRefusal
  }
}

/// What an error handler is told.
public struct RunErrorInput: Sendable {
  /// Which failure it is.
  public enum Kind: String, Sendable, Hashable {
    /// ``RunErrorHandlers/maxTurns``.
    case maxTurns
    /// ``RunErrorHandlers/invalidFinalOutput``.
    case invalidFinalOutput
    /// ``RunErrorHandlers/modelRefusal``.
    case modelRefusal
  }

  /// Which failure it is.
  public var kind: Kind
  /// The error the run would fail with.
  public var error: AgentsError
  /// The run's context.
  public var context: RunContext
  /// What the run produced so far.
  public var run: PartialRun
}

/// The final output an error handler returns in place of the error.
public struct RunErrorFallback: Sendable {
  /// The final output: a `String` for text agents, a value of the agent's output type (or JSON text for it).
  public var finalOutput: any Sendable
  /// Whether the fallback is added to the run's items (and so to its history and session) as an assistant
  /// message; when `false` it is only the result's final output.
  public var includeInHistory: Bool

  /// Creates a fallback.
  public init(_ finalOutput: any Sendable, includeInHistory: Bool = true) {
    self.finalOutput = finalOutput
    self.includeInHistory = includeInHistory
  }
}

extension RunLoop {
  /// Finishes with the configured fallback for `error`, or throws `error` when there is no handler or it declines.
  @inline(never)
  mutating func recover(
    from error: AgentsError, kind: RunErrorInput.Kind, agent: Agent, configuration agentConfiguration: Agent.Configuration
  ) async throws -> AgentOutcome {
    var error = error
    error.partialRun = partialRun
    let handlers = configuration.errorHandlers
    let handler: RunErrorHandlers.Handler?
    switch kind {
    case .maxTurns: handler = handlers.maxTurns
    case .invalidFinalOutput: handler = handlers.invalidFinalOutput
    case .modelRefusal: handler = handlers.modelRefusal
    }
    guard let handler, let partial = error.partialRun,
      let fallback = try await handler(RunErrorInput(kind: kind, error: error, context: runContext, run: partial))
    else { throw error }
    let (value, text) = try Self.fallbackOutput(fallback.finalOutput, for: agentConfiguration, kind: kind)
    if fallback.includeInHistory {
      commit([RunItem(kind: .message, item: .assistant(text), agentName: agentConfiguration.name)])
    }
    return try await finish(agent: agent, configuration: agentConfiguration, output: value, text: text)
  }

  /// A handler's fallback as a final output value and its text, checked against the agent's output type.
  static func fallbackOutput(
    _ output: any Sendable, for agent: Agent.Configuration, kind: RunErrorInput.Kind
  ) throws -> (value: any Sendable, text: String) {
    guard let outputType = agent.outputType else {
      if let text = output as? String { return (text, text) }
      throw AgentsError(
        .userError, "The \(kind.rawValue) error handler returned a \(type(of: output)), but agent '\(agent.name)' "
          + "produces text: return a String.")
    }
    if outputType.matches(output) {
      guard let encodable = output as? any Encodable else { return (output, String(describing: output)) }
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      let data = try encoder.encode(encodable)
      return (output, String(decoding: data, as: UTF8.self))
    }
    if let text = output as? String, case .success(let decoded) = decodeFinalOutput(text, as: outputType) {
      return decoded
    }
    throw AgentsError(
      .userError, "The \(kind.rawValue) error handler returned a \(type(of: output)), which is not agent "
        + "'\(agent.name)''s output type \(outputType.name) (nor JSON text that decodes into it). Return a value of that type.")
  }
}
