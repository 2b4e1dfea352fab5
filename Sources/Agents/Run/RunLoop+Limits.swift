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
}
