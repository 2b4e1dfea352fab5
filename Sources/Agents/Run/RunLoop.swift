import Tracing

/// The state of one run and the loop that drives it: call the model, act on its response, repeat until a
/// final output, a handoff to another agent, or an error.
struct RunLoop: Sendable {
  /// How one agent's stretch of the run ended.
  enum AgentOutcome {
    case handoff(Agent)
    case finished(RunResult)
  }

  let runner: Runner
  let startingAgent: Agent
  let newInput: [Item]
  let userContext: any Sendable
  let maxTurns: Int?
  let session: (any Session)?
  let runHooks: (any RunHooks)?
  let sink: RunEventSink
  let clock = ContinuousClock()
  let start: ContinuousClock.Instant

  var currentAgent: Agent
  /// The input the run started from (session history plus new input), as a handoff filter left it.
  var originalInput: [Item] = []
  var generatedItems: [RunItem] = []
  /// `originalInput` followed by the generated items: what the model reads.
  var transcript: [Item] = []
  var rawResponses: [ModelResponse] = []
  var modelCalls: [ModelCallRecord] = []
  var usage = Usage()
  var turn = 0
  /// Agents that have used a tool in this run (for `resetToolChoice`).
  var toolUsers: Set<ObjectIdentifier> = []
  var correctionsUsed = 0
  /// A corrective message for the next model call only; never stored.
  var pendingCorrection: [Item] = []
  /// Whether the next model call offers no tools (see ``correctDisguisedCall(to:configuration:replyItemCount:)``).
  var withholdsTools = false
  var inputGuardrailResults: [GuardrailResult] = []
  var recoveredCallCount = 0
  /// Every function call that ran, by signature, for answering repeats (see ``RunLoop/repeatGuidance(_:earlier:)``).
  var callHistory: [CallSignature: PastCall] = [:]
  /// Consecutive turns that brought nothing new (only repeated calls or unusable replies); see ``noProgress``.
  var stalledTurns = 0
  /// The transcript length when routing last ran, so one request is routed once.
  var lastRoutedTranscriptCount: Int?
  /// How the current model call steers tool calls.
  var currentStrategy: ToolCallingStrategy = .native
  /// The new input and every generated item, saved to the session in one call once the run succeeds.
  var unsavedSessionItems: [Item] = []
  /// The last trimming reported as an event, and the largest one of the run.
  var lastTrimming: ContextTrimming?
  var largestTrimming: ContextTrimming?
  /// Approval decisions and the turn that waits for them (see RunLoop+Approvals).
  var approvals = RunApprovals()
  var toolGuardrailResults: [ToolGuardrailResult] = []
  /// Requests the server turned down as too long, each retried once after more trimming.
  var overflowRetries: [ContextOverflowRetry] = []
  /// After a server said `max_tokens` leaves the prompt no room: the most answer tokens to ask for.
  var answerTokenCap: Int?
  /// Why the last model response was cut, if it was.
  var lastTruncation: ResponseTruncation?
  /// The texts this run wrote to the model itself (unknown-tool and argument-error messages, repeated-call
  /// guidance, refused approvals, corrections), without any tool's own output: a final reply that repeats one is
  /// not an answer (see ``RunLoop/notAnAnswer(_:configuration:)``).
  var runnerTexts: [String] = []
  /// Whether a reply that repeated one of ``runnerTexts`` was already taken back and asked again.
  var retriedRunnerEcho = false

  init(
    runner: Runner, agent: Agent, input: [Item], context: any Sendable, maxTurns: Int?, session: (any Session)?,
    hooks: (any RunHooks)?, sink: RunEventSink
  ) {
    self.runner = runner
    self.startingAgent = agent
    self.currentAgent = agent
    self.newInput = input
    self.userContext = context
    self.maxTurns = maxTurns
    self.session = session
    self.runHooks = hooks
    self.sink = sink
    self.start = clock.now
  }

  var configuration: Runner.Configuration { runner.configuration }

  var runContext: RunContext { RunContext(context: userContext, usage: usage, turn: turn) }

  /// The run-wide hooks followed by `agent`'s own.
  func hooks(for agent: Agent, configuration: Agent.Configuration) -> [any RunHooks] {
    [runHooks, configuration.hooks].compactMap { $0 }
  }

  /// Runs to the end.
  mutating func run() async throws -> RunResult {
    do {
      return try await runner.tracing.span("agents.run") { span in
        span.setAttribute("agents.agent.name", startingAgent.name)
        let result = try await execute()
        span.setAttribute("agents.turns", result.turns)
        return result
      }
    } catch var error as AgentsError where error.partialRun == nil && error.code != .userError {
      error.partialRun = partialRun
      throw error
    }
  }

