/// What a guardrail function returns: whether its tripwire fired, and anything it wants to report.
@MemberwiseInit
public struct GuardrailOutput: Sendable {
  /// Whether the run must stop.
  public var tripwireTriggered: Bool
  /// Details for the caller (a classifier's verdict, a reason…).
  public var outputInfo: (any Sendable)?
}

/// A check on the run's input, run on the first turn of the first agent.
///
/// By default it runs in parallel with the first model call, which is cancelled if the tripwire fires; with
/// `runInParallel: false` it runs before the model is called. Tools never run before input guardrails passed.
public struct InputGuardrail: Sendable {
  /// The guardrail's name, reported when it trips.
  public var name: String
  /// Whether it runs alongside the first model call instead of before it.
  public var runInParallel: Bool
  /// The check.
  public var check: @Sendable (RunContext, Agent, [Item]) async throws -> GuardrailOutput

  /// Creates an input guardrail.
  public init(
    name: String, runInParallel: Bool = true,
    _ check: @escaping @Sendable (RunContext, Agent, [Item]) async throws -> GuardrailOutput
  ) {
    self.name = name
    self.runInParallel = runInParallel
    self.check = check
  }
}

/// A check on the final output, run when the agent that has it produces it.
public struct OutputGuardrail: Sendable {
  /// The guardrail's name, reported when it trips.
  public var name: String
  /// The check; it receives the final output (a `String`, or the agent's output type).
  public var check: @Sendable (RunContext, Agent, any Sendable) async throws -> GuardrailOutput

  /// Creates an output guardrail.
  public init(
    name: String, _ check: @escaping @Sendable (RunContext, Agent, any Sendable) async throws -> GuardrailOutput
  ) {
    self.name = name
    self.check = check
  }
}

/// A guardrail's verdict, as recorded in results and errors.
public struct GuardrailResult: Sendable {
  /// The guardrail's name.
  public var guardrailName: String
  /// The agent it checked.
  public var agentName: String
  /// What the guardrail returned.
  public var output: GuardrailOutput
}
