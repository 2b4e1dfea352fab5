import Tracing

/// Runs agents: calls the model, runs tools, follows handoffs, and returns the final output.
///
/// ```swift
/// let runner = Runner()
/// let result = try await runner.run(agent, input: "What's the weather in Paris?")
/// print(result.finalOutput)
/// ```
///
/// Everything is `async`. Top-level code in `main.swift` (or an `@main` type's `static func main() async`)
/// can `await` directly; that is the Swift form of the Python SDK's `Runner.run_sync`. Cancelling the task
/// that awaits a run stops the model's HTTP stream and the running tools.
public struct Runner: Sendable {
  /// Settings that apply to every run of this runner.
  public struct Configuration: Sendable {
    /// Resolves model names (and the default model when an agent names none); `nil` uses an
    /// ``OpenAICompatibleProvider`` for the server the environment names (`OLLAMA_HOST`, `OPENAI_BASE_URL`),
    /// so `Agent(name:model: "llama3.2")` works with a local Ollama out of the box.
    public var modelProvider: (any ModelProvider)?
    /// A model that overrides every agent's model.
    public var model: ModelReference?
    /// Settings laid over every agent's settings.
    public var modelSettings: ModelSettings?
    /// The input filter for handoffs that have none of their own.
    public var handoffInputFilter: (@Sendable (HandoffInputData) async throws -> HandoffInputData)?
    /// Input guardrails added to the first agent's own.
    public var inputGuardrails: [InputGuardrail]
    /// Output guardrails added to the final agent's own.
    public var outputGuardrails: [OutputGuardrail]
    /// What happens when a tool throws, times out, or gets arguments it cannot decode.
    public var toolFailures: FailurePolicy
    /// What happens when the model calls a tool the agent does not have.
    public var unknownTools: FailurePolicy
    /// How many tool calls of one response run at the same time.
    public var maxToolConcurrency: Int
    /// Whether tool calls and handoffs a model wrote as text (JSON, fenced or in `<tool_call>` tags, alone or
    /// with prose around it; a handoff target's name) are run as calls.
    public var recoversTextToolCalls: Bool
    /// How structured output is requested from the server.
    public var structuredOutput: StructuredOutputStrategy
    /// How tool calls and handoffs are got out of the model: natively, or with constrained decoding for small
    /// models (``ToolCallingStrategy``); `.automatic` picks by the model's size.
    public var toolCalling: ToolCallingStrategy
    /// How many corrective turns a run may spend on a final output that does not decode.
    public var correctiveTurns: Int
    /// The tracer for the SDK's spans; `nil` uses the process-wide tracer (a no-op unless the app installed one).
    public var tracer: (any Tracer)?
    /// The most characters the user messages of a run's new input may have together; a longer input fails
    /// with ``AgentsError/Code/inputTooLarge`` before any request. `nil` means no limit.
    public var maxInputCharacters: Int?
    /// Fallback final outputs for some failures (max turns, invalid final output, refusal) instead of errors.
    public var errorHandlers = RunErrorHandlers()
    /// When set, a response that keeps repeating the same line or run of words is stopped: a stream is cancelled
    /// as soon as the repetition is noticed, and the answer ends after the first occurrence, marked in
    /// ``RunResult/truncation``. `nil` (the default) lets every response run to its end.
    public var repetitionDetection: RepetitionDetector.Configuration?
    /// Whether an agent on ``ToolCallingStrategy/constrained`` is offered its tools also for a message that
    /// carries all the code it asks about and names no file (``SelfContainedCode``). Off by default: a small model
    /// reads such code better without tool definitions in view (docs/small-models.md). Agents with handoffs, a
    /// required tool choice, or tool calls already in the run always get their tools.
    public var offersToolsForSelfContainedCode: Bool
    /// The tool that runs code, for questions about what a piece of code does. With
    /// ``ToolCallingStrategy/constrained``, an agent that has this tool and is asked what code it was given prints,
    /// returns or gets wrong (a message that carries all its code, names no file and is in one of the tool's
    /// languages; ``SelfContainedCode``) must call it first, with only it offered, and then answers with its
    /// result in view. A small model reads code unreliably; running it gives the answer a fact to stand on.
    /// The call needs approval if the tool says so. `nil` (the default): no such step.
    public var codeRunningTool: CodeRunningTool?

