extension Runner.Configuration {
  /// Checks a run's new input against ``maxInputCharacters``: the user messages' characters together.
  ///
  /// The runner calls it before anything else; applications can call it earlier, before their own requests.
  ///
  /// - Throws: ``AgentsError`` with code ``AgentsError/Code/inputTooLarge`` saying the size, the limit and how
  ///   to raise it.
  public func checkInputSize(_ newInput: [Item]) throws(AgentsError) {
    guard let limit = maxInputCharacters else { return }
    let size = newInput.reduce(0) { total, item in
      if case .message(let message) = item, message.role == .user { total + message.content.count } else { total }
    }
    guard size > limit else { return }
    throw AgentsError(
      .inputTooLarge,
      "The input is \(size) characters long, over the limit of \(limit) characters. Shorten it (or send a file's "
        + "relevant part), or raise Runner.Configuration.maxInputCharacters (in the agents CLI: --max-input-chars, "
        + "AGENTS_MAX_INPUT_CHARS or max_input_chars in the configuration file's defaults).")
  }
}

extension RunLoop {
  /// Fails the run before any request when the new input's user messages exceed the configured size.
  func checkInputSize() throws(AgentsError) {
    try configuration.checkInputSize(newInput)
  }

  /// The items of the next request, trimmed to the model's context length; reports a new trimming as an event.
  mutating func fitToContext(
    systemPrompt: String?, items: [Item], tools: [ToolDefinition], settings: ModelSettings,
    agent configuration: Agent.Configuration
  ) throws(AgentsError) -> [Item] {
    try ContextWindow.validate(contextLength: configuration.contextLength, agentName: configuration.name)
    let (kept, trimming) = try ContextWindow.fit(
      systemPrompt: systemPrompt, items: items, tools: tools, contextLength: configuration.contextLength,
      maxTokens: settings.maxTokens)
    guard let trimming else { return kept }
    if trimming.droppedItems != lastTrimming?.droppedItems { sink(.contextTrimmed(trimming)) }
    lastTrimming = trimming
    if trimming.droppedItems > largestTrimming?.droppedItems ?? 0 { largestTrimming = trimming }
    return kept
  }
}
