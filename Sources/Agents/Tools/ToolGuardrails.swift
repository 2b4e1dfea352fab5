/// What a tool guardrail decided about one call.
///
/// ```swift
/// let noSecrets = ToolInputGuardrail(name: "no_secrets") { input in
///   input.call.arguments.contains("sk-") ? .rejectContent("Remove the key before calling this tool.") : .allow()
/// }
/// ```
@MemberwiseInit
public struct ToolGuardrailOutput: Sendable {
  /// What happens to the call.
  public enum Behavior: Sendable, Hashable {
    /// The call runs (input guardrail) or its output goes to the model (output guardrail) unchanged.
    case allow
    /// The call is skipped (input guardrail) or its output replaced (output guardrail); the model reads this
    /// message instead, and the run goes on.
    case rejectContent(String)
    /// The run stops with ``AgentsError/Code/toolInputGuardrailTripped`` or
    /// ``AgentsError/Code/toolOutputGuardrailTripped``.
    case tripwire
  }

  /// What happens to the call.
  public var behavior: Behavior
  /// Details for the caller (a classifier's verdict, a reason…), kept in the run's guardrail results.
  public var outputInfo: (any Sendable)?

  /// Lets the call (or its output) through.
  public static func allow(_ info: (any Sendable)? = nil) -> ToolGuardrailOutput {
    ToolGuardrailOutput(behavior: .allow, outputInfo: info)
  }

  /// Skips the call or replaces its output with `message`, which the model reads; the run goes on.
  public static func rejectContent(_ message: String, info: (any Sendable)? = nil) -> ToolGuardrailOutput {
    ToolGuardrailOutput(behavior: .rejectContent(message), outputInfo: info)
  }

  /// Stops the run.
  public static func tripwire(_ info: (any Sendable)? = nil) -> ToolGuardrailOutput {
    ToolGuardrailOutput(behavior: .tripwire, outputInfo: info)
  }
}

/// What a tool guardrail checks: the call, its context, and (for output guardrails) what the tool returned.
@MemberwiseInit
public struct ToolGuardrailInput: Sendable {
  /// The tool context: the run, the agent and the call (``ToolContext/call`` has the arguments as the model
  /// wrote them).
  public var context: ToolContext
  /// The tool's output; `nil` for input guardrails.
  public var output: String?

  /// The call being checked.
  public var call: ToolCall { context.call }
  /// The agent whose model made the call.
  public var agent: Agent { context.agent }
}

/// Which side of a call a ``ToolGuardrail`` checks: ``BeforeToolCall`` or ``AfterToolCall``.
public protocol ToolGuardrailSide: Sendable {
  /// The stage recorded in the guardrail's results.
  static var stage: ToolGuardrailResult.Stage { get }
}

/// The side of ``ToolInputGuardrail``: before the tool runs.
public enum BeforeToolCall: ToolGuardrailSide {
  /// Input guardrails are recorded as ``ToolGuardrailResult/Stage/input``.
  public static var stage: ToolGuardrailResult.Stage { .input }
}

/// The side of ``ToolOutputGuardrail``: after the tool ran.
public enum AfterToolCall: ToolGuardrailSide {
  /// Output guardrails are recorded as ``ToolGuardrailResult/Stage/output``.
  public static var stage: ToolGuardrailResult.Stage { .output }
}

/// A named check around each call of one function tool; `Side` says whether it runs before the call
/// (``ToolInputGuardrail``) or after it (``ToolOutputGuardrail``).
public struct ToolGuardrail<Side: ToolGuardrailSide>: Sendable {
  /// The guardrail's name, reported in results and errors.
  public var name: String
  /// The check; for output guardrails ``ToolGuardrailInput/output`` holds the tool's output.
  public var check: @Sendable (ToolGuardrailInput) async throws -> ToolGuardrailOutput

  /// Creates a tool guardrail.
  public init(name: String, _ check: @escaping @Sendable (ToolGuardrailInput) async throws -> ToolGuardrailOutput) {
    self.name = name
    self.check = check
  }
}

/// A check that runs before each call of one function tool (after its approval, if it needs one): it can let
/// the call run, skip it with a message to the model, or stop the run.
public typealias ToolInputGuardrail = ToolGuardrail<BeforeToolCall>

/// A check that runs after each successful call of one function tool: it can pass the output on, replace it
/// with a message to the model, or stop the run.
public typealias ToolOutputGuardrail = ToolGuardrail<AfterToolCall>

/// A tool guardrail's verdict on one call, as recorded in ``RunResult/toolGuardrailResults``.
public struct ToolGuardrailResult: Sendable {
  /// Which side of the call the guardrail checked.
  public enum Stage: String, Sendable, Hashable {
    /// Before the tool ran.
    case input
    /// After the tool ran.
    case output
  }

  /// The guardrail's name.
  public var guardrailName: String
  /// Whether it checked the call's input or output.
  public var stage: Stage
  /// The call it checked.
  public var call: ToolCall
  /// The agent whose model made the call.
  public var agentName: String
  /// What the guardrail returned.
  public var output: ToolGuardrailOutput
}
