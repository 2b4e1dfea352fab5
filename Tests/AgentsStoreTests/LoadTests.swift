import AgentsStore
import AgentsTesting
import Foundation
import OpenAICompatible
import Testing

/// Issue 8's load row: 1,000 concurrent conversations through the runner, each with a tool call and its own
/// SQLite session, against one fake server; no errors, every session saved whole, bounded memory.
@Suite struct LoadTests {
  static let conversations = 1_000
  /// Far above what the run needs (about 150 MB measured); it catches a leak per conversation, not noise.
  static let peakResidentLimit = 1_536 << 20

  @Test func aThousandConcurrentConversations() async throws {
    let server = try await FakeOllamaServer.start(.init(recordingLimit: 0))
    let store = try TemporaryStore()
    // A tool call first, then the answer once the tool's output is in the conversation.
    server.setDefaultReply { request in
      let last = request.messages.last
      if last?["role"] == "tool" { return .text("Done: \(last?["content"]?.stringValue ?? "")") }
      return .toolCall("get_weather", arguments: ["city": .string(request.lastUserMessageText ?? "")])
    }
    let provider = OpenAICompatibleProvider(config: OllamaConfig(baseURL: server.openAIBaseURL))
    let runner = Runner(configuration: .init(modelProvider: provider))
    let agent = Agent(name: "Weather", instructions: "Answer briefly.", model: "llama3.2", tools: [FaultMatrix.weatherTool])

    let failures = try await withThrowingTaskGroup(of: String?.self) { group in
      for index in 0..<Self.conversations {
        group.addTask {
          let session = SQLiteSession(sessionID: "c\(index)", database: store.database)
          do {
            let result = try await runner.run(agent, input: "City\(index)", session: session)
            let expected = "Done: Sunny, 21°C in City\(index)"
            return result.finalOutputText == expected ? nil : "c\(index) answered \(result.finalOutputText)"
          } catch {
            return "c\(index) failed: \(error)"
          }
        }
      }
      var failures: [String] = []
      for try await failure in group { if let failure { failures.append(failure) } }
      return failures
    }
    try await server.shutdown()

    #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.first ?? "")")
    #expect(server.requestCount == 2 * Self.conversations)
    for index in [0, Self.conversations / 2, Self.conversations - 1] {
      let items = try await SQLiteSession(sessionID: "c\(index)", database: store.database).items()
      #expect(items.count == 4, "user, tool call, tool output, answer")
      #expect(items.first == .user("City\(index)"))
    }
    #expect(try await store.database.integrityCheck() == ["ok"])

    let peak = try #require(Self.peakResidentBytes())
    print("load: \(Self.conversations) concurrent conversations, peak RSS (VmHWM) \(peak >> 20) MB")
    #expect(peak < Self.peakResidentLimit)
  }

  /// The process's peak resident set size (`VmHWM` in `/proc/self/status`), in bytes.
  static func peakResidentBytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
      let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
      return kilobytes.map { $0 * 1024 }
    }
    return nil
  }
}
