/// The approval side of a run in progress: the decisions made, and the turn that waits for them.
struct RunApprovals: Sendable {
  var decisions = ApprovalDecisions()
  /// The turn whose calls wait for decisions; set while the run is paused and when it resumes.
  var pausedTurn: PausedTurn?
  /// Whether the run continues from a ``RunState`` (its input is already in place).
  var isResumed = false
  /// Application data carried by the state.
  var metadata: [String: String] = [:]
}

extension RunLoop {
  /// A run that continues from `state`.
  init(
    runner: Runner, state: RunState, context: any Sendable, session: (any Session)?, hooks: (any RunHooks)?,
    sink: RunEventSink
  ) {
    let snapshot = state.snapshot
    self.init(
      runner: runner, agent: state.startingAgent, input: [], context: context, maxTurns: snapshot.maxTurns,
      session: session, hooks: hooks, sink: sink)
    currentAgent = state.currentAgent
    originalInput = snapshot.originalInput
    generatedItems = snapshot.generatedItems
    transcript = originalInput + generatedItems.map(\.item)
    rawResponses = snapshot.rawResponses.map(\.response)
    modelCalls = snapshot.modelCalls.map(\.record)
    usage = snapshot.usage
    turn = snapshot.turn
    let users = Set(snapshot.toolUsers)
    toolUsers = Set(RunState.reachableAgents(from: state.startingAgent).filter { users.contains($0.name) }.map(ObjectIdentifier.init))
    correctionsUsed = snapshot.correctionsUsed
    recoveredCallCount = snapshot.recoveredCallCount
    unsavedSessionItems = session == nil ? [] : snapshot.unsavedSessionItems
    inputGuardrailResults = snapshot.inputGuardrailResults.map(\.result)
    approvals = RunApprovals(
      decisions: snapshot.decisions, pausedTurn: snapshot.pausedTurn, isResumed: true, metadata: snapshot.metadata)
    if let smallModel = snapshot.smallModel { restore(smallModel) }
  }

