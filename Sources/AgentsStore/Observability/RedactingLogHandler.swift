import Logging
import WireCore

/// A log handler that removes secrets from every message, metadata value and error before passing the line on.
///
/// Wrap the application's handler once at bootstrap:
/// `LoggingSystem.bootstrap { RedactingLogHandler(wrapping: StreamLogHandler.standardError(label: $0)) }`.
/// It removes `Bearer` tokens, `sk-…` style keys, credentials in URLs (`user:password@`, `?api_key=`) and any
/// extra secrets it is given (for example the API keys in the configuration). Handler-level metadata and the
/// metadata provider are kept here, not in the wrapped handler, so that they are redacted too.
public struct RedactingLogHandler: LogHandler {
  private var inner: any LogHandler
  private let secrets: [String]
  private let filter: @Sendable (String) -> String

  /// Metadata attached to every line of this handler's logger.
  public var metadata: Logger.Metadata
  /// Contextual metadata added to every line.
  public var metadataProvider: Logger.MetadataProvider?

  /// Wraps `inner`; `secrets` are literal values (API keys, passwords) to remove wherever they appear, and
  /// `filter` is applied to every text after redaction (the CLI removes terminal control sequences with it).
  public init(
    wrapping inner: any LogHandler, secrets: [String] = [], filter: @escaping @Sendable (String) -> String = { $0 }
  ) {
    var inner = inner
    self.metadata = inner.metadata
    self.metadataProvider = inner.metadataProvider
    inner.metadata = [:]
    inner.metadataProvider = nil
    self.inner = inner
    self.secrets = secrets
    self.filter = filter
  }

  /// The wrapped handler's level.
  public var logLevel: Logger.Level {
    get { inner.logLevel }
    set { inner.logLevel = newValue }
  }

  /// One metadata value of this handler.
  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  /// Redacts the event and forwards it to the wrapped handler.
  public func log(event: LogEvent) {
    var event = event
    var merged = metadataProvider?.get() ?? [:]
    merged.merge(metadata) { $1 }
    if let own = event.metadata { merged.merge(own) { $1 } }
    event.metadata = merged.isEmpty ? nil : merged.mapValues(redact)
    event.message = Logger.Message(stringLiteral: redact(event.message.description))
    if let error = event.error {
      event.error = RedactedError(description: redact(String(describing: error)))
    }
    inner.log(event: event)
  }

  /// `text` with secrets, tokens, keys and URL credentials replaced by ``Redaction/mask``, then filtered.
  public func redact(_ text: String) -> String {
    var result = Redaction.message(text, secrets: secrets)
    if result.contains("://") {
      result = result.split(separator: " ", omittingEmptySubsequences: false)
        .map { word in word.contains("://") ? ServerAddress(String(word)).redacted : String(word) }
        .joined(separator: " ")
    }
    return filter(result)
  }

  private func redact(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
    switch value {
    case .string(let text): .string(redact(text))
    case .stringConvertible(let convertible): .string(redact(convertible.description))
    case .dictionary(let dictionary): .dictionary(dictionary.mapValues(redact))
    case .array(let array): .array(array.map(redact))
    }
  }
}

/// An error replaced by its redacted description, so a handler that prints errors prints no secret.
struct RedactedError: Error, CustomStringConvertible {
  let description: String
}
