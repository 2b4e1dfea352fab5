import Logging
import Synchronization

/// A log handler that keeps every message and its metadata, so tests can check what was logged.
struct RecordingLogHandler: LogHandler {
  final class Store: Sendable {
    let entries = Mutex<[String]>([])
    var lines: [String] { entries.withLock { $0 } }
  }

  let store: Store
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    store.entries.withLock { $0.append("\(event.level) \(event.message) \(fields)") }
  }

  /// A logger writing into a fresh store.
  static func logger() -> (Logger, Store) {
    let store = Store()
    let logger = Logger(label: "test") { _ in RecordingLogHandler(store: store) }
    return (logger, store)
  }
}