    /// Creates a configuration.
    public init(
      modelProvider: (any ModelProvider)? = nil, model: ModelReference? = nil, modelSettings: ModelSettings? = nil,
      handoffInputFilter: (@Sendable (HandoffInputData) async throws -> HandoffInputData)? = nil,
      inputGuardrails: [InputGuardrail] = [], outputGuardrails: [OutputGuardrail] = [],
      toolFailures: FailurePolicy = .reportToModel, unknownTools: FailurePolicy = .reportToModel,
      maxToolConcurrency: Int = 8, recoversTextToolCalls: Bool = true,
      structuredOutput: StructuredOutputStrategy = .automatic, toolCalling: ToolCallingStrategy = .automatic,
      correctiveTurns: Int = 1, tracer: (any Tracer)? = nil,
      maxInputCharacters: Int? = Runner.defaultMaxInputCharacters,
      repetitionDetection: RepetitionDetector.Configuration? = nil, offersToolsForSelfContainedCode: Bool = false,
      codeRunningTool: CodeRunningTool? = nil
    ) {
      self.modelProvider = modelProvider
      self.model = model
      self.modelSettings = modelSettings
      self.handoffInputFilter = handoffInputFilter
      self.inputGuardrails = inputGuardrails
      self.outputGuardrails = outputGuardrails
      self.toolFailures = toolFailures
      self.unknownTools = unknownTools
      self.maxToolConcurrency = maxToolConcurrency
      self.recoversTextToolCalls = recoversTextToolCalls
      self.structuredOutput = structuredOutput
      self.toolCalling = toolCalling
      self.correctiveTurns = correctiveTurns
      self.tracer = tracer
      self.maxInputCharacters = maxInputCharacters
      self.repetitionDetection = repetitionDetection
      self.offersToolsForSelfContainedCode = offersToolsForSelfContainedCode
      self.codeRunningTool = codeRunningTool
    }
  }

  /// The default number of model calls a run may make.
  public static let defaultMaxTurns = 10
  /// The default of ``Configuration/maxInputCharacters``: 200,000 characters (about 50,000 tokens).
  public static let defaultMaxInputCharacters = Setting.defaultMaxInputCharacters

  /// Settings for every run.
  public var configuration: Configuration
  /// Where spans go.
  var tracing: AgentTracing { AgentTracing(tracer: configuration.tracer) }
  /// Output formats each model's server turned down, shared by this runner's runs.
  let formatMemory = OutputFormatMemory()
  /// Each model's tokens per estimated token and served context length, learned by this runner's runs.
  let calibration = ContextCalibration()

  /// Creates a runner.
  public init(configuration: Configuration = Configuration()) {
    self.configuration = configuration
  }

  /// Runs `agent` on a user message until it produces a final output.
  ///
  /// - Parameters:
  ///   - context: any value tools, instructions, guardrails and hooks can read; never sent to the model.
  ///   - maxTurns: the most model calls, across handoffs; `nil` means no limit.
  ///   - session: memory to load history from; the new input and every generated item are saved to it in one
  ///     call when the run succeeds, so a failed or cancelled run leaves it as it was.
  ///   - hooks: callbacks for the run's lifecycle events.
  /// - Throws: ``AgentsError`` (max turns, guardrail trips, model behaviour), the model server's errors, or
  ///   `CancellationError`.
  public func run(
    _ agent: Agent, input: String, context: any Sendable = (), maxTurns: Int? = Runner.defaultMaxTurns,
    session: (any Session)? = nil, hooks: (any RunHooks)? = nil
  ) async throws -> RunResult {
    try await run(agent, input: [.user(input)], context: context, maxTurns: maxTurns, session: session, hooks: hooks)
  }

