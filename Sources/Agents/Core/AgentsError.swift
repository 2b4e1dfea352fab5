/// The error every part of the Agents SDK throws: a code to switch on, and a message that says what
/// happened and what to do about it.
///
/// Errors from the model server (`ModelServerError`) pass through the runner unchanged, and a tool's own
/// error is kept in ``underlying`` when the run is configured to throw on tool failures.
public struct AgentsError: Error, Sendable, CustomStringConvertible {
  /// What kind of failure an ``AgentsError`` is; new codes can be added without breaking callers.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private let name: String
    private init(_ name: String) { self.name = name }

    /// The run used more model calls than its `maxTurns` allows; ``AgentsError/partialRun`` has what ran.
    public static let maxTurnsExceeded = Code("maxTurnsExceeded")
    /// An input guardrail's tripwire fired; ``AgentsError/guardrailResult`` says which and why.
    public static let inputGuardrailTripped = Code("inputGuardrailTripped")
    /// An output guardrail's tripwire fired; ``AgentsError/guardrailResult`` says which and why.
    public static let outputGuardrailTripped = Code("outputGuardrailTripped")
    /// The model did something the run cannot use: invalid final output, an unknown tool, bad tool arguments.
    public static let modelBehavior = Code("modelBehavior")
    /// The SDK was used wrongly: invalid settings, duplicate tool names, a missing model provider.
    public static let userError = Code("userError")
    /// A tool did not finish within its timeout.
    public static let toolTimeout = Code("toolTimeout")
    /// A tool threw and the run is configured to stop on tool failures.
    public static let toolFailed = Code("toolFailed")
    /// The server rejected the requested `response_format`; the runner falls back on its own.
    public static let responseFormatUnsupported = Code("responseFormatUnsupported")
    /// The model cannot call tools, but the agent has tools or handoffs.
    public static let toolsUnsupported = Code("toolsUnsupported")
    /// The model kept repeating the same tool call (or the same unusable reply) after being told what to do
    /// instead, so the run stopped early rather than use up its turns; ``AgentsError/partialRun`` has what ran.
    public static let noProgress = Code("noProgress")
    /// The run's new input is longer than ``Runner/Configuration/maxInputCharacters``; nothing was sent.
    public static let inputTooLarge = Code("inputTooLarge")
    /// Even with older history dropped, the request does not fit the model's context length; nothing was sent.
    public static let contextLengthExceeded = Code("contextLengthExceeded")
    /// A tool input guardrail stopped the run before a call ran; ``AgentsError/toolGuardrailResult`` says which.
    public static let toolInputGuardrailTripped = Code("toolInputGuardrailTripped")
    /// A tool output guardrail stopped the run after a call ran; ``AgentsError/toolGuardrailResult`` says which.
    public static let toolOutputGuardrailTripped = Code("toolOutputGuardrailTripped")
    /// A saved ``RunState`` cannot be resumed: not a run state, another schema version, changed after it was
    /// saved, signed with another key, or saved for other agents.
    public static let invalidRunState = Code("invalidRunState")

    /// The code's name, e.g. `maxTurnsExceeded`; safe for metrics labels.
    public var description: String { name }

    /// Whether `error` is an ``AgentsError`` with this code, so `catch AgentsError.Code.maxTurnsExceeded`
    /// style patterns work in `switch` and `catch`.
    public static func ~= (code: Code, error: any Error) -> Bool {
      (error as? AgentsError)?.code == code
    }
  }

  /// What kind of failure this is.
  public var code: Code
  /// What happened and what to do next.
  public var message: String
  /// For ``Code/maxTurnsExceeded`` (and other mid-run failures): what the run produced before it stopped.
  public var partialRun: PartialRun?
  /// For guardrail trips: the guardrail's result.
  public var guardrailResult: GuardrailResult?
  /// The error that caused this one, if any (a tool's own error, a server error).
  public var underlying: (any Error)?
  /// For tool guardrail trips: the tool guardrail's result.
  public var toolGuardrailResult: ToolGuardrailResult?

  /// Creates an error.
  public init(
    _ code: Code, _ message: String, partialRun: PartialRun? = nil, guardrailResult: GuardrailResult? = nil,
    underlying: (any Error)? = nil
  ) {
    self.code = code
    self.message = message
    self.partialRun = partialRun
    self.guardrailResult = guardrailResult
    self.underlying = underlying
  }

  /// The message.
  public var description: String { message }
}

/// What a run had produced when it stopped with an error.
public struct PartialRun: Sendable {
  /// The input the run started from (session history plus new input).
  public var input: [Item]
  /// Everything the run generated before it stopped.
  public var newItems: [RunItem]
  /// One response per model call made.
  public var rawResponses: [ModelResponse]
  /// Timing and usage of every model call made.
  public var modelCalls: [ModelCallRecord]
  /// The agent that was running.
  public var lastAgent: Agent
  /// Usage summed over the calls made.
  public var usage: Usage
  /// Model calls made.
  public var turns: Int
  /// Wall-clock time from the start of the run until it stopped.
  public var duration: Duration
}
