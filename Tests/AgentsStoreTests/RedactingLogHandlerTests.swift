import AgentsStore
import Foundation
import Logging
import Synchronization
import Testing
import TestSupport

@Suite("Log redaction")
struct RedactingLogHandlerTests {
  struct LeakyError: Error, CustomStringConvertible {
    var description: String { "request failed with Authorization: Bearer abc.def.ghi" }
  }

  @Test("messages, metadata at every level, provider metadata and errors are redacted")
  func redactsEverything() throws {
    let lines = RecordingLogHandler.Store()
    let provider = Logger.MetadataProvider { ["context": "key sk-proj-0123456789abcdef"] }
    var logger = Logger(label: "test") { _ in
      var capture = RecordingLogHandler(store: lines)
      capture.metadataProvider = provider
      return RedactingLogHandler(wrapping: capture, secrets: ["hunter2-password"])
    }
    logger[metadataKey: "server"] = "http://alice:hunter2-password@gpu-box:11434/v1?api_key=zzz"
    logger.debug(
      "calling with Bearer sk-live-abcdefghijklmnop and hunter2-password",
      metadata: ["agent": "writer", "nested": ["token": "Bearer xyz123"]])
    logger.error("failed", error: LeakyError())

    let output = lines.lines.joined(separator: "\n")
    for secret in ["hunter2-password", "sk-live-abcdefghijklmnop", "sk-proj-0123456789abcdef", "xyz123", "zzz",
      "abc.def.ghi", "alice"]
    {
      #expect(!output.contains(secret), "\(secret) leaked: \(output)")
    }
    #expect(output.contains("agent=writer"))
    #expect(output.contains("gpu-box:11434"))
    #expect(output.contains("<redacted>"))
    #expect(lines.lines.count == 2)
  }

  @Test("the level is the wrapped handler's")
  func level() {
    var handler = RedactingLogHandler(wrapping: RecordingLogHandler(store: RecordingLogHandler.Store()))
    handler.logLevel = .warning
    #expect(handler.logLevel == .warning)
  }
}
