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

  /// ``HTTPTransport/networkExecutor`` is that loop's executor: code that prefers it (a whole run of `agents ask`)
  /// runs on the network thread, before, between and after its requests.
  @Test func theNetworkExecutorIsEveryTransportsResponseExecutor() async throws {
    let network = try #require(HTTPTransport.networkExecutor)
    #expect(network === HTTPTransport.shared.responseExecutor)
    try await withServer { server in
      server.enqueue(.text("one two", chunkSize: 4))
      let request = chatRequest(OllamaConfig(baseURL: server.openAIBaseURL), stream: true)
      let onLoop = try await withTaskExecutorPreference(network) {
        let before = HTTPTransport.connectionEventLoop.inEventLoop
        _ = try await HTTPTransport.shared.send(request).body.collect(upTo: 1 << 20)
        return [before, HTTPTransport.connectionEventLoop.inEventLoop]
      }
      #expect(onLoop == [true, true])
    }
    #expect(!HTTPTransport.connectionEventLoop.inEventLoop)
  }
}
