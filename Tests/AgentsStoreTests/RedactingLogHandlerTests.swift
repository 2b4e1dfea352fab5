import AgentsStore
import Foundation
import Logging
import Synchronization
import Testing

@Suite("Log redaction")
struct RedactingLogHandlerTests {
  /// A handler that keeps each line as text.
  struct Capture: LogHandler {
    final class Lines: Sendable {
      let mutex = Mutex<[String]>([])
      var all: [String] { mutex.withLock { $0 } }
    }
    let lines: Lines
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
      var merged = metadata
      if let own = event.metadata { merged.merge(own) { $1 } }
      let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
      let error = event.error.map { " error=\($0)" } ?? ""
      lines.mutex.withLock { $0.append("\(event.level) \(event.message) \(fields)\(error)") }
    }
  }

  struct LeakyError: Error, CustomStringConvertible {
    var description: String { "request failed with Authorization: Bearer abc.def.ghi" }
  }

  @Test("messages, metadata at every level, provider metadata and errors are redacted")
  func redactsEverything() throws {
    let lines = Capture.Lines()
    let provider = Logger.MetadataProvider { ["context": "key sk-proj-0123456789abcdef"] }
    var logger = Logger(label: "test") { _ in
      var capture = Capture(lines: lines)
      capture.metadataProvider = provider
      return RedactingLogHandler(wrapping: capture, secrets: ["hunter2-password"])
    }
    logger[metadataKey: "server"] = "http://alice:hunter2-password@gpu-box:11434/v1?api_key=zzz"
    logger.debug(
      "calling with Bearer sk-live-abcdefghijklmnop and hunter2-password",
      metadata: ["agent": "writer", "nested": ["token": "Bearer xyz123"]])
    logger.error("failed", error: LeakyError())

    let output = lines.all.joined(separator: "\n")
    for secret in ["hunter2-password", "sk-live-abcdefghijklmnop", "sk-proj-0123456789abcdef", "xyz123", "zzz",
      "abc.def.ghi", "alice"]
    {
      #expect(!output.contains(secret), "\(secret) leaked: \(output)")
    }
    #expect(output.contains("agent=writer"))
    #expect(output.contains("gpu-box:11434"))
    #expect(output.contains("<redacted>"))
    #expect(lines.all.count == 2)
  }

  @Test("the level is the wrapped handler's")
  func level() {
    var handler = RedactingLogHandler(wrapping: Capture(lines: Capture.Lines()))
    handler.logLevel = .warning
    #expect(handler.logLevel == .warning)
  }
}
