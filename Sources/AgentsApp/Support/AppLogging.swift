import Logging

/// Logging for the command line: quiet by default (errors reach the user as one-line messages
/// instead), informative with `--verbose`.
public enum AppLogging {
  /// Routes swift-log output to standard error: errors only, or everything from `info` up when verbose.
  ///
  /// Call once, before the first request; later calls have no effect.
  public static func bootstrap(verbose: Bool) {
    let level: Logger.Level = verbose ? .info : .critical
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = level
      return handler
    }
  }
}
