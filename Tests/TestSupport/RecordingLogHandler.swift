import Logging
import Synchronization

/// A log handler that keeps every line as `level message key=value… [error=…]`, so tests can check what was logged.
package struct RecordingLogHandler: LogHandler {
  /// The lines written so far, shared by every copy of the handler.
  package final class Store: Sendable {
    private let entries = Mutex<[String]>([])
    /// Every line, in order.
    package var lines: [String] { entries.withLock { $0 } }
    /// Creates an empty store.
    package init() {}
    func append(_ line: String) { entries.withLock { $0.append(line) } }
  }

  /// Where lines go.
  package let store: Store
  /// The handler's own metadata, merged under each event's.
  package var metadata: Logger.Metadata = [:]
  /// Metadata added at log time.
  package var metadataProvider: Logger.MetadataProvider?
  /// Everything is recorded unless lowered.
  package var logLevel: Logger.Level = .trace

  /// A handler writing into `store`.
  package init(store: Store) { self.store = store }

  /// The handler's metadata value for `key`.
  package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  /// Records one event.
  package func log(event: LogEvent) {
    var merged = metadata
    if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
    if let own = event.metadata { merged.merge(own) { $1 } }
    let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    let error = event.error.map { " error=\($0)" } ?? ""
    store.append("\(event.level) \(event.message) \(fields)\(error)")
  }

  /// A logger writing into a fresh store.
  package static func logger(label: String = "test") -> (Logger, Store) {
    let store = Store()
    let logger = Logger(label: label) { _ in RecordingLogHandler(store: store) }
    return (logger, store)
  }
}
