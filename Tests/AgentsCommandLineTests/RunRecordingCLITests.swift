import Testing
import TestSupport

/// `ask` and `chat` record runs through `RunRecorder` only, so a failure is stored with the SDK's error kind.
@Suite struct RunRecordingCLITests {
  /// Before, ConversationService built the record itself and stored the CLI's exit category (`server_unavailable`)
  /// beside the SDK's `server_unreachable`.
  @Test func aFailedAskIsRecordedWithTheSDKsErrorKind() async throws {
    let agents = try AgentsBinary()
    let failed = try await agents.run(["ask", "--base-url", "http://127.0.0.1:9/v1", "hi"])
    #expect(failed.status == 69)
    let stats = try await agents.run(["stats", "--json"])
    #expect(stats.status == 0)
    #expect(stats.stdout.contains(#""errors":[{"name":"server_unreachable","count":1}]"#), "\(stats.stdout)")
  }
}
