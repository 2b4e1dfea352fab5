extension SettingsResolver {
  /// The resolved input, concurrency and context limits.
  struct Limits {
    var maxInputCharacters: Int
    var maxConcurrentRequests: Int
    var contextLength: Int?
  }

  /// One whole-number setting: its option, environment variable and file key, the range it must be in, and
  /// what a good value looks like for messages.
  private struct Knob {
    var key: String
    var option: String
    var variable: String
    var range: ClosedRange<Int>
    var example: String
  }

  /// Resolves the limits with the precedence option > environment > configuration file > default.
  static func resolveLimits(
    options: GlobalOptions, environment: [String: String], defaults: AgentsConfigFile.Defaults,
    sources: inout [String: ServerSettings.Source]
  ) throws(AppError) -> Limits {
    let input = Knob(
      key: "max_input_chars", option: "--max-input-chars", variable: Variable.maxInputCharacters,
      range: 1...100_000_000, example: "200000")
    let concurrency = Knob(
      key: "max_concurrent_requests", option: "--max-concurrent-requests", variable: Variable.maxConcurrentRequests,
      range: 0...1024, example: "4 (0 for no limit)")
    let context = Knob(
      key: "context_length", option: "--context-length", variable: Variable.contextLength,
      range: ContextWindow.contextLengthRange, example: "8192")
    return Limits(
      maxInputCharacters: try resolve(
        input, option: options.maxInputCharacters, environment: environment, file: defaults.maxInputCharacters,
        sources: &sources) ?? Runner.defaultMaxInputCharacters,
      maxConcurrentRequests: try resolve(
        concurrency, option: options.maxConcurrentRequests, environment: environment,
        file: defaults.maxConcurrentRequests, sources: &sources) ?? OllamaConfig.defaultMaxConcurrentRequestsPerServer,
      contextLength: try resolve(
        context, option: options.contextLength, environment: environment, file: defaults.contextLength,
        sources: &sources))
  }

  private static func resolve(
    _ knob: Knob, option: Int?, environment: [String: String], file: Int?,
    sources: inout [String: ServerSettings.Source]
  ) throws(AppError) -> Int? {
    let bounds = "between \(knob.range.lowerBound) and \(knob.range.upperBound)"
    if let option {
      guard knob.range.contains(option) else {
        throw AppError(.usage, "invalid value \(option) for \(knob.option); it must be \(bounds)", fix: "pass e.g. \(knob.option) \(knob.example)")
      }
      sources[knob.key] = .option
      return option
    }
    if let text = environment[knob.variable] {
      guard let value = Int(text), knob.range.contains(value) else {
        throw AppError(
          .invalidInput, "\(knob.variable) is '\(text)'; it must be a whole number \(bounds)",
          fix: "set it to e.g. \(knob.example), or unset it")
      }
      sources[knob.key] = .environment
      return value
    }
    sources[knob.key] = file == nil ? .defaultValue : .configFile
    return file
  }
}
