import Tracing

extension RunLoop {
  /// One turn: prepare and send a model call, then act on the response. Returns `nil` to run the model again.
  mutating func runTurn(_ agent: Agent) async throws -> AgentOutcome? {
    if approvals.pausedTurn != nil { return try await resumePausedTurn(agent) }
    let agentConfiguration = agent.configuration
    if let maxTurns, turn >= maxTurns {
      return try await recover(
        from: maxTurnsExceeded(maxTurns), kind: .maxTurns, agent: agent, configuration: agentConfiguration)
    }
    let hooks = hooks(for: agent, configuration: agentConfiguration)
    let tools = try await enabledTools(agentConfiguration, agent: agent, context: runContext)
    let handoffs = agentConfiguration.handoffs.filter(\.isEnabled)
    let model = try resolveModel(agentConfiguration)
    currentStrategy = strategy(for: model)
    if currentStrategy == .constrained, !handoffs.isEmpty,
      let routed = try await route(
        agent, configuration: agentConfiguration, model: model, hooks: hooks, handoffs: handoffs)
    {
      return routed
    }
    if let maxTurns, turn >= maxTurns { throw maxTurnsExceeded(maxTurns) }
    var call = try await prepareCall(
      agent, configuration: agentConfiguration, model: model, hooks: hooks, tools: tools, handoffs: handoffs)

    var outcome: ModelCall.Outcome
    do {
      outcome = try await send(call, agent: agent, configuration: agentConfiguration)
    } catch let error as ModelServerError where error.code == .contextOverflow {
      call = try await prepareRetry(
        after: error, failed: call, agent, configuration: agentConfiguration, hooks: hooks, tools: tools,
        handoffs: handoffs)
      outcome = try await sendRetry(call, after: error, agent: agent, configuration: agentConfiguration)
    }
    outcome = try await coverRequest(with: outcome, of: call)
    if samplesAnswers(agentConfiguration), call.request.outputFormat == .text {
      outcome = try await sampleAnswers(
        from: outcome, of: call, configuration: agentConfiguration, tools: tools, handoffs: handoffs, hooks: hooks)
      emitSampledReply(outcome.response)
    }
    turn += 1
    pendingCorrection = []
    withholdsTools = false
    learnFromUsage(of: outcome, for: call)
    lastTruncation = outcome.response.truncation(maxTokens: call.request.settings.maxTokens)
    record(outcome)
    for hook in hooks { await hook.modelCallEnded(agent, response: outcome.response, context: runContext) }
    return try await process(
      outcome.response, agent: agent, configuration: agentConfiguration, tools: tools, handoffs: handoffs,
      hooks: hooks)
  }

  /// Sends `call`: with the input guardrails on the run's first call, plainly after that.
  private mutating func send(
    _ call: ModelCall, agent: Agent, configuration agentConfiguration: Agent.Configuration
  ) async throws -> ModelCall.Outcome {
    if turn == 0, !(startingAgent.inputGuardrails.isEmpty && configuration.inputGuardrails.isEmpty) {
      return try await callWithInputGuardrails(call, agent: agent, configuration: agentConfiguration)
    }
    return try await call.send()  // not through callWithInputGuardrails: its large async frame stays unallocated
  }

  /// Sends the trimmed retry of a request the server found too long; a second overflow ends the run.
  @inline(never)
  private mutating func sendRetry(
    _ call: ModelCall, after first: ModelServerError, agent: Agent,
    configuration agentConfiguration: Agent.Configuration
  ) async throws -> ModelCall.Outcome {
    do {
      return try await send(call, agent: agent, configuration: agentConfiguration)
    } catch let error as ModelServerError where error.code == .contextOverflow {
      throw AgentsError(
        .contextLengthExceeded,
        "The model server still says the request does not fit the model's context after the run trimmed the "
          + "history and retried once (\(error.serverMessage ?? error.summary)). Shorten the message or the "
          + "instructions, lower maxTokens, or give the model a larger context.", underlying: error)
    }
  }