  private mutating func execute() async throws -> RunResult {
    if !approvals.isResumed {  // a resumed run has its input in place already
      try checkInputSize()
      if let session {
        originalInput = try await session.items(limit: nil) + newInput
        unsavedSessionItems = newInput
      } else {
        originalInput = newInput
      }
      transcript = originalInput
    }
    sink(.agentChanged(currentAgent))
    while true {
      switch try await runAgent(currentAgent) {
      case .handoff(let next): currentAgent = next
      case .finished(let result):
        // One write for the whole run: a failed, cancelled, killed or paused run leaves the session as it was.
        if !result.isInterrupted { try await session?.addItems(unsavedSessionItems) }
        return result
      }
    }
  }

  /// Runs `agent` until it hands off or finishes.
  private mutating func runAgent(_ agent: Agent) async throws -> AgentOutcome {
    try await runner.tracing.span("agents.agent") { span in
      span.setAttribute("agents.agent.name", agent.name)
      let configuration = agent.configuration
      for hook in hooks(for: agent, configuration: configuration) {
        await hook.agentStarted(agent, context: runContext)
      }
      while true {
        if let outcome = try await runTurn(agent) { return outcome }
      }
    }
  }

  /// Appends one turn's items to the run (and to what the session gets when the run succeeds).
  mutating func commit(_ items: [RunItem]) {
    guard !items.isEmpty else { return }
    generatedItems += items
    let plain = items.map(\.item)
    transcript += plain
    if session != nil { unsavedSessionItems += plain }
  }

  /// Takes back the last `count` committed items (a reply that is asked again), from the transcript and the session.
  mutating func retract(_ count: Int) {
    let count = min(count, generatedItems.count)
    generatedItems.removeLast(count)
    transcript.removeLast(min(count, transcript.count))
    if session != nil { unsavedSessionItems.removeLast(min(count, unsavedSessionItems.count)) }
  }

  /// Applies a handoff input filter to the whole run state.
  mutating func applyHandoffFilter(
    _ filter: @Sendable (HandoffInputData) async throws -> HandoffInputData, turnItemCount: Int
  ) async throws {
    let pre = Array(generatedItems.dropLast(turnItemCount))
    let new = Array(generatedItems.suffix(turnItemCount))
    let filtered = try await filter(HandoffInputData(inputHistory: originalInput, preHandoffItems: pre, newItems: new))
    originalInput = filtered.inputHistory
    generatedItems = filtered.preHandoffItems + filtered.newItems
    transcript = originalInput + generatedItems.map(\.item)
  }

  /// What the run produced so far, for errors.
  var partialRun: PartialRun {
    PartialRun(
      input: originalInput, newItems: generatedItems, rawResponses: rawResponses, modelCalls: modelCalls,
      lastAgent: currentAgent, usage: usage, turns: turn, duration: clock.now - start)
  }

  /// Finishes the run with `output`: output guardrails, end hooks, result.
  @inline(never)  // keeps the result building out of the async frame of every turn
  mutating func finish(
    agent: Agent, configuration agentConfiguration: Agent.Configuration, output: any Sendable, text: String,
    truncation: ResponseTruncation? = nil
  ) async throws -> AgentOutcome {
    let context = runContext
    let guardrails = agentConfiguration.outputGuardrails + configuration.outputGuardrails
    let outputResults = try await GuardrailExecution(tracing: runner.tracing).runOutput(
      guardrails, agent: agent, context: context, output: output)
    for hook in hooks(for: agent, configuration: agentConfiguration) {
      await hook.agentEnded(agent, output: output, context: context)
    }
    var result = RunResult(
      input: originalInput, newItems: generatedItems, rawResponses: rawResponses, modelCalls: modelCalls,
      lastAgent: agent, finalOutput: output, finalOutputText: text, usage: usage, turns: turn,
      duration: clock.now - start, inputGuardrailResults: inputGuardrailResults,
      outputGuardrailResults: outputResults)
    result.contextTrimming = largestTrimming
    result.toolGuardrailResults = toolGuardrailResults
    result.contextOverflowRetries = overflowRetries
    result.truncation = truncation
    if let truncation { sink(.answerTruncated(truncation)) }
    return .finished(result)
  }

  /// The error for a run that used up its turns.
  func maxTurnsExceeded(_ limit: Int) -> AgentsError {
    AgentsError(
      .maxTurnsExceeded, "The run reached its limit of \(limit) model calls (maxTurns) without a final output. "
        + "The agent may be looping on tool calls: raise maxTurns, simplify the task, or use a model that "
        + "follows tool results better. The error's partialRun holds what the run produced.",
      partialRun: partialRun)
  }
}
