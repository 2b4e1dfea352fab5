import Tracing

extension RunLoop {
  /// One turn: prepare and send a model call, then act on the response. Returns `nil` to run the model again.
  mutating func runTurn(_ agent: Agent) async throws -> AgentOutcome? {
    let agentConfiguration = agent.configuration
    if let maxTurns, turn >= maxTurns { throw maxTurnsExceeded(maxTurns) }
    let context = runContext
    let hooks = hooks(for: agent, configuration: agentConfiguration)
    let tools = await enabledTools(agentConfiguration, agent: agent, context: context)
    let handoffs = agentConfiguration.handoffs.filter(\.isEnabled)
    let systemPrompt = try await agentConfiguration.instructions?.resolve(context: context, agent: agent)
    let toolDefinitions = try definitions(tools, handoffs, agent: agentConfiguration.name)
    let settings = try settings(agentConfiguration, agent: agent)
    let input = try fitToContext(
      systemPrompt: systemPrompt, items: pendingCorrection.isEmpty ? transcript : transcript + pendingCorrection,
      tools: toolDefinitions, settings: settings, agent: agentConfiguration)
    let call = ModelCall(
      agent: agent, outputType: agentConfiguration.outputType, model: try resolveModel(agentConfiguration),
      request: ModelRequest(
        systemPrompt: systemPrompt, input: input, tools: toolDefinitions, settings: settings,
        agentName: agentConfiguration.name),
      hooks: hooks, context: context, sink: sink, strategy: configuration.structuredOutput,
      formatMemory: runner.formatMemory, tracing: runner.tracing)

    let outcome: ModelCall.Outcome
    if turn == 0 {
      outcome = try await callWithInputGuardrails(call, agent: agent, configuration: agentConfiguration)
    } else {
      outcome = try await call.send()
    }
    turn += 1
    pendingCorrection = []
    rawResponses.append(outcome.response)
    modelCalls.append(outcome.record)
    usage.add(outcome.record.usage)
    for hook in hooks { await hook.modelCallEnded(agent, response: outcome.response, context: runContext) }
    return try await process(
      outcome.response, agent: agent, configuration: agentConfiguration, tools: tools, handoffs: handoffs,
      hooks: hooks)
  }

