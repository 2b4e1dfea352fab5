import FakeModelServer
import NIOCore
import TestSupport
import Testing

@testable import WireCore

/// ``HTTPTransport/responseExecutor``: a body read with it preferred is read on the thread that receives it.
@Suite struct ResponseExecutorTests {
  @Test func aStreamReadWithTheResponseExecutorPreferredResumesOnTheConnectionsLoop() async throws {
    try await withServer { server in
      server.enqueue(.text("one two three four five", chunkSize: 4))
      let transport = HTTPTransport.shared
      let executor = try #require(transport.responseExecutor)
      let request = chatRequest(OllamaConfig(baseURL: server.openAIBaseURL), stream: true)
      let onLoop = try await withTaskExecutorPreference(executor) {
        var onLoop: [Bool] = []
        for try await _ in try await transport.send(request).body {
          onLoop.append(HTTPTransport.connectionEventLoop.inEventLoop)
        }
        return onLoop
      }
      #expect(onLoop.count > 1)
      #expect(onLoop.allSatisfy { $0 })
    }
  }

  @Test func everyTransportReadsOnTheSameLoop() async throws {
    let shared = try #require(HTTPTransport.shared.responseExecutor)
    try await HTTPTransport.withTransport { own in
      let executor = try #require(own.responseExecutor)
      #expect(executor === shared)
    }
  }
}