  /// Runs `agent` on a list of input items (for example a previous run's ``RunResult/history`` plus a new
  /// message) until it produces a final output.
  public func run(
    _ agent: Agent, input: [Item], context: any Sendable = (), maxTurns: Int? = Runner.defaultMaxTurns,
    session: (any Session)? = nil, hooks: (any RunHooks)? = nil
  ) async throws -> RunResult {
    var loop = RunLoop(
      runner: self, agent: agent, input: input, context: context, maxTurns: maxTurns, session: session,
      hooks: hooks, sink: .none)
    return try await loop.run()
  }

  /// Continues a run that paused for approvals, once its pending calls are approved or rejected (see
  /// ``RunState``); calls without a decision make it pause again.
  ///
  /// - Parameters:
  ///   - context: the run's context value (it is not saved in the state).
  ///   - session: the session the run started with, so the whole run is saved to it when it finishes.
  ///   - hooks: callbacks for the rest of the run.
  public func run(
    _ state: RunState, context: any Sendable = (), session: (any Session)? = nil, hooks: (any RunHooks)? = nil
  ) async throws -> RunResult {
    var loop = RunLoop(runner: self, state: state, context: context, session: session, hooks: hooks, sink: .none)
    return try await loop.run()
  }

  /// Continues a paused run (see ``run(_:context:session:hooks:)``), streaming its events.
  public func runStreamed(
    _ state: RunState, context: any Sendable = (), session: (any Session)? = nil, hooks: (any RunHooks)? = nil
  ) -> RunStream {
    stream { sink in RunLoop(runner: self, state: state, context: context, session: session, hooks: hooks, sink: sink) }
  }

  /// Starts a streamed run of `agent` on a user message; iterate the stream for events as they happen.
  public func runStreamed(
    _ agent: Agent, input: String, context: any Sendable = (), maxTurns: Int? = Runner.defaultMaxTurns,
    session: (any Session)? = nil, hooks: (any RunHooks)? = nil
  ) -> RunStream {
    runStreamed(agent, input: [.user(input)], context: context, maxTurns: maxTurns, session: session, hooks: hooks)
  }

  /// Starts a streamed run of `agent` on a list of input items.
  public func runStreamed(
    _ agent: Agent, input: [Item], context: any Sendable = (), maxTurns: Int? = Runner.defaultMaxTurns,
    session: (any Session)? = nil, hooks: (any RunHooks)? = nil
  ) -> RunStream {
    stream { sink in
      RunLoop(
        runner: self, agent: agent, input: input, context: context, maxTurns: maxTurns, session: session,
        hooks: hooks, sink: sink)
    }
  }

  /// Runs the loop `makeLoop` builds in a task, streaming its events; dropping the stream cancels it.
  private func stream(_ makeLoop: (RunEventSink) -> RunLoop) -> RunStream {
    let (events, continuation) = AsyncThrowingStream.makeStream(of: RunEvent.self)
    let loop = makeLoop(RunEventSink(continuation: continuation))
    let task = Task {
      var loop = loop
      do {
        let result = try await loop.run()
        continuation.yield(.finished(result))
        continuation.finish()
      } catch {
        continuation.finish(throwing: error)
      }
    }
    continuation.onTermination = { _ in task.cancel() }
    return RunStream(events)
  }
}

/// What to do when something goes wrong that the model could fix itself.
public enum FailurePolicy: Sendable, Hashable {
  /// Send an error message to the model as the tool's output, so it can try again.
  case reportToModel
  /// Stop the run with an ``AgentsError``.
  case throwError
}

/// How structured output is requested from the model server.
public enum StructuredOutputStrategy: Sendable, Hashable {
  /// `json_schema`; if the server rejects it, `json_object` with the schema in the instructions; if that is
  /// rejected too, the schema in the instructions only.
  case automatic
  /// `json_schema` only; a rejection is an error.
  case jsonSchema
  /// `json_object` with the schema in the instructions.
  case jsonObject
  /// No `response_format`; the schema goes in the instructions.
  case instructionsOnly
}
