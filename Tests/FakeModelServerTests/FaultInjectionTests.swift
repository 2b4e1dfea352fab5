import AsyncHTTPClient
import FakeModelServer
import NIOCore
import NIOHTTP1
import Testing
import WireCore
import TestSupport

@Suite("Fault injection")
struct FaultInjectionTests {
  private func chatURL(_ server: FakeOllamaServer) -> String { server.openAIBaseURL + "/chat/completions" }

  @Test func failTwiceThenSucceedKeepsTheScriptedReply() async throws {
    try await withServer { server in
      server.enqueue(.text("finally"))
      server.inject(.serverBusy(retryAfterSeconds: 2), times: 2)
      for _ in 0..<2 {
        let busy = try await TestHTTP.post(chatURL(server), TestHTTP.chat())
        #expect(busy.status == 503)
        #expect(busy.headers.first(name: "retry-after") == "2")
        #expect(
          busy.text
            == #"{"error":{"message":"server busy, please try again.  maximum pending requests exceeded","type":"api_error","param":null,"code":null}}"#
        )
      }
      let ok = try await TestHTTP.post(chatURL(server), TestHTTP.chat())
      #expect(ok.json["choices"]?.arrayValue?.first?["message"]?["content"] == "finally")
      #expect(server.requestCount == 3)
    }
  }

  @Test func errorFaultUsesTheEndpointsFormat() async throws {
    try await withServer { server in
      server.inject(.error(status: 500, message: "boom"), times: .always)
      let native = try await TestHTTP.post(server.baseURL + "/api/chat", TestHTTP.chat(stream: false))
      #expect(native.status == 500)
      #expect(native.text == #"{"error":"boom"}"#)
      let v1 = try await TestHTTP.post(chatURL(server), TestHTTP.chat())
      #expect(v1.json["error"]?["type"] == "api_error")
      server.clearFaults()
      #expect(try await TestHTTP.post(chatURL(server), TestHTTP.chat()).status == 200)
    }
  }

  @Test func pathFaultsOnlyHitThatPath() async throws {
    try await withServer { server in
      server.inject(.respond(status: 418, headers: [("X-Test", "1")], body: Array("teapot".utf8)), on: "/api/tags", times: .always)
      #expect(try await TestHTTP.get(server.baseURL + "/api/version").status == 200)
      let tags = try await TestHTTP.get(server.baseURL + "/api/tags")
      #expect(tags.status == 418)
      #expect(tags.text == "teapot")
      #expect(tags.headers.first(name: "x-test") == "1")
      #expect(try await TestHTTP.get(server.baseURL + "/api/tags").status == 418)
    }
  }

  @Test func closedConnectionIsATransportError() async throws {
    try await withServer { server in
      server.enqueue(.text("kept for the retry"))
      server.inject(.closeConnection)
      await #expect(throws: (any Error).self) { try await TestHTTP.post(chatURL(server), TestHTTP.chat()) }
      let next = try await TestHTTP.post(chatURL(server), TestHTTP.chat())
      #expect(next.json["choices"]?.arrayValue?.first?["message"]?["content"] == "kept for the retry")
    }
  }

  @Test func cutStreamIsATransportErrorAfterTheFirstEvents() async throws {
    try await withServer { server in
      server.enqueue(.text("abcdef", chunkSize: 1))
      server.inject(.cutAfterEvents(2))
      var request = HTTPClientRequest(url: chatURL(server))
      request.method = .POST
      request.body = .bytes(TestHTTP.chat(stream: true).jsonBytes)
      let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
      var received = ""
      await #expect(throws: (any Error).self) {
        for try await chunk in response.body { received += String(buffer: chunk) }
      }
      // The server writes two events and closes at once; under load the client's connection can fail before the
      // second event is handed to the body stream, so one or two events arrive, never more, and then the error.
      #expect((1...2).contains(occurrences(of: "data: ", in: received)), "\(received)")
      #expect(!received.contains("[DONE]"))
    }
  }

  @Test func endedStreamHasNoDone() async throws {
    try await withServer { server in
      server.enqueue(.text("abc", chunkSize: 1))
      server.inject(.endAfterEvents(2))
      let response = try await TestHTTP.post(chatURL(server), TestHTTP.chat(stream: true))
      #expect(response.status == 200)
      #expect(response.sseData.count == 2)
      #expect(!response.text.contains("[DONE]"))
    }
  }

  @Test func midStreamErrorOnV1IsAnEmptyChunkWithoutFinishOrDone() async throws {
    try await withServer { server in
      server.enqueue(.text("abc", chunkSize: 1))
      server.inject(.midStreamError(afterEvents: 1))
      let response = try await TestHTTP.post(chatURL(server), TestHTTP.chat(stream: true))
      #expect(response.sseData.count == 2)
      #expect(
        normalized(response.sseData[1])
          == #"{"id":"chatcmpl-N","object":"chat.completion.chunk","created":0,"model":"","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"content":""},"finish_reason":null}]}"#
      )
    }
  }

  @Test func midStreamErrorNativelyIsAnErrorLine() async throws {
    try await withServer { server in
      server.enqueue(.text("abc", chunkSize: 1))
      server.inject(.midStreamError(afterEvents: 2, message: "model crashed"))
      let lines = try await TestHTTP.post(server.baseURL + "/api/chat", TestHTTP.chat()).ndjson
      #expect(lines.count == 3)
      #expect(lines[2] == ["error": "model crashed"])
      #expect(lines.allSatisfy { $0["done"] != true })
    }
  }

  @Test func midStreamErrorBeforeAnyEventIsAnHTTPError() async throws {
    try await withServer { server in
      server.inject(.midStreamError(afterEvents: 0))
      let response = try await TestHTTP.post(chatURL(server), TestHTTP.chat(stream: true))
      #expect(response.status == 500)
      #expect(response.json["error"]?["message"] == "an error was encountered while running the model")
    }
  }

  @Test func malformedAndWrongShapeBodies() async throws {
    try await withServer { server in
      server.inject(.malformedJSON)
      let garbage = try await TestHTTP.post(chatURL(server), TestHTTP.chat())
      #expect(garbage.status == 200)
      #expect(garbage.contentType == "application/json")
      #expect((try? JSONValue.parse(garbage.body)) == nil)

      server.inject(.malformedJSON)
      let garbageStream = try await TestHTTP.post(chatURL(server), TestHTTP.chat(stream: true))
      #expect(garbageStream.sseData.count == 2)
      #expect((try? JSONValue.parse(garbageStream.sseData[0])) == nil)

      server.inject(.wrongShape(["object": "surprise"]))
      let wrong = try await TestHTTP.post(chatURL(server), TestHTTP.chat())
      #expect(wrong.json == ["object": "surprise"])
    }
  }

  @Test func delayAndBoundedStallsStillDeliverTheReply() async throws {
    try await withServer { server in
      server.enqueue(.text("late"), .text("paused", chunkSize: 2))
      server.inject(.delay(.milliseconds(5)))
      let delayed = try await TestHTTP.post(chatURL(server), TestHTTP.chat())
      #expect(delayed.json["choices"]?.arrayValue?.first?["message"]?["content"] == "late")

      server.inject(.stallAfterEvents(1, duration: .milliseconds(5)))
      let stalled = try await TestHTTP.post(chatURL(server), TestHTTP.chat(stream: true))
      #expect(stalled.sseJSON.compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue }.joined() == "paused")
      #expect(stalled.sseData.last == "[DONE]")
    }
  }

  @Test func stallBeforeHeadersLastsUntilShutdown() async throws {
    let server = try await FakeOllamaServer.start()
    server.inject(.stallBeforeHeaders(nil))
    let request = Task { try await TestHTTP.post(chatURL(server), TestHTTP.chat()) }
    await server.waitForRequests(count: 1)
    try await server.shutdown()
    await #expect(throws: (any Error).self) { try await request.value }
  }

  @Test func stallMidStreamHoldsTheConnectionOpenAfterTheFirstEvents() async throws {
    let server = try await FakeOllamaServer.start()
    server.enqueue(.text("abcd", chunkSize: 1))
    server.inject(.stallAfterEvents(2, duration: nil))
    var request = HTTPClientRequest(url: chatURL(server))
    request.method = .POST
    request.body = .bytes(TestHTTP.chat(stream: true).jsonBytes)
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    var iterator = response.body.makeAsyncIterator()
    var received = ""
    while occurrences(of: "\n\n", in: received) < 2, let chunk = try await iterator.next() {
      received += String(buffer: chunk)
    }
    #expect(occurrences(of: "data: ", in: received) == 2)
    try await server.shutdown()
    await #expect(throws: (any Error).self) {
      while try await iterator.next() != nil {}
    }
  }
}