  /// The model call of this turn. Out of line so that its temporaries are not part of the turn's async frame,
  /// which stays allocated while the model answers.
  @inline(never)
  private mutating func prepareCall(
    _ agent: Agent, configuration agentConfiguration: Agent.Configuration, model: any Model, hooks: [any RunHooks],
    tools: [any Tool], handoffs: [Handoff]
  ) async throws -> ModelCall {
    let context = runContext
    let systemPrompt = try await agentConfiguration.instructions?.resolve(context: context, agent: agent)
    var settings = try settings(agentConfiguration, agent: agent)
    let codeRun = codeRunStep(agentConfiguration, toolChoice: settings.toolChoice)
    let offersNoTools =
      codeRun == .answerWithoutRun
      || codeRun == nil && (withholdsTools || leavesToolsOut(agentConfiguration, toolChoice: settings.toolChoice))
    var toolDefinitions = offersNoTools ? [] : try definitions(tools, handoffs, agent: agentConfiguration.name)
    if offersNoTools { settings.toolChoice = nil }
    switch codeRun {
    case .run(let name)?:
      toolDefinitions = toolDefinitions.filter { $0.name == name }
      settings.toolChoice = .function(name)
    case .answer(let name)?:
      toolDefinitions = toolDefinitions.filter { $0.name == name }
      settings.toolChoice = nil
    case .answerWithoutRun?, nil: break
    }
    if let cap = answerTokenCap, settings.maxTokens ?? .max > cap { settings.maxTokens = cap }
    // After a run that told nothing, the request is the question alone (the hidden call's "answer with this
    // result" nudge goes too); a call made again for a fragment's definitions gets no such nudge either.
    let dropsCorrection: Bool
    switch codeRun {
    case .run?, .answerWithoutRun?: dropsCorrection = true
    case .answer?, nil: dropsCorrection = false
    }
    var items = pendingCorrection.isEmpty || dropsCorrection ? transcript : transcript + pendingCorrection
    if currentStrategy == .constrained {
      items = InlineCode.fencingUserMessages(
        ConstrainedSteps.callableOnly(items, callable: Set(toolDefinitions.map(\.name))))
    }
    let input = try await fitToContext(
      systemPrompt: systemPrompt, items: items, tools: toolDefinitions, settings: settings, agent: agentConfiguration,
      model: model)
    var request = ModelRequest(
      systemPrompt: systemPrompt, input: input, tools: toolDefinitions, settings: settings,
      agentName: agentConfiguration.name)
    if currentStrategy == .constrained, constrainRequiredCall(&request) {
      // A JSON call is no text for the user: not streamed, and no output type's format.
      return ModelCall(
        agent: agent, outputType: nil, model: model, request: request, hooks: hooks, context: context, sink: .none,
        strategy: .jsonSchema, formatMemory: runner.formatMemory, tracing: runner.tracing)
    }
    return ModelCall(
      agent: agent, outputType: agentConfiguration.outputType, model: model, request: request, hooks: hooks,
      context: context, sink: samplesAnswers(agentConfiguration) ? .silent : sink,
      strategy: configuration.structuredOutput, formatMemory: runner.formatMemory,
      tracing: runner.tracing, repetition: configuration.repetitionDetection)
  }

  /// The call that retries `failed` after the server said it does not fit the model's context: what the error
  /// taught (the real prompt size, the context length, an answer limit that leaves no room) is learned, and the
  /// history trimmed again. Throws when that changes nothing.
  @inline(never)
  private mutating func prepareRetry(
    after error: ModelServerError, failed: ModelCall, _ agent: Agent,
    configuration agentConfiguration: Agent.Configuration,
    hooks: [any RunHooks], tools: [any Tool], handoffs: [Handoff]
  ) async throws -> ModelCall {
    learn(from: error, failed: failed)
    let retry = try await prepareCall(
      agent, configuration: agentConfiguration, model: failed.model, hooks: hooks, tools: tools, handoffs: handoffs)
    let trimmedMore = retry.request.input.count < failed.request.input.count
    guard trimmedMore || retry.request.settings.maxTokens != failed.request.settings.maxTokens else {
      let known = contextLength(agentConfiguration, model: failed.model.name)
      throw AgentsError(
        .contextLengthExceeded,
        known == nil
          ? "The model server says the request does not fit the model's context (\(error.serverMessage ?? error.summary)) "
            + "and did not say how large the context is. Set the agent's contextLength so older history can be "
            + "trimmed, shorten the message, or give the model a larger context."
          : "The model server says the request does not fit the model's context (\(error.serverMessage ?? error.summary)), "
            + "and no older history is left to drop. Shorten the message or the instructions, lower maxTokens, or "
            + "give the model a larger context.",
        underlying: error)
    }
    let overflow = error.contextOverflow
    let retryNote = ContextOverflowRetry(
      serverMessage: error.serverMessage, promptTokens: overflow?.promptTokens, contextLength: overflow?.contextLength,
      trimming: trimmedMore ? lastTrimming : nil)
    overflowRetries.append(retryNote)
    sink(.contextOverflowRetried(retryNote))
    return retry
  }

