/// The run loop's help for small models: the constrained routing step and required calls of
/// ``ToolCallingStrategy/constrained``, repeated-call bookkeeping and the early stop when a run cannot progress,
/// and the correction of a final answer that is a call in disguise.
extension RunLoop {
  /// Consecutive turns without anything new after which the run stops with ``AgentsError/Code/noProgress``:
  /// the model gets one turn to act on the guidance it was given.
  static let stalledTurnLimit = 2

  /// The tool-calling strategy for `model`; constrained steps are skipped for models whose server turned down
  /// JSON schemas.
  func strategy(for model: any Model) -> ToolCallingStrategy {
    let strategy = configuration.toolCalling.resolved(for: model)
    guard strategy == .constrained else { return strategy }
    return runner.formatMemory.level(for: model.name, strategy: .automatic) == .jsonSchema ? .constrained : .native
  }

  /// Routes a new user request with a constrained classification (see ``ToolCallingStrategy``): hands off when the
  /// model names a handoff target, returns `nil` when it keeps the request (or the step is not possible).
  @inline(never)
  mutating func route(
    _ agent: Agent, configuration agentConfiguration: Agent.Configuration, model: any Model, hooks: [any RunHooks],
    handoffs: [Handoff]
  ) async throws -> AgentOutcome? {
    guard case .message(let message)? = transcript.last, message.role == .user,
      lastRoutedTranscriptCount != transcript.count
    else { return nil }
    lastRoutedTranscriptCount = transcript.count
    let labels = handoffs.map(\.agent.name) + [ConstrainedSteps.ownLabel]
    guard Set(labels).count == labels.count else { return nil }  // names that cannot be told apart
    var settings = try settings(agentConfiguration, agent: agent)
    settings.temperature = 0
    settings.topP = nil
    settings.toolChoice = nil
    settings.maxTokens = 64
    let request = ModelRequest(
      systemPrompt: nil, input: [.user(ConstrainedSteps.routingQuestion(for: message.content))], settings: settings,
      outputFormat: .jsonSchema(name: "route", schema: ConstrainedSteps.routingSchema(labels: labels), strict: true),
      agentName: agentConfiguration.name)
    let call = ModelCall(
      agent: agent, outputType: nil, model: model, request: request, hooks: hooks, context: runContext, sink: .none,
      strategy: .jsonSchema, formatMemory: runner.formatMemory, tracing: runner.tracing)
    let outcome: ModelCall.Outcome
    do {
      if turn == 0, !(startingAgent.inputGuardrails.isEmpty && configuration.inputGuardrails.isEmpty) {
        outcome = try await callWithInputGuardrails(call, agent: agent, configuration: agentConfiguration)
      } else {
        outcome = try await call.send()
      }
    } catch let error as AgentsError where error.code == .responseFormatUnsupported {
      runner.formatMemory.record(.jsonObject, for: model.name)  // no constrained steps for this model any more
      currentStrategy = .native
      return nil
    }
    turn += 1
    record(outcome)
    for hook in hooks { await hook.modelCallEnded(agent, response: outcome.response, context: runContext) }
    guard let label = Self.routingLabel(in: outcome.response.text ?? ""), let index = labels.firstIndex(of: label),
      index < handoffs.count
    else { return nil }
    let handoff = handoffs[index]
    recoveredCallCount += 1
    let handoffCall = ToolCall(id: "call_route_\(recoveredCallCount)", name: handoff.toolName, arguments: "{}")
    return try await performHandoff(
      (handoffCall, handoff), ignoring: [], from: agent,
      items: [RunItem(kind: .handoffCall, item: .toolCall(handoffCall), agentName: agentConfiguration.name)],
      hooks: hooks)
  }

  /// The label a routing reply chose.
  static func routingLabel(in text: String) -> String? {
    guard let value = try? JSONValue.parse(JSONExtraction.extract(from: text)) else { return nil }
    return value["topic"]?.stringValue
  }

