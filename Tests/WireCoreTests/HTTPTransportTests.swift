import AsyncHTTPClient
import FakeModelServer
import Logging
import NIOCore
import NIOHTTP1
import NIOEmbedded
import Testing
import TestSupport
@testable import WireCore

/// The transport against the in-process fake server over real loopback HTTP.
@Suite struct HTTPTransportTests {
  /// A configuration for `server` with fast retries and the given timeouts.
  func config(
    _ server: FakeOllamaServer, timeouts: OllamaConfig.Timeouts = OllamaConfig.Timeouts(),
    retry: OllamaConfig.RetryPolicy = OllamaConfig.RetryPolicy(initialBackoff: .milliseconds(1), jitter: 0)
  ) -> OllamaConfig {
    OllamaConfig(baseURL: server.openAIBaseURL, apiKey: "sk-test-secret-0123456789", timeouts: timeouts, retry: retry)
  }

  @Test func sendsTheRequestWithBearerKeyAndReadsTheBody() async throws {
    try await withServer { server in
      server.enqueue(.text("Hi!"))
      let config = config(server)
      let response = try await HTTPTransport.shared.data(chatRequest(config))
      #expect(response.status == 200)
      let json = try JSONValue.parse(response.body)
      #expect(json["choices"]?.arrayValue?.first?["message"]?["content"] == "Hi!")
      let recorded = try #require(server.lastRequest)
      #expect(recorded.headers["authorization"] == "Bearer sk-test-secret-0123456789")
    }
  }

  @Test func refusedConnectionsAreRetriedThenReportedAsUnreachable() async throws {
    try await withServer { server in
      try await server.stopListening()
      let (logger, logs) = RecordingLogHandler.logger()
      var transport = HTTPTransport.shared
      transport.logger = logger
      let error = await expectError(.serverUnreachable) { _ = try await transport.data(chatRequest(config(server))) }
      #expect(error?.description.contains(server.openAIBaseURL + "/chat/completions") == true)
      #expect(error?.description.contains("ollama serve") == true)
      #expect(logs.lines.filter { $0.contains("Retrying") }.count == 2)
      #expect(logs.lines.allSatisfy { !$0.contains("sk-test-secret") })
    }
  }

  @Test func aClosedConnectionIsRetriedAndThenSucceeds() async throws {
    try await withServer { server in
      server.inject(.closeConnection, times: 1)
      server.enqueue(.text("second time lucky"))
      let response = try await HTTPTransport.shared.data(chatRequest(config(server)))
      #expect(String(decoding: response.body, as: UTF8.self).contains("second time lucky"))
      #expect(server.requestCount == 2)
    }
  }

  @Test func busyAndRateLimitedAnswersAreRetriedHonouringRetryAfter() async throws {
    try await withServer { server in
      server.inject(.error(status: 429, message: "slow down", headers: [("Retry-After", "0")]), times: 1)
      server.inject(.serverBusy(retryAfterSeconds: 0), times: 1)
      server.enqueue(.text("ok"))
      let (logger, logs) = RecordingLogHandler.logger()
      var transport = HTTPTransport.shared
      transport.logger = logger
      let response = try await transport.data(chatRequest(config(server)))
      #expect(response.status == 200)
      #expect(server.requestCount == 3)
      let retries = logs.lines.filter { $0.contains("Retrying") }
      #expect(retries.count == 2)
      #expect(retries.first?.contains("http_429") == true)
    }
  }

  /// Failed answers that end the retries: a Retry-After beyond the maximum backoff ends them at once, and an internal
  /// server error is retried only once. Each with the status and message the error keeps, and the requests made.
  static let finalFailures:
    [(fault: FakeOllamaServer.Fault, times: FakeOllamaServer.FaultRepetition, status: Int, message: String, requests: Int)] = [
      (
        .serverBusy(retryAfterSeconds: 120), .always, 503,
        "server busy, please try again.  maximum pending requests exceeded", 1
      ),
      (.error(status: 500, message: "boom"), 3, 500, "boom", 2),
    ]