  /// The first model call, with the input guardrails: sequential ones first, then parallel ones alongside the
  /// call, which is cancelled if one trips.
  mutating func callWithInputGuardrails(
    _ call: ModelCall, agent: Agent, configuration agentConfiguration: Agent.Configuration
  ) async throws -> ModelCall.Outcome {
    let guardrails = startingAgent.inputGuardrails + configuration.inputGuardrails
    let context = runContext
    let input = originalInput
    let guardrailExecution = GuardrailExecution(tracing: runner.tracing)
    inputGuardrailResults = try await guardrailExecution.runInput(
      guardrails.filter { !$0.runInParallel }, agent: agent, context: context, input: input)
    let parallel = guardrails.filter(\.runInParallel)
    if parallel.isEmpty { return try await call.send() }

    enum Finished: Sendable {
      case model(ModelCall.Outcome)
      case guardrails([GuardrailResult])
    }
    let (outcome, results) = try await withThrowingTaskGroup(of: Finished.self) { group in
      group.addTask { .model(try await call.send()) }
      group.addTask {
        .guardrails(try await guardrailExecution.runInput(parallel, agent: agent, context: context, input: input))
      }
      var outcome: ModelCall.Outcome?
      var results: [GuardrailResult] = []
      for try await finished in group {
        switch finished {
        case .model(let value): outcome = value
        case .guardrails(let value): results = value
        }
      }
      return (outcome!, results)
    }
    inputGuardrailResults += results
    return outcome
  }

  /// Acts on a model response: records items, runs tools, follows a handoff, or finishes.
  @inline(never)  // its frame is not needed while the model answers
  private mutating func process(
    _ response: ModelResponse, agent: Agent, configuration agentConfiguration: Agent.Configuration,
    tools: [any Tool], handoffs: [Handoff], hooks: [any RunHooks]
  ) async throws -> AgentOutcome? {
    var plan = try plan(for: response, agentName: agentConfiguration.name, tools: tools, handoffs: handoffs)
    guard let results = try await settleFunctionCalls(&plan, agent: agent, hooks: hooks) else {
      return try pause(agent)
    }
    return try await completeTurn(
      plan, results: results, refusal: response.refusal, agent: agent, configuration: agentConfiguration, hooks: hooks)
  }

  /// Ends a turn whose function tools ran: follows a handoff, finishes with a tool's output or the reply text, or
  /// runs the model again.
  @inline(never)
  mutating func completeTurn(
    _ plan: ResponsePlan, results: [ToolResult], refusal: String?, agent: Agent,
    configuration agentConfiguration: Agent.Configuration, hooks: [any RunHooks]
  ) async throws -> AgentOutcome? {
    // A call the user rejected is answered with their message: that is the user's doing, not a stalled model.
    let rejectedByUser = plan.functionCalls.contains { entry in
      if case .rejected? = approvals.decisions.decision(for: entry.call) { return true }
      return false
    }
    if rejectedByUser, results.isEmpty { stalledTurns = 0 } else { try noteProgress(plan, results: results) }
    if let first = plan.handoffCalls.first {
      return try await performHandoff(
        first, ignoring: plan.handoffCalls.dropFirst().map(\.call), from: agent,
        items: plan.items, hooks: hooks)
    }
    commit(plan.items)
    if let final = try await toolUseDecision(agentConfiguration.toolUseBehavior, results: results) {
      return try await finishFromTool(final, agent: agent, configuration: agentConfiguration)
    }
    if !plan.calls.isEmpty {
      if currentStrategy == .constrained, plan.handoffCalls.isEmpty,
        !plan.functionCalls.isEmpty || !plan.repeatedCallIDs.isEmpty
      {
        pendingCorrection = [.user(ConstrainedSteps.answerWithResults)]
      }
      return nil
    }
    return try await finishWithText(
      plan.text, refusal: refusal, agent: agent, configuration: agentConfiguration, replyItemCount: plan.items.count)
  }

