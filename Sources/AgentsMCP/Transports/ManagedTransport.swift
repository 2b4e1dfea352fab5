import Logging
import Synchronization
import MCP

/// A transport whose end can be awaited: the process exited, the HTTP session ended.
///
/// The SDK's `Client` does not fail its pending requests when a transport's message stream ends, so the
/// connection races every request against ``closed()`` and disconnects the client when the transport closes.
protocol ManagedTransport: Transport {
  /// Returns why the transport can no longer carry messages, once that happens; `nil` when the waiting task is
  /// cancelled first.
  nonisolated func closed() async -> MCPServerError?
  /// Why the transport closed, if it has.
  nonisolated var closedReason: MCPServerError? { get }
  /// Called once the server's `initialize` answer arrived, with the negotiated protocol version.
  func initialized(protocolVersion: String) async
}

extension ManagedTransport {
  func initialized(protocolVersion: String) async {}

  /// The logger the MCP SDK gets: `logger` when it logs at `debug` or finer, else a copy that keeps only
  /// critical messages, since the SDK logs a server that stopped as an error and ``MCPConnection`` reports that
  /// already, in the user's words.
  static func sdkLogger(_ logger: Logger) -> Logger {
    guard logger.logLevel > .debug else { return logger }
    var quiet = logger
    quiet.logLevel = .critical
    return quiet
  }
}

/// The last bytes a process wrote to one of its streams, as text: what error messages quote.
final class OutputTail: Sendable {
  private let limit: Int
  private let bytes = Mutex<[UInt8]>([])

  /// Keeps at most `limit` bytes.
  init(limit: Int = 4096) { self.limit = limit }

  /// Appends a chunk, dropping the oldest bytes beyond the limit.
  func append(_ chunk: UnsafeRawBufferPointer) {
    bytes.withLock { bytes in
      bytes.append(contentsOf: chunk.suffix(limit))
      if bytes.count > limit { bytes.removeFirst(bytes.count - limit) }
    }
  }

  /// The kept text: whole lines only (a line cut by the limit is dropped), blank lines removed, at most
  /// `maximumLines` of the last ones; `nil` when there is none.
  func text(maximumLines: Int = 12) -> String? {
    let kept = bytes.withLock { $0 }
    var lines = String(decoding: kept, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
    if kept.count >= limit, !lines.isEmpty { lines.removeFirst() }
    lines = lines.filter { !$0.allSatisfy(\.isWhitespace) }.suffix(maximumLines).map { $0 }
    return lines.isEmpty ? nil : lines.joined(separator: "\n")
  }
}