  @Test(arguments: 0..<finalFailures.count)
  func failedAnswersAreRetriedAsTheirKindAllows(_ index: Int) async throws {
    let failure = Self.finalFailures[index]
    try await withServer { server in
      server.inject(failure.fault, times: failure.times)
      let error = await expectError(.httpStatus) { _ = try await HTTPTransport.shared.data(chatRequest(config(server))) }
      #expect(error?.status == failure.status)
      #expect(error?.serverMessage == failure.message)
      #expect(server.requestCount == failure.requests)
    }
  }

  @Test func retriesCanBeSwitchedOff() async throws {
    try await withServer { server in
      server.inject(.serverBusy(retryAfterSeconds: 0), times: 1)
      let config = config(server, retry: .disabled)
      _ = await expectError(.httpStatus) { _ = try await HTTPTransport.shared.data(chatRequest(config)) }
      #expect(server.requestCount == 1)
    }
  }

  @Test func clientErrorsFailAtOnceWithTheServersOwnMessage() async throws {
    try await withServer { server in
      server.inject(.error(status: 400, message: "[] is too short - 'messages'"), times: 1)
      let error = await expectError(.httpStatus) { _ = try await HTTPTransport.shared.data(chatRequest(config(server))) }
      #expect(error?.status == 400)
      #expect(error?.description.contains("HTTP 400: [] is too short - 'messages'") == true)
      #expect(server.requestCount == 1)
    }
  }

  @Test func plainTextErrorBodiesAreKept() async throws {
    try await withServer { server in
      server.inject(
        .respond(status: 404, headers: [("Content-Type", "text/plain")], body: Array("404 page not found".utf8)), times: 1)
      let error = await expectError(.httpStatus) { _ = try await HTTPTransport.shared.data(chatRequest(config(server))) }
      #expect(error?.serverMessage == "404 page not found")
    }
  }

  @Test func theAPIKeyNeverAppearsInErrors() async throws {
    try await withServer { server in
      server.inject(.error(status: 401, message: "Incorrect API key provided: sk-test-secret-0123456789"), times: 1)
      let error = await expectError(.httpStatus) { _ = try await HTTPTransport.shared.data(chatRequest(config(server))) }
      #expect(error?.status == 401)
      #expect(error?.description.contains("sk-test-secret") == false)
      #expect(error?.serverMessage?.contains("sk-test-secret") == false)
    }
  }

  /// Starts reading `response`'s body and returns once one whole SSE event (ending in a blank line) has arrived, so
  /// no byte of it is still on the way when the test moves virtual time; the returned work reads the rest.
  func readingPastTheFirstEvent(_ response: TransportResponse) async -> Pending<Void> {
    let (firstEvent, arrived) = AsyncStream<Void>.makeStream()
    let rest = Pending {
      var iterator = response.body.makeAsyncIterator()
      var text = ""
      while !text.contains("\n\n"), let chunk = try await iterator.next() { text += String(buffer: chunk) }
      arrived.finish()
      while try await iterator.next() != nil {}
    }
    for await _ in firstEvent {}
    return rest
  }

  @Test func aStallBeforeTheHeadersIsAFirstByteTimeout() async throws {
    try await withServer { server in
      try await withVirtualTime { clock in
        server.inject(.stallBeforeHeaders(nil), times: 1)
        // Ollama-sized limits: the shorter idle timeout must not apply before the head arrives.
        let config = config(server, timeouts: OllamaConfig.Timeouts(firstByte: .seconds(600), idle: .seconds(120)))
        let transport = HTTPTransport.shared.timed(by: clock)
        let request = Pending { try await transport.data(chatRequest(config)) }
        await server.waitForRequests(count: 1)
        let error = await expectTimeout(
          of: request, on: clock, before: .seconds(599), phase: .firstByte, limit: .seconds(600))
        #expect(error?.description.contains("first-byte") == true)
        #expect(server.requestCount == 1)  // a cold load is never retried
      }
    }
  }