  /// Ends a turn whose response called no tools: its text is the final output, or a corrective turn follows.
  @inline(never)
  private mutating func finishWithText(
    _ text: String, refusal: String?, agent: Agent, configuration agentConfiguration: Agent.Configuration,
    replyItemCount: Int
  ) async throws -> AgentOutcome? {
    let agentName = agentConfiguration.name
    if let refusal, !refusal.isEmpty {
      return try await recover(
        from: AgentsError(.modelBehavior, "The model refused to answer: \(refusal)"), kind: .modelRefusal, agent: agent,
        configuration: agentConfiguration)
    }
    if configuration.recoversTextToolCalls, agentConfiguration.outputType == nil,
      !(agentConfiguration.tools.isEmpty && agentConfiguration.handoffs.isEmpty),
      let name = TextToolCallRecovery.looksLikeACall(text)
    {
      try correctDisguisedCall(to: name, configuration: agentConfiguration, replyItemCount: replyItemCount)
      return nil
    }
    if let reason = notAnAnswer(text, configuration: agentConfiguration) {
      try discardReply(because: reason, configuration: agentConfiguration, replyItemCount: replyItemCount)
      return nil
    }
    switch Self.decodeFinalOutput(text, as: agentConfiguration.outputType) {
    case .success(let final):
      return try await finish(
        agent: agent, configuration: agentConfiguration, output: final.value, text: final.text,
        truncation: lastTruncation)
    case .failure(let failure):
      guard correctionsUsed < configuration.correctiveTurns else {
        let error = AgentsError(
          .modelBehavior,
          "Agent '\(agentName)' must reply with JSON for \(failure.outputType.name), but its reply "
            + "could not be decoded: \(failure.error.reason). Try a larger model or a simpler output type.",
          underlying: failure.error)
        return try await recover(
          from: error, kind: .invalidFinalOutput, agent: agent, configuration: agentConfiguration)
      }
      correctionsUsed += 1
      pendingCorrection = [
        .user(StructuredOutputPrompts.correction(reason: failure.error.reason, for: failure.outputType))
      ]
      return nil
    }
  }

  /// Why a final output did not decode, and into what.
  struct FinalOutputFailure: Error {
    var outputType: OutputType
    var error: OutputDecodingError
  }

  /// `text` as the final output: the text itself for text agents, else decoded into the output type.
  static func decodeFinalOutput(
    _ text: String, as outputType: OutputType?
  ) -> Result<(value: any Sendable, text: String), FinalOutputFailure> {
    guard let outputType else { return .success((text, text)) }
    do {
      let decoded = try outputType.decode(text)
      return .success((decoded.value, decoded.json))
    } catch {
      return .failure(FinalOutputFailure(outputType: outputType, error: error))
    }
  }

  /// The calls with empty or repeated ids given fresh ones, so every output answers exactly one call
  /// (some servers send every call with the same id or none).
  static func withUniqueIDs(_ calls: [ToolCall], turn: Int) -> [ToolCall] {
    var seen = Set<String>()
    return calls.enumerated().map { index, call in
      var call = call
      if call.id.isEmpty || !seen.insert(call.id).inserted {
        call.id = "call_\(turn)_\(index)"
        seen.insert(call.id)
      }
      return call
    }
  }

  /// The final output chosen by the agent's tool-use behaviour, if any.
  @inline(never)
  private func toolUseDecision(_ behavior: ToolUseBehavior, results: [ToolResult]) async throws -> String? {
    guard let first = results.first else { return nil }
    switch behavior {
    case .runLLMAgain: return nil
    case .stopOnFirstTool: return first.output
    case .stopAtTools(let names): return results.first { names.contains($0.call.name) }?.output
    case .custom(let decide): return try await decide(runContext, results).finalOutput
    }
  }

  /// Finishes with a tool's output, decoded into the output type if the agent has one.
  @inline(never)
  private mutating func finishFromTool(
    _ output: String, agent: Agent, configuration agentConfiguration: Agent.Configuration
  ) async throws -> AgentOutcome {
    switch Self.decodeFinalOutput(output, as: agentConfiguration.outputType) {
    case .success(let final):
      return try await finish(agent: agent, configuration: agentConfiguration, output: final.value, text: final.text)
    case .failure(let failure):
      let name = failure.outputType.name
      throw AgentsError(
        .userError,
        "Agent '\(agentConfiguration.name)' stops at a tool's output, but that output does not decode "
          + "into \(name): \(failure.error.reason). Make the tool return JSON for \(name).")
    }
  }

  /// The output for a call to a tool the agent does not have, or the error when configured to throw.
  mutating func unknownToolMessage(_ call: ToolCall, known: [String], agentName: String) throws -> String {
    let available = known.isEmpty ? "none" : known.joined(separator: ", ")
    if configuration.unknownTools == .throwError {
      throw AgentsError(
        .modelBehavior,
        "The model called tool '\(call.name)', but agent '\(agentName)' has no such tool "
          + "(available: \(available)). Small models sometimes invent tool names; try a larger model, or set "
          + "unknownTools to .reportToModel to let the model correct itself.")
    }
    let message = "Tool '\(call.name)' not found. Available tools: \(available). Call one of those, or answer directly."
    runnerTexts.append(message)
    return message
  }

  /// Keeps a model call's response, record and usage in the run's result.
  mutating func record(_ outcome: ModelCall.Outcome) {
    rawResponses.append(outcome.response)
    modelCalls.append(outcome.record)
    usage.add(outcome.record.usage)
  }
}
