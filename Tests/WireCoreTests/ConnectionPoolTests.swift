import FakeModelServer
import Testing
import TestSupport
@testable import WireCore

/// The transport's connection pool against the fake server over loopback HTTP.
@Suite struct ConnectionPoolTests {
  /// Requests beyond the pool's connections per host wait for one of them: they do not open connections of their
  /// own (which AsyncHTTPClient closes after one request, and which cost a 32-run burst 45 % of its throughput).
  @Test func aBurstBeyondThePoolsConnectionsWaitsForThem() async throws {
    try await withServer { server in
      server.inject(.delay(.milliseconds(50)), times: .always)
      let transport = HTTPTransport(configuration: HTTPTransport.Configuration(maximumConnectionsPerHost: 2))
      // No per-server request limit: only the pool holds requests back.
      let config = OllamaConfig(baseURL: server.openAIBaseURL, retry: .disabled, maxConcurrentRequestsPerServer: 0)
      let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<6 { group.addTask { try await transport.data(chatRequest(config)).status } }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      try await transport.shutdown()
      #expect(statuses == Array(repeating: 200, count: 6))
      #expect(server.peakInFlightRequestCount <= 2)
    }
  }
}