  /// Turns a request whose settings require a tool call into one whose reply must be such a call as JSON
  /// (servers often ignore `tool_choice`); returns whether it did.
  func constrainRequiredCall(_ request: inout ModelRequest) -> Bool {
    let required: [ToolDefinition]
    switch request.settings.toolChoice {
    case .required?: required = request.tools
    case .function(let name)?: required = request.tools.filter { $0.name == name }
    default: return false
    }
    guard !required.isEmpty else { return false }
    request.outputFormat = .jsonSchema(
      name: ConstrainedSteps.restatedCallName, schema: ConstrainedSteps.callSchema(for: required, restating: true),
      strict: true)
    request.settings.toolChoice = nil
    request.settings.temperature = 0
    request.settings.topP = nil
    return true
  }

  /// A required call (decoded with the restated request first, see ``ConstrainedSteps/callSchema(for:restating:)``)
  /// that is not a whole call (cut at the token limit, not JSON), or whose arguments leave out numbers of the
  /// user's message, is asked once more without the restatement, and that answer is used: a small model sometimes
  /// restates a calculation and then passes only its first part, or runs away inside the JSON. A call that is
  /// still not whole ends the run: the JSON asked for is no answer to show.
  ///
  /// A call copied from an example of the instructions (``ConstrainedSteps/copiesAnExample(_:instructions:request:)``)
  /// never runs: for a message without numbers it is dropped and the message answered without tools; for one with
  /// numbers it is asked once more without the restatement and without the instructions' sentences that hold
  /// examples, and when that call is a copy too (or not whole), it is dropped in the same way.
  @inline(never)
  mutating func coverRequest(with outcome: ModelCall.Outcome, of call: ModelCall) async throws -> ModelCall.Outcome {
    guard case .jsonSchema(let name, let schema, _) = call.request.outputFormat,
      name == ConstrainedSteps.restatedCallName,
      let message = transcript.last(where: { if case .message(let m) = $0 { m.role == .user } else { false } }),
      case .message(let request) = message
    else { return outcome }
    /// Whether a whole call copies an example (only a whole call can).
    func copies(_ outcome: ModelCall.Outcome, whole: Bool) -> Bool {
      whole
        && ConstrainedSteps.copiesAnExample(
          outcome.response.text ?? "", instructions: call.request.systemPrompt, request: request.content)
    }
    let whole = ConstrainedSteps.isWholeCall(outcome.response)
    let copied = copies(outcome, whole: whole)
    if copied, ConstrainedSteps.numbers(in: request.content).isEmpty {
      return try await answerWithoutTheMadeUpCall(outcome, of: call)
    }
    guard
      !whole || copied || !ConstrainedSteps.numbersLeftOut(of: request.content, by: outcome.response.text ?? "").isEmpty
    else { return outcome }
    var retry = call.request
    let shapes = schema.value["anyOf"]?.arrayValue ?? [schema.value]
    let names = Set(shapes.compactMap { $0["properties"]?["name"]?["enum"]?.arrayValue?.first?.stringValue })
    let required = call.request.tools.filter { names.contains($0.name) }
    retry.outputFormat = .jsonSchema(
      name: "tool_call_plain", schema: ConstrainedSteps.callSchema(for: required, restating: false), strict: true)
    if copied { retry.systemPrompt = retry.systemPrompt.map(ConstrainedSteps.withoutExamples) }
    let second = try await ModelCall(
      agent: call.agent, outputType: nil, model: call.model, request: retry, hooks: call.hooks, context: call.context,
      sink: .none, strategy: .jsonSchema, formatMemory: runner.formatMemory, tracing: runner.tracing
    ).send()
    let secondWhole = ConstrainedSteps.isWholeCall(second.response)
    let secondCopied = copies(second, whole: secondWhole)
    // The caller records the outcome it is given; the other one is recorded here.
    if whole, !copied, !secondWhole || secondCopied {
      record(second)
      return outcome
    }
    record(outcome)
    if secondCopied || (copied && !secondWhole) { return try await answerWithoutTheMadeUpCall(second, of: call) }
    guard secondWhole else {
      // The code-running step only helps the answer: without its call, the question is answered as before.
      if let tool = configuration.codeRunningTool, names == [tool.name] {
        return try await answerWithoutTheMadeUpCall(second, of: call)
      }
      record(second)
      let why =
        second.response.truncation(maxTokens: retry.settings.maxTokens).map { "its reply was cut: \($0.description)" }
        ?? "its reply was not the JSON asked for"
      throw AgentsError(
        .modelBehavior,
        "Agent '\(call.agent.name)' had to call \(names.sorted().joined(separator: " or ")) and its model did not "
          + "write the call, also when asked a second time (\(why)). Small models do this; rephrase the request "
          + "or use a larger model.")
    }
    return second
  }

