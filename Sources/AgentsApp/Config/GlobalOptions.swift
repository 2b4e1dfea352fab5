/// The settings given on the command line, as text by setting key (``Setting/key``); a flag is `1` or `0`.
///
/// The command line fills it from ``Setting/all`` (every setting with an ``Setting/option``), so a new setting needs
/// no change here; ``SettingsResolver`` parses and checks the text.
public struct GlobalOptions: Sendable, Hashable {
  /// The text of each option given, by setting key.
  public var values: [String: String]

  /// Creates options from text by setting key.
  public init(values: [String: String]) { self.values = values }

  /// Creates options from typed values (tests and embedding applications).
  public init(
    baseURL: String? = nil, apiKey: String? = nil, provider: String? = nil, model: String? = nil,
    timeout: Double? = nil, configPath: String? = nil, verbose: Bool = false, responseCache: Bool? = nil,
    maxInputCharacters: Int? = nil, maxConcurrentRequests: Int? = nil, contextLength: Int? = nil
  ) {
    var values: [String: String] = [:]
    values[Setting.baseURL.key] = baseURL
    values[Setting.apiKey.key] = apiKey
    values[Setting.provider.key] = provider
    values[Setting.model.key] = model
    values[Setting.timeout.key] = timeout.map { String($0) }
    values[Setting.config.key] = configPath
    values[Setting.verbose.key] = verbose ? "1" : nil
    values[Setting.responseCache.key] = responseCache.map { $0 ? "1" : "0" }
    values[Setting.maxInputCharacters.key] = maxInputCharacters.map { String($0) }
    values[Setting.maxConcurrentRequests.key] = maxConcurrentRequests.map { String($0) }
    values[Setting.contextLength.key] = contextLength.map { String($0) }
    self.values = values
  }

  /// The text given for `setting`, if any.
  public subscript(_ setting: Setting) -> String? {
    get { values[setting.key] }
    set { values[setting.key] = newValue }
  }

  /// Records `text` for `setting`: it replaces an earlier value, except for a ``Setting/Kind/keyValues`` setting,
  /// whose values add up (joined by ``Setting/repeatSeparator``).
  public mutating func add(_ text: String, for setting: Setting) {
    if setting.kind == .keyValues, let earlier = self[setting] {
      self[setting] = earlier + Setting.repeatSeparator + text
    } else {
      self[setting] = text
    }
  }

  /// `--verbose`.
  public var verbose: Bool { self[.verbose].flatMap(Setting.flagValue) ?? false }
  /// `--api-key KEY`.
  public var apiKey: String? { self[.apiKey] }
  /// `--config FILE`.
  public var configPath: String? { self[.config] }
}
