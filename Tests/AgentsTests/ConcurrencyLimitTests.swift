@testable import Agents
import AgentsTesting
import Testing

/// The per-server request limit seen through the SDK: many runs at once against one server.
@Suite struct ConcurrencyLimitTests {
  @Test func concurrentRunsNeverPutMoreThanTheLimitOnTheServer() async throws {
    let server = try await FakeOllamaServer.start()
    defer { Task { try await server.shutdown() } }
    server.inject(.delay(.milliseconds(10)), times: .always)
    let config = OllamaConfig(baseURL: server.openAIBaseURL, retry: .disabled, maxConcurrentRequestsPerServer: 3)
    let runner = Runner(configuration: .init(modelProvider: OpenAICompatibleProvider(config: config)))
    let agent = Agent(name: "Echo", instructions: "Repeat.", model: "llama3.2")
    let outputs = try await withThrowingTaskGroup(of: String.self) { group in
      for index in 0..<12 {
        group.addTask { try await runner.run(agent, input: "message \(index)").finalOutputText }
      }
      return try await group.reduce(into: Set<String>()) { $0.insert($1) }
    }
    #expect(outputs.count == 12, "every run completes with its own answer")
    #expect(server.requests(to: "/v1/chat/completions").count == 12)
    #expect(server.peakInFlightRequestCount <= 3)
  }
}