  /// A required call copied from an example of the instructions
  /// (``ConstrainedSteps/copiesAnExample(_:instructions:request:)``) is not the user's call: it is dropped (recorded,
  /// not run) and the message is answered without tools, streamed like any answer.
  private mutating func answerWithoutTheMadeUpCall(
    _ outcome: ModelCall.Outcome, of call: ModelCall
  ) async throws -> ModelCall.Outcome {
    record(outcome)
    var plain = call.request
    plain.outputFormat = .text
    plain.tools = []
    plain.settings.toolChoice = nil
    return try await ModelCall(
      agent: call.agent, outputType: nil, model: call.model, request: plain, hooks: call.hooks, context: call.context,
      sink: sink, strategy: configuration.structuredOutput, formatMemory: runner.formatMemory,
      tracing: runner.tracing, repetition: configuration.repetitionDetection
    ).send()
  }

  /// Remembers the calls that ran and stops the run when turns keep bringing nothing new.
  mutating func noteProgress(_ plan: ResponsePlan, results: [ToolResult]) throws {
    for result in results {
      callHistory[CallSignature(result.call)] = PastCall(output: result.output, failed: result.failed)
    }
    guard !plan.calls.isEmpty, plan.handoffCalls.isEmpty else { return }
    guard results.isEmpty else {
      stalledTurns = 0
      return
    }
    stalledTurns += 1
    guard stalledTurns >= Self.stalledTurnLimit else { return }
    let names = Set(plan.calls.map(\.name)).sorted().joined(separator: ", ")
    throw AgentsError(
      .noProgress,
      "The run stopped early: the model kept repeating the same call (\(names)) for "
        + "\(stalledTurns) turns after being told what to do instead, so more turns would not help. Try rephrasing "
        + "the request, or use a larger model. The error's partialRun holds what the run produced.",
      partialRun: partialRun)
  }

  /// Answers a final reply that is a call to something the agent cannot call: one corrective turn, then an error.
  ///
  /// With the constrained strategy, an agent without handoffs that has not called a tool yet in this run is
  /// asked again with the reply taken back and no tools offered: a small model given tool definitions writes
  /// `{"name": "print", …}` for a question about code, and a correction that names the tools only makes it
  /// repeat the correction's wording (measured on Qwen2.5-Coder-0.5B), while the same question without tools gets
  /// a plain answer. Otherwise the model is told what it can call.
  mutating func correctDisguisedCall(
    to name: String, configuration agentConfiguration: Agent.Configuration, replyItemCount: Int
  ) throws {
    let available =
      (agentConfiguration.tools.map(\.name) + agentConfiguration.handoffs.filter(\.isEnabled).map(\.toolName))
    guard correctionsUsed < configuration.correctiveTurns else {
      throw AgentsError(
        .modelBehavior,
        "Agent '\(agentConfiguration.name)' answered with a call to '\(name)' instead of an answer, "
          + "and '\(name)' is not one of its tools or handoffs (\(available.isEmpty ? "none" : available.joined(separator: ", "))). "
          + "Small models do this; rephrase the request or use a larger model.")
    }
    correctionsUsed += 1
    if asksAgainWithoutTools(agentConfiguration) {
      retract(replyItemCount)
      withholdsTools = true
      sink(.replyDiscarded(reason: NotAnAnswer.embeddedCall(name).words))
      return
    }
    let correction =
      "'\(name)' is not something you can call"
      + (available.isEmpty ? "." : " (you can call: \(available.joined(separator: ", "))).")
      + " Answer my question in plain words."
    runnerTexts.append(correction)
    pendingCorrection = [.user(correction)]
  }
}
