/// What `--system`, `--temperature` and `-o key=value` change in every agent of one `agents ask` or `agents chat`.
///
/// ```swift
/// let overrides = try AgentOverrides(system: "Answer in French.", temperature: 0.2, options: ["top_k=40"])
/// var factory = AgentFactory(settings: settings)
/// factory.overrides = overrides
/// ```
public struct AgentOverrides: Sendable, Hashable {
  /// Replaces every agent's instructions (`--system`).
  public var instructions: String?
  /// Model settings to set, by their request name (`temperature`, `top_p`, `top_k`, …), in the order given.
  public var settings: JSONObject

  /// No overrides.
  public init() {
    instructions = nil
    settings = JSONObject()
  }

  /// Overrides from the command line.
  ///
  /// - Parameters:
  ///   - system: The instructions every agent gets instead of its own.
  ///   - temperature: The sampling temperature (0–2).
  ///   - options: `key=value` pairs; the value is read as JSON when it is JSON (`40`, `true`, `["a","b"]`), else as
  ///     text. Known keys are range-checked; others are passed to the server as they are (`top_k`, `repeat_penalty`).
  /// - Throws: ``AppError`` `usage` naming the option and what it accepts.
  public init(system: String? = nil, temperature: Double? = nil, options: [String] = []) throws(AppError) {
    self.init()
    if let system {
      let trimmed = system.trimmingWhitespace()
      guard !trimmed.isEmpty else {
        throw AppError(
          .usage, "--system is empty", fix: "give the instructions, e.g. --system 'Answer in one sentence.'")
      }
      instructions = trimmed
    }
    for option in options {
      guard let equals = option.firstIndex(of: "="), equals != option.startIndex else {
        throw AppError(.usage, "-o takes key=value, not '\(option)'", fix: "e.g. -o top_k=40 or -o seed=7")
      }
      let key = String(option[..<equals]).trimmingWhitespace()
      let text = String(option[option.index(after: equals)...]).trimmingWhitespace()
      let value = (try? JSONValue.parse(text)) ?? .string(text)
      try Self.check(key, value)
      settings[key] = value
    }
    if let temperature {
      try Self.check("temperature", .double(temperature), option: "--temperature")
      settings["temperature"] = .double(temperature)
    }
  }

  /// The overrides the resolved settings give: ``Setting/system``, ``Setting/temperature`` and
  /// ``Setting/modelOptions`` (from options, environment or file alike).
  ///
  /// - Throws: ``AppError`` `usage` naming the model setting and what it accepts.
  public init(_ values: SettingValues) throws(AppError) {
    try self.init(
      system: values.text(.system), temperature: values.number(.temperature), options: values.pairs(.modelOptions))
  }

  /// Whether nothing is overridden.
  public var isEmpty: Bool { instructions == nil && settings.isEmpty }

  /// Applies the settings to an agent's model settings: known keys to their fields, the rest to the request body.
  public func apply(to modelSettings: inout ModelSettings, contextLength: inout Int?) {
    for (key, value) in settings {
      switch key {
      case "temperature": modelSettings.temperature = value.doubleValue
      case "top_p": modelSettings.topP = value.doubleValue
      case "max_tokens": modelSettings.maxTokens = value.intValue
      case "seed": modelSettings.seed = value.intValue
      case "frequency_penalty": modelSettings.frequencyPenalty = value.doubleValue
      case "presence_penalty": modelSettings.presencePenalty = value.doubleValue
      case "stop": modelSettings.stop = value.stringValue.map { [$0] } ?? value.arrayValue?.compactMap(\.stringValue)
      case "context_length", "num_ctx": contextLength = value.intValue
      default:
        var body = modelSettings.extraBody ?? JSONObject()
        body[key] = value
        modelSettings.extraBody = body
      }
    }
  }

  /// Checks a known setting's type and range; unknown keys are the server's to judge.
  private static func check(_ key: String, _ value: JSONValue, option: String? = nil) throws(AppError) {
    let name = option ?? "-o \(key)"
    func number(in range: ClosedRange<Double>) throws(AppError) {
      guard let number = value.doubleValue, range.contains(number) else {
        throw AppError(
          .usage, "\(name) must be a number from \(range.lowerBound.formatted) to \(range.upperBound.formatted)",
          fix: "e.g. \(option.map { "\($0) " } ?? "-o \(key)=")\(range.upperBound > 1 ? "0.7" : "0.9")")
      }
    }
    func whole(in range: ClosedRange<Int>) throws(AppError) {
      guard let number = value.intValue, range.contains(number) else {
        throw AppError(
          .usage, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)",
          fix: "e.g. -o \(key)=\(min(range.upperBound, 512))")
      }
    }
    switch key {
    case "temperature": try number(in: ModelSettings.temperatureRange)
    case "top_p": try number(in: ModelSettings.topPRange)
    case "frequency_penalty", "presence_penalty": try number(in: ModelSettings.penaltyRange)
    case "max_tokens": try whole(in: ModelSettings.maxTokensRange)
    case "seed": try whole(in: ModelSettings.seedRange)
    case "context_length", "num_ctx": try whole(in: 1...10_000_000)
    case "stop":
      guard
        value.stringValue?.isEmpty == false
          || value.arrayValue?.allSatisfy({ $0.stringValue?.isEmpty == false }) == true
      else {
        throw AppError(
          .usage, "-o stop must be text or a list of texts", fix: "e.g. -o stop=END or -o 'stop=[\"END\",\"---\"]'")
      }
    case "model", "messages", "tools", "stream":
      throw AppError(
        .usage, "-o \(key) cannot be set: the agent decides it", fix: key == "model" ? "use --model" : "leave it out")
    default:
      return
    }
  }
}

extension Double {
  /// `2` rather than `2.0`.
  fileprivate var formatted: String {
    self == rounded() ? String(Int(self)) : String(self)
  }
}