  /// The first model call, with the input guardrails: sequential ones first, then parallel ones alongside the
  /// call, which is cancelled if one trips.
  private mutating func callWithInputGuardrails(
    _ call: ModelCall, agent: Agent, configuration agentConfiguration: Agent.Configuration
  ) async throws -> ModelCall.Outcome {
    let guardrails = startingAgent.inputGuardrails + configuration.inputGuardrails
    if guardrails.isEmpty { return try await call.send() }
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
  private mutating func process(
    _ response: ModelResponse, agent: Agent, configuration agentConfiguration: Agent.Configuration,
    tools: [any Tool], handoffs: [Handoff], hooks: [any RunHooks]
  ) async throws -> AgentOutcome? {
    let agentName = agentConfiguration.name
    var (text, thinking) = ReasoningExtraction.split(response.text ?? "")
    let reasoning = [response.reasoning, thinking].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
    let toolsByName = Dictionary(tools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    let handoffsByName = Dictionary(handoffs.map { ($0.toolName, $0) }, uniquingKeysWith: { first, _ in first })

    var calls = response.toolCalls
    if calls.isEmpty, configuration.recoversTextToolCalls, !text.isEmpty,
      let recovered = TextToolCallRecovery.recover(
        from: text, knownNames: Set(toolsByName.keys).union(handoffsByName.keys))
    {
      calls = recovered.map { found in
        recoveredCallCount += 1
        return ToolCall(id: "call_text_\(recoveredCallCount)", name: found.name, arguments: found.arguments)
      }
      text = ""
    }

    calls = Self.withUniqueIDs(calls, turn: turn)

    var items: [RunItem] = []
    if !reasoning.isEmpty { items.append(RunItem(kind: .reasoning, item: .reasoning(reasoning), agentName: agentName)) }
    if !text.isEmpty {
      items.append(RunItem(kind: .message, item: .assistant(text), agentName: agentName))
      sink(.messageDone(text))
    }

    var functionCalls: [(call: ToolCall, tool: any Tool)] = []
    var handoffCalls: [(call: ToolCall, handoff: Handoff)] = []
    var outputs: [String: String] = [:]
    for call in calls {
      if let handoff = handoffsByName[call.name] {
        handoffCalls.append((call, handoff))
        items.append(RunItem(kind: .handoffCall, item: .toolCall(call), agentName: agentName))
      } else if let tool = toolsByName[call.name] {
        functionCalls.append((call, tool))
        items.append(RunItem(kind: .toolCall, item: .toolCall(call), agentName: agentName))
        sink(.toolCalled(call))
      } else {
        items.append(RunItem(kind: .toolCall, item: .toolCall(call), agentName: agentName))
        outputs[call.id] = try unknownToolMessage(call, known: toolsByName.keys.sorted() + handoffsByName.keys.sorted(),
          agentName: agentName)
      }
    }

    let context = runContext
    let results = try await ToolExecution(agent: agent, context: context, runner: runner, hooks: hooks, sink: sink)
      .run(functionCalls)
    for result in results { outputs[result.call.id] = result.output }
    if !results.isEmpty { toolUsers.insert(ObjectIdentifier(agent)) }
    for call in calls where handoffsByName[call.name] == nil {
      items.append(
        RunItem(kind: .toolOutput, item: .toolOutput(ToolCallOutput(callID: call.id, output: outputs[call.id] ?? "")),
          agentName: agentName))
    }

    if let first = handoffCalls.first {
      return try await performHandoff(first, ignoring: handoffCalls.dropFirst().map(\.call), from: agent,
        items: items, hooks: hooks)
    }
    commit(items)
    if let final = try await toolUseDecision(agentConfiguration.toolUseBehavior, results: results) {
      return try await finishFromTool(final, agent: agent, configuration: agentConfiguration)
    }
    if !calls.isEmpty { return nil }
    if let refusal = response.refusal, !refusal.isEmpty {
      throw AgentsError(.modelBehavior, "The model refused to answer: \(refusal)")
    }
    switch Self.decodeFinalOutput(text, as: agentConfiguration.outputType) {
    case .success(let final):
      return try await finish(agent: agent, configuration: agentConfiguration, output: final.value, text: final.text)
    case .failure(let failure):
      guard correctionsUsed < configuration.correctiveTurns else {
        throw AgentsError(
          .modelBehavior, "Agent '\(agentName)' must reply with JSON for \(failure.outputType.name), but its reply "
            + "could not be decoded: \(failure.error.reason). Try a larger model or a simpler output type.",
          underlying: failure.error)
      }
      correctionsUsed += 1
      pendingCorrection = [.user(StructuredOutputPrompts.correction(reason: failure.error.reason, for: failure.outputType))]
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

  /// Runs the first handoff of a response and switches agents.
  private mutating func performHandoff(
    _ chosen: (call: ToolCall, handoff: Handoff), ignoring extra: [ToolCall], from source: Agent, items: [RunItem],
    hooks: [any RunHooks]
  ) async throws -> AgentOutcome? {
    var items = items
    let target = chosen.handoff.agent
    let sourceName = source.name
    for call in extra {
      items.append(RunItem(kind: .handoffOutput,
        item: .toolOutput(ToolCallOutput(callID: call.id, output: "Multiple handoffs detected, ignoring this one.")),
        agentName: sourceName))
    }
    do {
      try await chosen.handoff.onHandoff?(runContext, chosen.call.arguments)
    } catch let error as ToolArgumentsError {
      if configuration.toolFailures == .throwError {
        throw AgentsError(.modelBehavior, "The model called handoff '\(chosen.call.name)' with unusable arguments: "
          + "\(error.reason).", underlying: error)
      }
      items.append(RunItem(kind: .handoffOutput, item: .toolOutput(ToolCallOutput(callID: chosen.call.id,
        output: "The handoff did not happen: \(error.reason). Call it again with valid arguments.")),
        agentName: sourceName))
      commit(items)
      return nil
    }
    items.append(RunItem(kind: .handoffOutput,
      item: .toolOutput(ToolCallOutput(callID: chosen.call.id, output: Handoff.transferMessage(to: target))),
      agentName: sourceName))
    commit(items)
    let context = runContext
    let targetHooks = target.configuration.hooks
    try await runner.tracing.span("agents.handoff") { span in
      span.attributes["agents.handoff.from"] = sourceName
      span.attributes["agents.handoff.to"] = target.name
      await runHooks?.handoff(from: source, to: target, context: context)
      await targetHooks?.handoff(from: source, to: target, context: context)
      if let filter = chosen.handoff.inputFilter ?? configuration.handoffInputFilter {
        try await applyHandoffFilter(filter, turnItemCount: items.count)
      }
    }
    sink(.handoff(from: source, to: target))
    sink(.agentChanged(target))
    return .handoff(target)
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
  private mutating func finishFromTool(
    _ output: String, agent: Agent, configuration agentConfiguration: Agent.Configuration
  ) async throws -> AgentOutcome {
    switch Self.decodeFinalOutput(output, as: agentConfiguration.outputType) {
    case .success(let final):
      return try await finish(agent: agent, configuration: agentConfiguration, output: final.value, text: final.text)
    case .failure(let failure):
      let name = failure.outputType.name
      throw AgentsError(
        .userError, "Agent '\(agentConfiguration.name)' stops at a tool's output, but that output does not decode "
          + "into \(name): \(failure.error.reason). Make the tool return JSON for \(name).")
    }
  }

  /// The output for a call to a tool the agent does not have, or the error when configured to throw.
  private func unknownToolMessage(_ call: ToolCall, known: [String], agentName: String) throws -> String {
    let available = known.isEmpty ? "none" : known.joined(separator: ", ")
    if configuration.unknownTools == .throwError {
      throw AgentsError(
        .modelBehavior, "The model called tool '\(call.name)', but agent '\(agentName)' has no such tool "
          + "(available: \(available)). Small models sometimes invent tool names; try a larger model, or set "
          + "unknownTools to .reportToModel to let the model correct itself.")
    }
    return "Tool '\(call.name)' not found. Available tools: \(available). Call one of those, or answer directly."
  }
}