  @Test func aStallMidStreamIsAnIdleTimeout() async throws {
    try await withServer { server in
      try await withVirtualTime { clock in
        server.inject(.stallAfterEvents(1, duration: nil), times: 1)
        server.enqueue(.text("one two three four", chunkSize: 4))
        let config = config(server, timeouts: OllamaConfig.Timeouts(firstByte: .seconds(600), idle: .seconds(120)))
        let response = try await HTTPTransport.shared.timed(by: clock).send(chatRequest(config, stream: true))
        let rest = await readingPastTheFirstEvent(response)
        await expectTimeout(of: rest, on: clock, before: .seconds(119), phase: .idle, limit: .seconds(120))
      }
    }
  }

  @Test func theOverallDeadlineBoundsBothPhases() async throws {
    try await withServer { server in
      try await withVirtualTime { clock in
        let transport = HTTPTransport.shared.timed(by: clock)
        server.inject(.stallAfterEvents(1, duration: nil), times: 1)
        server.enqueue(.text("one two three", chunkSize: 4))
        let config = config(
          server, timeouts: OllamaConfig.Timeouts(firstByte: .seconds(600), idle: .seconds(600), overall: .seconds(300)))
        let response = try await transport.send(chatRequest(config, stream: true))
        let rest = await readingPastTheFirstEvent(response)
        await clock.advanceTime(by: .seconds(300))
        let error = await expectError(.timedOut) { try await rest.value }
        #expect(error?.timeoutPhase == .deadline)

        server.inject(.stallBeforeHeaders(nil), times: 1)
        let beforeHead = Pending { try await transport.send(chatRequest(config)) }
        await server.waitForRequests(count: 2)
        await clock.advanceTime(by: .seconds(300))
        let headError = await expectError(.timedOut) { _ = try await beforeHead.value }
        #expect(headError?.timeoutPhase == .deadline)
      }
    }
  }

  @Test func retriesWaitTheirBackoffOnTheTransportsClock() async throws {
    try await withServer { server in
      try await withVirtualTime { clock in
        server.inject(.error(status: 503, message: "busy"), times: 1)
        server.enqueue(.text("after the wait"))
        let retry = OllamaConfig.RetryPolicy(initialBackoff: .seconds(30), maxBackoff: .seconds(30), jitter: 0)
        let config = config(server, retry: retry)
        // The wait's end is fixed before the retry is reported, so time moves only once the transport is waiting.
        let (retried, report) = AsyncStream<Void>.makeStream()
        var transport = HTTPTransport.shared.timed(by: clock)
        transport.onRetry = { _ in report.yield() }
        let request = Pending { [transport] in try await transport.data(chatRequest(config)) }
        for await _ in retried { break }
        await clock.advanceTime(by: .seconds(29))
        #expect(await !request.hasFinished())
        #expect(server.requestCount == 1)
        await clock.advanceTime(by: .seconds(1))
        // The timer may have been armed just after the clock moved past its deadline: it then runs on the next turn.
        var turns = 0
        while await !request.hasFinished(), turns < 1000 {
          await clock.run()
          turns += 1
        }
        let response = try await request.value
        #expect(response.status == 200)
        #expect(server.requestCount == 2)
      }
    }
  }

  @Test func aCutConnectionMidStreamIsAStreamCut() async throws {
    try await withServer { server in
      server.inject(.cutAfterEvents(1), times: 1)
      server.enqueue(.text("one two three", chunkSize: 4))
      let response = try await HTTPTransport.shared.send(chatRequest(config(server), stream: true))
      _ = await expectError(.streamCut) { for try await _ in response.body {} }
    }
  }

  @Test func cancellingWhileWaitingForTheHeadCancelsAtOnce() async throws {
    try await withServer { server in
      server.inject(.stallBeforeHeaders(nil), times: 1)
      let config = config(server, timeouts: OllamaConfig.Timeouts(firstByte: .seconds(60)))
      let task = Task { try await HTTPTransport.shared.send(chatRequest(config)) }
      await server.waitForRequests(count: 1)
      task.cancel()
      _ = await expectError(.cancelled) { _ = try await task.value }
    }
  }

