/// Self-consistency for small models' final answers (``Agent/Configuration/answerSamples``): a reply that is a
/// final answer is drawn again, the further samples at once (a llama.cpp server with two slots decodes two
/// requests at about the cost of one), and the answer that agrees most with the others is kept (see
/// ``AnswerAgreement``).
extension RunLoop {
  /// The sampling temperature of the further samples when the agent's is unset or 0 (where every sample would
  /// be the same).
  static let answerSampleTemperature = 0.7

  /// Whether this turn's final answer is drawn ``Agent/Configuration/answerSamples`` times: only with
  /// ``ToolCallingStrategy/constrained`` (small models) and for plain-text agents. Such a turn's reply is streamed
  /// silently (``RunEventSink/silent``: a repeating reply is still stopped early); the chosen answer is sent as one
  /// ``RunEvent/textDelta(_:)``.
  func samplesAnswers(_ agentConfiguration: Agent.Configuration) -> Bool {
    agentConfiguration.answerSamples > 1 && currentStrategy == .constrained && agentConfiguration.outputType == nil
  }

  /// The answer to keep from `first` and the further samples of `call`, when `first` is a final answer; `first`
  /// itself otherwise (a tool call, a reply the screening takes back). A further sample that calls a tool, is
  /// empty, or is not an answer (``notAnAnswer(_:configuration:)``) does not take part; one whose request fails
  /// is left out, unless the run was cancelled. Every sample's usage counts; the unchosen ones are recorded here.
  @inline(never)
  mutating func sampleAnswers(
    from first: ModelCall.Outcome, of call: ModelCall, configuration agentConfiguration: Agent.Configuration,
    tools: [any Tool], handoffs: [Handoff], hooks: [any RunHooks]
  ) async throws -> ModelCall.Outcome {
    let offered = Self.offered(
      tools: Dictionary(tools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }), handoffs: handoffs)
    func answer(_ response: ModelResponse) -> String? {
      guard response.toolCalls.isEmpty, response.refusal?.isEmpty ?? true else { return nil }
      let text = ReasoningExtraction.split(response.text ?? "").text
      guard !text.allSatisfy(\.isWhitespace), TextToolCallRecovery.looksLikeACall(text) == nil,
        !configuration.recoversTextToolCalls || TextToolCallRecovery.recover(from: text, offered: offered) == nil,
        notAnAnswer(text, configuration: agentConfiguration) == nil
      else { return nil }
      return text
    }
    guard call.request.outputFormat == .text, answer(first.response) != nil else { return first }
    let count = agentConfiguration.answerSamples
    sink(.samplingAnswers(count: count))
    let further = (1..<count).map { call.sample($0) }
    let drawn = try await withThrowingTaskGroup(of: (Int, ModelCall.Outcome?).self) { group in
      for (index, sample) in further.enumerated() {
        group.addTask {
          do {
            return (index, try await sample.send())
          } catch {
            if Task.isCancelled || error is CancellationError { throw error }
            return (index, nil)  // one failed sample leaves the others
          }
        }
      }
      var outcomes = [ModelCall.Outcome?](repeating: nil, count: further.count)
      for try await (index, outcome) in group { outcomes[index] = outcome }
      return outcomes
    }
    let samples = [first] + drawn.compactMap { $0 }
    for sample in samples.dropFirst() {
      for hook in hooks { await hook.modelCallEnded(call.agent, response: sample.response, context: runContext) }
    }
    let candidates = samples.indices.compactMap { index in answer(samples[index].response).map { (index, $0) } }
    let chosen = AnswerAgreement.mostAgreed(candidates.map(\.1)).map { candidates[$0].0 } ?? 0
    for index in samples.indices where index != chosen { record(samples[index]) }
    return samples[chosen]
  }

  /// Sends the text of a reply that was not streamed because its answer was sampled: as one delta, as a
  /// streamed reply would have arrived.
  func emitSampledReply(_ response: ModelResponse) {
    guard sink.isStreaming else { return }
    let (text, thinking) = ReasoningExtraction.split(response.text ?? "")
    let reasoning = [response.reasoning, thinking].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
    if !reasoning.isEmpty { sink(.reasoningDelta(reasoning)) }
    if !text.isEmpty { sink(.textDelta(text)) }
  }
}

extension ModelCall {
  /// The call for the `index`th further sample of this call's answer: the same request, streamed silently (so a
  /// sample that keeps repeating itself is stopped early, as a streamed answer is), at the
  /// agent's temperature (``RunLoop/answerSampleTemperature`` when it is unset or 0), with the seed moved on by
  /// `index` when one is set (a fixed seed would draw the same answer again).
  func sample(_ index: Int) -> ModelCall {
    var request = request
    if (request.settings.temperature ?? 0) <= 0 {
      request.settings.temperature = RunLoop.answerSampleTemperature
      request.settings.topP = nil
    }
    if let seed = request.settings.seed { request.settings.seed = seed &+ index }
    return ModelCall(
      agent: agent, outputType: outputType, model: model, request: request, hooks: hooks, context: context,
      sink: .silent, strategy: strategy, formatMemory: formatMemory, tracing: tracing, repetition: repetition)
  }
}