  /// Runs the function calls of `plan` that may run now: approved ones, and those that need no approval.
  /// Rejected calls get their rejection as output.
  ///
  /// - Parameter previous: the paused turn being continued, whose earlier results and pending calls count.
  /// - Returns: the results of every function call in call order (outputs recorded in `plan`), or `nil` when
  ///   calls still wait for decisions; the turn is then kept in ``RunApprovals/pausedTurn``.
  @inline(never)
  mutating func settleFunctionCalls(
    _ plan: inout ResponsePlan, agent: Agent, hooks: [any RunHooks], previous: PausedTurn? = nil
  ) async throws -> [ToolResult]? {
    var runnable: [(call: ToolCall, tool: any Tool)] = []
    var pending: [ToolApprovalItem] = []
    let context = runContext
    for (call, tool) in plan.functionCalls where plan.outputs[call.id] == nil {
      if previous?.nestedRuns[call.id] != nil {
        runnable.append((call, tool))
        continue
      }
      switch approvals.decisions.decision(for: call) {
      case .approved:
        runnable.append((call, tool))
      case .rejected(let message):
        let output = message ?? ApprovalDecision.defaultRejectionMessage(for: call.name)
        if message == nil { runnerTexts.append(output) }  // a person's own message is theirs, not the run's
        plan.outputs[call.id] = output
        sink(.toolOutput(call, output: output))  // the rejection is the call's result, as a run call's would be
      case nil:
        if let waiting = previous?.pending.first(where: { $0.call.id == call.id }) {
          pending.append(waiting)
          continue
        }
        let request = ToolApprovalRequest(context: context, agent: agent, call: call)
        guard await tool.needsApproval.isRequired(for: request) else {
          runnable.append((call, tool))
          continue
        }
        var preview: String?
        if let request, let describe = tool.needsApproval.preview { preview = await describe(request) }
        pending.append(ToolApprovalItem(call: call, agentName: agent.name, preview: preview))
      }
    }
    var results = previous?.results.map(\.result) ?? []
    var nestedRuns: [String: RunSnapshot] = [:]
    if !runnable.isEmpty {
      let executed = try await ToolExecution(agent: agent, context: context, runner: runner, hooks: hooks, sink: sink)
        .run(runnable, resumedRuns: previous?.nestedRuns ?? [:])
      for call in executed {
        toolGuardrailResults += call.guardrailResults
        if let words = call.runnerText { runnerTexts.append(words) }
        if let result = call.result { results.append(result) } else { nestedRuns[call.call.id] = call.pausedRun }
      }
      let order = Dictionary(plan.calls.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
      results.sort { order[$0.call.id, default: 0] < order[$1.call.id, default: 0] }
    }
    guard pending.isEmpty, nestedRuns.isEmpty else {
      for result in results { plan.outputs[result.call.id] = result.output }
      approvals.pausedTurn = PausedTurn(
        agent: agent.name, items: plan.items, calls: plan.calls.map(SavedCall.init),
        handoffCallIDs: plan.handoffCalls.map(\.call.id), outputs: plan.outputs,
        results: results.map(SavedToolResult.init), pending: pending, nestedRuns: nestedRuns)
      return nil
    }
    if !results.isEmpty { toolUsers.insert(ObjectIdentifier(agent)) }
    plan.recordOutputs(of: results)
    return results
  }

  /// Continues the turn the run paused in, once: runs the approved calls, answers rejected ones, and goes on
  /// like any turn whose tools ran (or pauses again while calls still wait).
  @inline(never)
  mutating func resumePausedTurn(_ agent: Agent) async throws -> AgentOutcome? {
    guard let paused = approvals.pausedTurn else { return nil }
    approvals.pausedTurn = nil
    let agentConfiguration = agent.configuration
    let hooks = hooks(for: agent, configuration: agentConfiguration)
    let tools = try await enabledTools(agentConfiguration, agent: agent, context: runContext)
    var plan = try restorePlan(paused, tools: tools, handoffs: agentConfiguration.handoffs.filter(\.isEnabled))
    guard let results = try await settleFunctionCalls(&plan, agent: agent, hooks: hooks, previous: paused) else {
      return try pause(agent)
    }
    return try await completeTurn(
      plan, results: results, refusal: nil, agent: agent, configuration: agentConfiguration, hooks: hooks)
  }

  /// The plan of a paused turn, its calls matched again to the agent's current tools and handoffs (a tool that
  /// is gone is answered as unknown).
  private mutating func restorePlan(_ paused: PausedTurn, tools: [any Tool], handoffs: [Handoff]) throws -> ResponsePlan {
    let toolsByName = Dictionary(tools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    let handoffsByName = Dictionary(handoffs.map { ($0.toolName, $0) }, uniquingKeysWith: { first, _ in first })
    let handoffIDs = Set(paused.handoffCallIDs)
    var plan = ResponsePlan(text: "", calls: paused.calls.map(\.call), items: paused.items, agentName: paused.agent)
    plan.outputs = paused.outputs
    for call in plan.calls {
      if handoffIDs.contains(call.id), let handoff = handoffsByName[call.name] {
        plan.handoffCalls.append((call, handoff))
      } else if plan.outputs[call.id] == nil {
        if let tool = toolsByName[call.name], !handoffIDs.contains(call.id) {
          plan.functionCalls.append((call, tool))
        } else {
          plan.outputs[call.id] = try unknownToolMessage(
            call, known: toolsByName.keys.sorted() + handoffsByName.keys.sorted(), agentName: paused.agent)
        }
      }
    }
    return plan
  }

  /// Ends this stretch of the run at the paused turn: the result lists the pending calls and carries the state.
  mutating func pause(_ agent: Agent) throws -> AgentOutcome {
    guard let paused = approvals.pausedTurn else { throw AgentsError(.userError, "The run has no paused turn.") }
    let state = try RunState(snapshot: snapshot(paused), startingAgent: startingAgent)
    var result = RunResult(
      input: originalInput, newItems: generatedItems, rawResponses: rawResponses, modelCalls: modelCalls,
      lastAgent: agent, finalOutput: "", finalOutputText: "", usage: usage, turns: turn, duration: clock.now - start,
      inputGuardrailResults: inputGuardrailResults, outputGuardrailResults: [])
    result.contextTrimming = largestTrimming
    result.interruptions = state.interruptions
    result.state = state
    result.toolGuardrailResults = toolGuardrailResults
    return .finished(result)
  }

  /// The run as plain data, paused at `paused`.
  private func snapshot(_ paused: PausedTurn) -> RunSnapshot {
    let users = RunState.reachableAgents(from: startingAgent).filter { toolUsers.contains(ObjectIdentifier($0)) }
    return RunSnapshot(
      startingAgent: startingAgent.name, currentAgent: currentAgent.name, originalInput: originalInput,
      generatedItems: generatedItems, rawResponses: rawResponses.map(SavedResponse.init),
      modelCalls: modelCalls.map(SavedModelCall.init), usage: usage, turn: turn, maxTurns: maxTurns,
      toolUsers: users.map(\.name), correctionsUsed: correctionsUsed, recoveredCallCount: recoveredCallCount,
      unsavedSessionItems: unsavedSessionItems, inputGuardrailResults: inputGuardrailResults.map(SavedGuardrailResult.init),
      decisions: approvals.decisions, pausedTurn: paused, metadata: approvals.metadata,
      smallModel: savedSmallModelState)
  }
}
