extension ModelSettings {
  /// The allowed `temperature` values.
  public static let temperatureRange: ClosedRange<Double> = 0...2
  /// The allowed `topP` values.
  public static let topPRange: ClosedRange<Double> = 0...1
  /// The allowed `frequencyPenalty` and `presencePenalty` values.
  public static let penaltyRange: ClosedRange<Double> = -2...2
  /// The allowed `maxTokens` values.
  public static let maxTokensRange: ClosedRange<Int> = 1...1_000_000
  /// The allowed `seed` values: what llama.cpp (under Ollama and llama-server) accepts, a 32-bit unsigned number.
  public static let seedRange: ClosedRange<Int> = 0...4_294_967_295
  /// The most stop sequences a request may carry.
  public static let maxStopSequences = 16

  /// Checks every set field against its allowed range.
  ///
  /// - Throws: ``AgentsError`` with code ``AgentsError/Code/userError`` naming the setting, its value and the
  ///   allowed range.
  public func validate() throws(AgentsError) {
    try Self.check("temperature", temperature, in: Self.temperatureRange)
    try Self.check("topP", topP, in: Self.topPRange)
    try Self.check("frequencyPenalty", frequencyPenalty, in: Self.penaltyRange)
    try Self.check("presencePenalty", presencePenalty, in: Self.penaltyRange)
    try Self.check("maxTokens", maxTokens, in: Self.maxTokensRange)
    try Self.check("seed", seed, in: Self.seedRange)
    if let stop {
      if stop.count > Self.maxStopSequences {
        throw AgentsError(
          .userError, "Model setting stop has \(stop.count) sequences, but at most \(Self.maxStopSequences) are "
            + "allowed. Keep the stop sequences that matter.")
      }
      if let index = stop.firstIndex(where: \.isEmpty) {
        throw AgentsError(
          .userError, "Model setting stop has an empty sequence at position \(index + 1); an empty sequence would "
            + "stop generation at once. Remove it.")
      }
    }
    if let reasoningEffort, reasoningEffort.rawValue.isEmpty {
      throw AgentsError(
        .userError, "Model setting reasoningEffort is empty. Use none, minimal, low, medium or high, or nil to use "
          + "the server's default.")
    }
    if case .function(let name) = toolChoice, name.isEmpty {
      throw AgentsError(
        .userError, "Model setting toolChoice names an empty tool. Pass the name of one of the agent's tools.")
    }
  }

  private static func check(_ name: String, _ value: Double?, in range: ClosedRange<Double>) throws(AgentsError) {
    guard let value, !range.contains(value) else { return }
    throw outOfRange(name, "\(value)", range.lowerBound, range.upperBound)
  }

  private static func check(_ name: String, _ value: Int?, in range: ClosedRange<Int>) throws(AgentsError) {
    guard let value, !range.contains(value) else { return }
    throw outOfRange(name, "\(value)", range.lowerBound, range.upperBound)
  }

  private static func outOfRange(_ name: String, _ value: String, _ lower: some Sendable, _ upper: some Sendable)
    -> AgentsError
  {
    AgentsError(
      .userError, "Model setting \(name) is \(value), but it must be between \(lower) and \(upper). Pass a value in "
        + "that range, or nil to use the server's default.")
  }
}
