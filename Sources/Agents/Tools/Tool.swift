/// Something an agent can call: a definition the model sees and code that runs when the model calls it.
///
/// ``FunctionTool`` covers most needs; conform your own type for anything else.
public protocol Tool: Sendable {
  /// The name, description and parameter schema the model sees.
  var definition: ToolDefinition { get }
  /// How long one call may take before it fails with a timeout; `nil` means no limit.
  var timeout: Duration? { get }
  /// Whether the tool is offered to the model on this turn.
  func isEnabled(context: RunContext, agent: Agent) async -> Bool
  /// Whether a call must wait for a person's approval before it runs (see ``ToolApproval``).
  var needsApproval: ToolApproval { get }
  /// Checks run before each call, after its approval: they can skip the call or stop the run.
  var inputGuardrails: [ToolInputGuardrail] { get }
  /// Checks run after each successful call: they can replace the output or stop the run.
  var outputGuardrails: [ToolOutputGuardrail] { get }
  /// Runs the tool with the model's JSON arguments and returns the output text the model reads.
  ///
  /// Throw ``ToolArgumentsError`` when the arguments are unusable; any other error counts as the tool failing.
  func call(arguments: String, context: ToolContext) async throws -> String
}

extension Tool {
  /// The tool's name.
  public var name: String { definition.name }
  /// No timeout.
  public var timeout: Duration? { nil }
  /// Always enabled.
  public func isEnabled(context: RunContext, agent: Agent) async -> Bool { true }
  /// Never asks for approval.
  public var needsApproval: ToolApproval { .never }
  /// No input guardrails.
  public var inputGuardrails: [ToolInputGuardrail] { [] }
  /// No output guardrails.
  public var outputGuardrails: [ToolOutputGuardrail] { [] }
}

/// What a tool receives besides its arguments: the run context, the calling agent and the call itself.
public struct ToolContext: Sendable {
  /// The run's context.
  public var run: RunContext
  /// The agent whose model called the tool.
  public var agent: Agent
  /// The call being answered.
  public var call: ToolCall
  /// The runner executing the run, for tools that start nested runs
  /// (see ``Agent/asTool(name:description:maxTurns:outputExtractor:)``).
  public var runner: Runner
  /// The paused nested run this call continues (an agent used as a tool resuming after approvals).
  var resumedRun: RunSnapshot? = nil

  /// Creates a tool context.
  public init(run: RunContext, agent: Agent, call: ToolCall, runner: Runner) {
    self.run = run
    self.agent = agent
    self.call = call
    self.runner = runner
  }
}

/// The model's arguments for a tool call were not valid JSON or did not match the tool's parameters.
public struct ToolArgumentsError: Error, Sendable, CustomStringConvertible {
  /// What was wrong, phrased so the model can fix its next call.
  public var reason: String
  /// Creates the error.
  public init(reason: String) { self.reason = reason }
  /// The reason.
  public var description: String { reason }
}

/// What happens after an agent's function tools ran.
public enum ToolUseBehavior: Sendable {
  /// The tool outputs go back to the model, which runs again (the default).
  case runLLMAgain
  /// The first tool's output becomes the final output; the model does not see it.
  case stopOnFirstTool
  /// The output of the first called tool with one of these names becomes the final output.
  case stopAtTools([String])
  /// Your function decides from the tool results.
  case custom(@Sendable (RunContext, [ToolResult]) async throws -> ToolsToFinalOutput)
}

/// One function tool call and its output, as given to a custom ``ToolUseBehavior``.
@MemberwiseInit
public struct ToolResult: Sendable, Hashable {
  /// The call.
  public var call: ToolCall
  /// The output text.
  public var output: String
  /// Whether the tool failed (the output is then the error message sent to the model).
  public var failed: Bool = false
}

/// A custom ``ToolUseBehavior``'s decision.
public struct ToolsToFinalOutput: Sendable, Hashable {
  /// The final output text, or `nil` to run the model again.
  public var finalOutput: String?

  /// Ends the run with `output` as the final output.
  public static func final(_ output: String) -> ToolsToFinalOutput { ToolsToFinalOutput(finalOutput: output) }
  /// Runs the model again with the tool outputs.
  public static let runAgain = ToolsToFinalOutput(finalOutput: nil)
}
