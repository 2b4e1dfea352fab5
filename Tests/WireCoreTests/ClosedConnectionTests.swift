import AsyncHTTPClient
import FakeModelServer
import NIOCore
import NIOHTTP1
import Testing
import TestSupport
@testable import WireCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A server that closes the connection before answering (llama.cpp's server closes every kept-alive connection
/// after a streamed answer, so the next request can go out on a connection it has just closed): the request is
/// sent again at once, not after the retry policy's backoff.
@Suite struct ClosedConnectionTests {
  func config(_ server: FakeOllamaServer, retry: OllamaConfig.RetryPolicy) -> OllamaConfig {
    OllamaConfig(
      baseURL: server.openAIBaseURL, timeouts: OllamaConfig.Timeouts(overall: .seconds(60)), retry: retry)
  }

  /// A backoff longer than the request's deadline: waiting it would end the request with the error at once.
  static let hourLongBackoff = OllamaConfig.RetryPolicy(maxAttempts: 3, initialBackoff: .seconds(3600), jitter: 0)

  @Test func aRequestWhoseConnectionClosedBeforeTheAnswerIsSentAgainAtOnce() async throws {
    try await withServer { server in
      server.inject(.closeConnection, times: 1)
      server.enqueue(.text("answered the second time"))
      let (logger, logs) = RecordingLogHandler.logger()
      var transport = HTTPTransport.shared
      transport.logger = logger
      let response = try await transport.data(chatRequest(config(server, retry: Self.hourLongBackoff)))
      #expect(String(decoding: response.body, as: UTF8.self).contains("answered the second time"))
      #expect(server.requestCount == 2)
      #expect(!logs.lines.contains { $0.contains("Retrying") })  // no retry to tell anyone about: nothing waited
    }
  }

  @Test func aServerThatClosesEveryConnectionStillGetsTheBackoffAfterTheFirstResend() async throws {
    try await withServer { server in
      server.inject(.closeConnection, times: .always)
      let retry = OllamaConfig.RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(1), jitter: 0)
      let (logger, logs) = RecordingLogHandler.logger()
      var transport = HTTPTransport.shared
      transport.logger = logger
      await #expect(throws: ModelServerError.self) {
        _ = try await transport.data(chatRequest(config(server, retry: retry)))
      }
      #expect(server.requestCount == 3)  // the attempts stay bounded: the resend at once is one of them
      #expect(logs.lines.filter { $0.contains("Retrying") }.count == 1)
    }
  }

  @Test func withRetriesOffOnlyAGETIsSentAgain() async throws {
    try await withServer { server in
      let config = config(server, retry: .disabled)
      server.inject(.closeConnection, times: 1)
      let models = try await HTTPTransport.shared.data(
        TransportRequest(.GET, path: "/models", baseURL: config.baseURL, config: config))
      #expect(models.status == 200)
      #expect(server.requestCount == 2)

      // A POST may change something on the server (an MCP tool call): with retries off it is not sent twice.
      server.inject(.closeConnection, times: 1)
      await #expect(throws: ModelServerError.self) { _ = try await HTTPTransport.shared.data(chatRequest(config)) }
      #expect(server.requestCount == 3)
    }
  }

  /// How the close shows up depends on when it reaches the connection: before the request is written (NIO's "I/O on
  /// closed channel"), while it is written (a reset or broken pipe), or after (AsyncHTTPClient's
  /// `remoteConnectionClosed`). All of them are sent again at once; a refused connection is not one of them.
  @Test(arguments: [
    ChannelError.ioOnClosedChannel as any Error, ChannelError.eof, IOError(errnoCode: ECONNRESET, reason: "read"),
    IOError(errnoCode: EPIPE, reason: "write"), HTTPClientError.remoteConnectionClosed,
  ])
  func everyWayTheCloseShowsIsRecognised(_ error: any Error) {
    let mapped = TransportErrorMapping.requestError(
      error, url: "http://127.0.0.1:1/v1/chat/completions", timeouts: OllamaConfig.Timeouts(), firstByteWasBinding: true
    )
    #expect(TransportErrorMapping.isClosedBeforeAnswering(mapped))
    #expect(mapped.code == .serverUnreachable)
  }

  @Test func aRefusedConnectionIsNotTakenForAClosedOne() {
    let refused = TransportErrorMapping.requestError(
      IOError(errnoCode: ECONNREFUSED, reason: "connect"), url: "http://127.0.0.1:1/v1/models",
      timeouts: OllamaConfig.Timeouts(), firstByteWasBinding: true)
    #expect(!TransportErrorMapping.isClosedBeforeAnswering(refused))
  }
}