  @Test func cancellingWhileReadingTheBodyCancelsAtOnce() async throws {
    try await withServer { server in
      server.inject(.stallAfterEvents(1, duration: nil), times: 1)
      server.enqueue(.text("one two three", chunkSize: 4))
      let config = config(server, timeouts: OllamaConfig.Timeouts(idle: .seconds(60)))
      let response = try await HTTPTransport.shared.send(chatRequest(config, stream: true))
      let (firstChunk, firstChunkContinuation) = AsyncStream<Void>.makeStream()
      let task = Task {
        for try await _ in response.body { firstChunkContinuation.yield() }
      }
      for await _ in firstChunk { break }
      task.cancel()
      _ = await expectError(.cancelled) { try await task.value }
    }
  }

  @Test func scopedTransportsShutDownAfterUse() async throws {
    try await withServer { server in
      server.enqueue(.text("scoped"))
      let config = config(server)
      let status = try await HTTPTransport.withTransport { transport in
        try await transport.data(chatRequest(config)).status
      }
      #expect(status == 200)
      let owned = HTTPTransport(configuration: HTTPTransport.Configuration(connectTimeout: .seconds(2)))
      try await owned.shutdown()
      _ = await expectError(.serverUnreachable) { _ = try await owned.data(chatRequest(config)) }
    }
  }

  @Test func withoutABootstrappedTracerTheClientTracesNothing() {
    // No test bootstraps a tracer, so the process-wide one is the no-op tracer: the client gets none at all.
    #expect(HTTPClient.Configuration().tracing.tracer != nil)
    #expect(HTTPTransport.Configuration().clientConfiguration.tracing.tracer == nil)
  }
}

/// Error mapping for failures that cannot be provoked over loopback (a connect timeout needs an
/// unroutable address).
@Suite struct TransportErrorMappingTests {
  let url = "http://127.0.0.1:1/v1/chat/completions"
  let timeouts = OllamaConfig.Timeouts(connect: .seconds(3), firstByte: .seconds(30), overall: .seconds(20))

  @Test func connectTimeoutsNameTheConnectPhaseAndAreRetryable() {
    let error = TransportErrorMapping.requestError(
      HTTPClientError.connectTimeout, url: url, timeouts: timeouts, firstByteWasBinding: true)
    #expect(error.code == .timedOut)
    #expect(error.timeoutPhase == .connect)
    #expect(error.timeoutLimit == .seconds(3))
    #expect(TransportErrorMapping.isConnectionFailure(error))
    #expect(error.isTransient)
  }

  @Test func deadlineExceededIsFirstByteOrOverallDependingOnWhichWasBinding() {
    let firstByte = TransportErrorMapping.requestError(
      HTTPClientError.deadlineExceeded, url: url, timeouts: timeouts, firstByteWasBinding: true)
    #expect(firstByte.timeoutPhase == .firstByte)
    #expect(!TransportErrorMapping.isConnectionFailure(firstByte))
    let overall = TransportErrorMapping.requestError(
      HTTPClientError.deadlineExceeded, url: url, timeouts: timeouts, firstByteWasBinding: false)
    #expect(overall.timeoutPhase == .deadline)
    #expect(overall.timeoutLimit == .seconds(20))
  }

  @Test func bodyFailuresAreCutsAndCancellationsStayCancellations() {
    #expect(TransportErrorMapping.bodyError(HTTPClientError.remoteConnectionClosed, url: url).code == .streamCut)
    #expect(TransportErrorMapping.bodyError(CancellationError(), url: url).code == .cancelled)
    #expect(TransportErrorMapping.requestError(CancellationError(), url: url, timeouts: timeouts, firstByteWasBinding: true).code == .cancelled)
  }
}
