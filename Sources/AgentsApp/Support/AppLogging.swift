import Logging

/// Logging for the command line: quiet by default (errors reach the user as one-line messages
/// instead), informative with `--verbose`, as detailed as `AGENTS_LOG_LEVEL` asks; API keys never appear.
public enum AppLogging {
  /// The environment variable that sets the log level (`trace`, `debug`, `info`, `notice`, `warning`,
  /// `error`, `critical`); it wins over `--verbose`.
  public static let levelVariable = "AGENTS_LOG_LEVEL"

  /// Routes swift-log output to standard error through a ``RedactingLogHandler``: errors only, everything from
  /// `info` up when verbose, or the level `AGENTS_LOG_LEVEL` names.
  ///
  /// The API keys in `environment` (`OPENAI_API_KEY`, `OLLAMA_API_KEY`) and in `secrets` (an `--api-key`
  /// value) are removed from every line, along with `Bearer` tokens and `sk-…` keys. Call once, before the
  /// first request; later calls have no effect.
  public static func bootstrap(verbose: Bool, environment: [String: String] = [:], secrets: [String] = []) {
    let level = level(verbose: verbose, environment: environment)
    let keys = secrets + [SettingsResolver.Variable.openAIAPIKey, SettingsResolver.Variable.ollamaAPIKey]
      .compactMap { environment[$0] }
    let literal = keys.map { $0.trimmingWhitespace() }.filter { $0.count >= 4 }
    LoggingSystem.bootstrap { label in
      var handler = RedactingLogHandler(wrapping: StreamLogHandler.standardError(label: label), secrets: literal)
      handler.logLevel = level
      return handler
    }
  }

  /// The level `AGENTS_LOG_LEVEL` names (case-insensitive), else `info` when verbose, else `critical`.
  static func level(verbose: Bool, environment: [String: String]) -> Logger.Level {
    if let named = environment[levelVariable]?.trimmingWhitespace().lowercased(),
      let level = Logger.Level(rawValue: named)
    {
      return level
    }
    return verbose ? .info : .critical
  }
}
