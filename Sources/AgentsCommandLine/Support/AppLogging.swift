import Logging
import Synchronization

/// Logging for the command line: quiet by default (errors reach the user as one-line messages
/// instead), informative with `--verbose`, as detailed as asked with `AGENTS_LOG_LEVEL`; secrets are removed
/// from every line.
package enum AppLogging {
  /// The environment variable that sets the log level (`trace`, `debug`, `info`, `notice`, `warning`, `error`,
  /// `critical`); it wins over `--verbose`.
  package static let levelVariable = Setting.logLevel.variables[0]

  /// The level for these options: `AGENTS_LOG_LEVEL` when valid, else `info` when verbose, else `critical`.
  package static func level(verbose: Bool, environment: [String: String]) -> Logger.Level {
    if let text = environment[levelVariable]?.trimmingWhitespace().lowercased(), let level = Logger.Level(rawValue: text) {
      return level
    }
    return verbose ? .info : .critical
  }

  /// The API keys the process may use (from the options and the environment), for redaction.
  package static func secrets(options: GlobalOptions, environment: [String: String]) -> [String] {
    let candidates = [options.apiKey] + Setting.apiKey.variables.map { environment[$0] }
    return candidates.compactMap { $0?.trimmingWhitespace() }.filter { $0.count >= 4 && $0 != "ollama" }
  }

  /// Routes swift-log output to standard error through a ``RedactingLogHandler`` at ``level(verbose:environment:)``,
  /// which also removes terminal control sequences (``TerminalSanitizer``) from every message and value.
  ///
  /// Call once, before the first request; later calls have no effect.
  package static func bootstrap(options: GlobalOptions, environment: [String: String]) {
    let level = level(verbose: options.verbose, environment: environment)
    let secrets = secrets(options: options, environment: environment)
    LoggingSystem.bootstrap { label in
      var handler = RedactingLogHandler(
        wrapping: HoldingLogHandler(StreamLogHandler.standardError(label: label)), secrets: secrets
      ) {
        TerminalSanitizer.sanitize($0)
      }
      handler.logLevel = level
      return handler
    }
  }
}

/// Holds log lines back while an answer streams to a terminal, where they would land in the middle of it (`--verbose`),
/// and writes them when the answer is complete.
package enum LogHold {
  private static let state = Mutex<(holding: Bool, held: [@Sendable () -> Void])>((false, []))

  /// Starts holding log lines.
  package static func begin() {
    state.withLock { $0.holding = true }
  }

  /// Writes the held lines, in order, and stops holding.
  package static func end() {
    let held = state.withLock { state in
      defer { state = (false, []) }
      return state.held
    }
    for write in held { write() }
  }

  /// Runs `write` now, or later when lines are held.
  static func submit(_ write: @escaping @Sendable () -> Void) {
    let now = state.withLock { state in
      if state.holding { state.held.append(write) }
      return !state.holding
    }
    if now { write() }
  }
}

/// Passes log events to `inner` through ``LogHold``.
struct HoldingLogHandler: LogHandler {
  private var inner: any LogHandler

  init(_ inner: any LogHandler) { self.inner = inner }

  var logLevel: Logger.Level {
    get { inner.logLevel }
    set { inner.logLevel = newValue }
  }

  var metadata: Logger.Metadata {
    get { inner.metadata }
    set { inner.metadata = newValue }
  }

  var metadataProvider: Logger.MetadataProvider? {
    get { inner.metadataProvider }
    set { inner.metadataProvider = newValue }
  }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { inner[metadataKey: key] }
    set { inner[metadataKey: key] = newValue }
  }

  func log(event: LogEvent) {
    let inner = self.inner
    LogHold.submit { inner.log(event: event) }
  }
}
