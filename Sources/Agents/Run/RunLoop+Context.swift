extension RunLoop {
  /// The fewest estimated tokens a request must have for its reported usage to calibrate later estimates.
  static let usageCalibrationMinimum = 200

  /// The context length a request of `configuration`'s agent must fit: the agent's own, or the smaller one a
  /// server named in an overflow error; `nil` sends whole histories.
  func contextLength(_ configuration: Agent.Configuration, model: String) -> Int? {
    [configuration.contextLength, runner.calibration.entry(for: model).contextLength].compactMap { $0 }.min()
  }

  /// The items of the next request, trimmed to the model's context length; reports a new trimming as an event.
  ///
  /// Estimates are scaled by what the runner learned about the model's tokenizer. When the request comes within
  /// half of the context and the model can count tokens on its server (llama.cpp, vLLM), the fitted request is
  /// counted; a count that leaves too little room for the answer recalibrates and trims again (twice at most).
  mutating func fitToContext(
    systemPrompt: String?, items: [Item], tools: [ToolDefinition], settings: ModelSettings,
    agent configuration: Agent.Configuration, model: any Model
  ) async throws(AgentsError) -> [Item] {
    try ContextWindow.validate(contextLength: configuration.contextLength, agentName: configuration.name)
    let contextLength = contextLength(configuration, model: model.name)
    var ratio = runner.calibration.entry(for: model.name).ratio
    var (kept, trimming) = try ContextWindow.fit(
      systemPrompt: systemPrompt, items: items, tools: tools, contextLength: contextLength,
      maxTokens: settings.maxTokens, calibration: ratio)
    if let contextLength {
      let reserve = ContextWindow.answerReserve(maxTokens: settings.maxTokens, contextLength: contextLength)
      for _ in 0..<2 {
        let estimate = ContextWindow.estimatedTokens(systemPrompt: systemPrompt, items: kept, tools: tools)
        guard ContextWindow.calibrated(estimate, ratio) + reserve > contextLength / 2 else { break }
        let request = ModelRequest(
          systemPrompt: systemPrompt, input: kept, tools: tools, settings: settings, agentName: configuration.name)
        guard let counted = await model.promptTokens(for: request) else { break }
        runner.calibration.learn(actual: counted, estimated: estimate, for: model.name, exact: true)
        guard counted + reserve > contextLength else { break }
        // A little over the measured ratio, so the next fit lands inside rather than on the edge.
        ratio = runner.calibration.entry(for: model.name).ratio * 1.05
        (kept, trimming) = try ContextWindow.fit(
          systemPrompt: systemPrompt, items: items, tools: tools, contextLength: contextLength,
          maxTokens: settings.maxTokens, calibration: ratio)
      }
    }
    guard let trimming else { return kept }
    if trimming.droppedItems != lastTrimming?.droppedItems { sink(.contextTrimmed(trimming)) }
    lastTrimming = trimming
    if trimming.droppedItems > largestTrimming?.droppedItems ?? 0 { largestTrimming = trimming }
    return kept
  }

  /// Learns from an overflow error what the failed request really took: the context length, the tokens per
  /// estimated token (a quarter more than before when the server named no size), and, when `max_tokens` alone
  /// left the prompt no room, an answer-token cap.
  mutating func learn(from error: ModelServerError, failed call: ModelCall) {
    let model = call.model.name
    let overflow = error.contextOverflow ?? ContextOverflow()
    if let length = overflow.contextLength { runner.calibration.learn(contextLength: length, for: model) }
    let request = call.request
    let estimate = ContextWindow.estimatedTokens(systemPrompt: request.systemPrompt, items: request.input, tools: request.tools)
    let ratio = runner.calibration.entry(for: model).ratio
    let actual = overflow.promptTokens ?? ContextWindow.calibrated(estimate, ratio * 1.25)
    runner.calibration.learn(actual: max(actual, ContextWindow.calibrated(estimate, ratio)), estimated: estimate,
      for: model, exact: true)
    if overflow.requestedAnswerTokens != nil, let length = overflow.contextLength, let prompt = overflow.promptTokens,
      prompt < length
    {
      answerTokenCap = min(answerTokenCap ?? .max, length - prompt)
    }
  }

  /// Learns from the prompt tokens a response reported (not from cached answers, and not from requests under
  /// ``usageCalibrationMinimum`` estimated tokens, whose count is mostly the chat template's fixed overhead).
  func learnFromUsage(of outcome: ModelCall.Outcome, for call: ModelCall) {
    let reported = outcome.response.usage?.inputTokens ?? 0
    guard reported > 0, !outcome.response.servedFromCache else { return }
    let request = call.request
    let estimate = ContextWindow.estimatedTokens(systemPrompt: request.systemPrompt, items: request.input, tools: request.tools)
    guard estimate >= Self.usageCalibrationMinimum else { return }
    runner.calibration.learn(actual: reported, estimated: estimate, for: call.model.name, exact: false)
  }
}
