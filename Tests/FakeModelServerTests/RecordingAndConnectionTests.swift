import AsyncHTTPClient
import FakeModelServer
import Testing
import WireCore
import TestSupport

@Suite("Recording and connections")
struct RecordingAndConnectionTests {
  @Test func everyRequestIsRecordedWithHeadersBodyAndParsedJSON() async throws {
    try await withServer { server in
      let body = TestHTTP.chat(stream: true, extra: ["stream_options": ["include_usage": true], "max_tokens": 64])
      _ = try await TestHTTP.post(
        server.openAIBaseURL + "/chat/completions", body, headers: [("Authorization", "Bearer test-key")])
      _ = try await TestHTTP.get(server.baseURL + "/api/tags")

      let recorded = server.requests
      #expect(recorded.map(\.path) == ["/v1/chat/completions", "/api/tags"])
      #expect(recorded.map(\.sequenceNumber) == [1, 2])
      let chat = try #require(server.requests(to: "/v1/chat/completions").first)
      #expect(chat.method == "POST")
      #expect(chat.header("authorization") == "Bearer test-key")
      #expect(chat.json?["stream_options"] == ["include_usage": true])
      #expect(chat.json?["max_completion_tokens"] == nil)
      #expect(chat.json == body)
      #expect(chat.body == body.jsonBytes)
      #expect(chat.lastUserMessageText == "Hi")
      #expect(server.lastRequest?.path == "/api/tags")

      server.clearRecordedRequests()
      #expect(server.requests.isEmpty)
      #expect(server.requestCount == 2)
    }
  }

  @Test func recordingLimitKeepsTheNewest() async throws {
    try await withServer(.init(recordingLimit: 2)) { server in
      for path in ["/", "/api/version", "/api/tags"] { _ = try await TestHTTP.get(server.baseURL + path) }
      #expect(server.requests.map(\.path) == ["/api/version", "/api/tags"])
      #expect(server.requestCount == 3)
    }
  }

  @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
    try await withServer { server in
      let request = "GET /api/version HTTP/1.1\r\nHost: localhost\r\n\r\n"
      let closing = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
      let received = try await RawTCP.exchange(port: server.port, request + request + closing)
      #expect(occurrences(of: "HTTP/1.1 200 OK", in: received) == 3)
      #expect(occurrences(of: #"{"version":"0.32.15"}"#, in: received) == 2)
      #expect(received.hasSuffix("Ollama is running"))
    }
  }

  @Test func headRequestsGetHeadersOnly() async throws {
    try await withServer { server in
      let received = try await RawTCP.exchange(port: server.port, "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
      #expect(received.hasPrefix("HTTP/1.1 200 OK"))
      #expect(received.lowercased().contains("content-length: 17"))
      #expect(!received.contains("Ollama is running"))
    }
  }

  @Test func stoppedListenerRefusesConnectionsUntilResumed() async throws {
    try await withServer { server in
      try await server.stopListening()
      // A raw connect sees ECONNREFUSED at once (AsyncHTTPClient would retry until its deadline).
      await #expect(throws: (any Error).self) {
        try await RawTCP.exchange(port: server.port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
      }
      try await server.resumeListening()
      #expect(try await TestHTTP.get(server.baseURL + "/").text == "Ollama is running")
      // Again: the second stop reserves the port anew and the second resume listens on it.
      try await server.stopListening()
      await #expect(throws: (any Error).self) {
        try await RawTCP.exchange(port: server.port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
      }
      try await server.resumeListening()
      #expect(try await TestHTTP.get(server.baseURL + "/").text == "Ollama is running")
    }
  }

  @Test func closingNewConnectionsFailsRequests() async throws {
    try await withServer { server in
      server.closeNewConnections(true)
      await #expect(throws: (any Error).self) { try await TestHTTP.get(server.baseURL + "/api/version") }
      server.closeNewConnections(false)
      let served = try await TestHTTP.get(server.baseURL + "/api/version")
      #expect(served.status == 200)
    }
  }

  @Test func shutdownWakesWaitersAndIsIdempotent() async throws {
    let server = try await FakeOllamaServer.start()
    let waiter = Task { await server.waitForRequests(count: 5) }
    try await server.shutdown()
    await waiter.value
    try await server.shutdown()
    #expect(server.baseURL == "http://127.0.0.1:\(server.port)")
    #expect(server.openAIBaseURL == server.baseURL + "/v1")
  }

  @Test func concurrentConversationsAllGetTheirOwnEcho() async throws {
    try await withServer(.init(recordingLimit: 0)) { server in
      let url = server.openAIBaseURL + "/chat/completions"
      let replies = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
        for index in 0..<50 {
          group.addTask {
            let json = try await TestHTTP.post(url, TestHTTP.chat("message \(index)")).json
            return (index, json["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue)
          }
        }
        return try await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
      }
      #expect(replies.count == 50)
      #expect(replies.allSatisfy { $0.value == "message \($0.key)" })
      #expect(server.requests.isEmpty)
      #expect(server.requestCount == 50)
    }
  }
}
