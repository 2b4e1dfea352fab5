import FakeModelServer
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
import TestSupport
@testable import WireCore

/// The per-server concurrency limit, against the fake server over loopback HTTP.
@Suite struct RequestLimiterTests {
  func config(_ server: FakeOllamaServer, limit: Int, overall: Duration? = nil) -> OllamaConfig {
    OllamaConfig(
      baseURL: server.openAIBaseURL, timeouts: OllamaConfig.Timeouts(overall: overall),
      retry: .disabled, maxConcurrentRequestsPerServer: limit)
  }

  @Test func aBurstNeverHasMoreThanTheLimitInFlightAndAllComplete() async throws {
    try await withServer { server in
      server.inject(.delay(.milliseconds(20)), times: .always)
      let config = config(server, limit: 2)
      let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<10 { group.addTask { try await HTTPTransport.shared.data(chatRequest(config)).status } }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(statuses == Array(repeating: 200, count: 10))
      #expect(server.requestCount == 10)
      #expect(server.peakInFlightRequestCount <= 2)
      #expect(server.peakInFlightRequestCount >= 1)
      let limiter = RequestLimiter.forServer(of: server.baseURL)
      await eventually { limiter.runningCount == 0 }
      #expect(limiter.waitingCount == 0)
    }
  }

  @Test func withoutALimitTheFakeServerSeesTheWholeBurstAtOnce() async throws {
    try await withServer { server in
      server.inject(.stallBeforeHeaders(nil), times: .always)
      let config = config(server, limit: 0)
      let tasks = (0..<5).map { _ in Task { try await HTTPTransport.shared.data(chatRequest(config)) } }
      await server.waitForRequests(count: 5)
      #expect(server.inFlightRequestCount == 5)
      #expect(server.peakInFlightRequestCount == 5)
      for task in tasks { task.cancel() }
      for task in tasks { _ = await task.result }
      await eventually { server.inFlightRequestCount == 0 }
    }
  }

  @Test func cancellingAQueuedRequestFreesNothingAndLeaksNoSlot() async throws {
    try await withServer { server in
      let config = config(server, limit: 1)
      let limiter = RequestLimiter.forServer(of: server.openAIBaseURL)
      server.inject(.stallBeforeHeaders(nil), times: 1)
      let holder = Task { try await HTTPTransport.shared.data(chatRequest(config)) }
      await server.waitForRequests(count: 1)
      #expect(limiter.runningCount == 1)

      let queued = Task { try await HTTPTransport.shared.data(chatRequest(config)) }
      await eventually { limiter.waitingCount == 1 }
      queued.cancel()
      let queuedError = await #expect(throws: ModelServerError.self) { try await queued.value }
      #expect(queuedError?.code == .cancelled)
      #expect(limiter.waitingCount == 0)
      #expect(limiter.runningCount == 1, "the queued request held no slot, so it must not give one back")
      #expect(server.requestCount == 1, "the cancelled request never reached the server")

      holder.cancel()
      _ = await holder.result
      await eventually { limiter.runningCount == 0 }

      server.enqueue(.text("after"))
      let response = try await HTTPTransport.shared.data(chatRequest(config))
      #expect(response.status == 200)
      await eventually { limiter.runningCount == 0 }
      #expect(server.requestCount == 2)
    }
  }

  /// One slot for `server`; its first reply streams one event and stalls, its second answers "second".
  func stallingStreamThenAnswer(_ server: FakeOllamaServer) -> (OllamaConfig, RequestLimiter) {
    server.inject(.stallAfterEvents(1, duration: nil), times: 1)
    server.enqueue(.text("one two three", chunkSize: 4), .text("second"))
    return (config(server, limit: 1), RequestLimiter.forServer(of: server.openAIBaseURL))
  }

  @Test func aStreamHoldsItsSlotUntilItIsCancelled() async throws {
    try await withServer { server in
      let (config, limiter) = stallingStreamThenAnswer(server)
      let streaming = Task {
        let response = try await HTTPTransport.shared.send(chatRequest(config, stream: true))
        for try await _ in response.body {}
      }
      await server.waitForRequests(count: 1)
      let second = Task { try await HTTPTransport.shared.data(chatRequest(config)) }
      await eventually { limiter.waitingCount == 1 }
      #expect(limiter.runningCount == 1)
      #expect(server.requestCount == 1, "the second request waits while the stream is open")

      streaming.cancel()
      _ = await streaming.result
      let response = try await second.value
      #expect(response.status == 200)
      #expect(server.requestCount == 2)
      await eventually { limiter.runningCount == 0 }
    }
  }

  /// The transport keeps no reference to a body it handed out: a consumer that drops it mid-stream (without
  /// discarding the remainder) cancels the request, and the slot is free for the next one.
  @Test func aBodyDroppedMidStreamCancelsItsRequestAndFreesTheSlot() async throws {
    try await withServer { server in
      let (config, limiter) = stallingStreamThenAnswer(server)
      let first = try await HTTPTransport.shared.send(chatRequest(config, stream: true)).body
        .first { _ in true }
      #expect(first != nil)
      let response = try await HTTPTransport.shared.data(chatRequest(config))
      #expect(response.status == 200)
      #expect(server.requestCount == 2)
      #expect(await eventually { limiter.runningCount == 0 })
    }
  }

  @Test func aQueuedRequestGivesUpAtItsDeadlineWithAClearError() async throws {
    try await withServer { server in
      try await withVirtualTime { clock in
        let limiter = RequestLimiter.forServer(of: server.openAIBaseURL)
        let transport = HTTPTransport.shared.timed(by: clock)
        server.inject(.stallBeforeHeaders(nil), times: 1)
        let holder = Task { try await transport.data(chatRequest(config(server, limit: 1))) }
        await server.waitForRequests(count: 1)
        let queued = Pending { try await transport.data(chatRequest(config(server, limit: 1, overall: .seconds(30)))) }
        await eventually { limiter.waitingCount == 1 }
        let error = await expectTimeout(of: queued, on: clock, before: .seconds(29), phase: .deadline)
        #expect(error?.description.contains("AGENTS_MAX_CONCURRENT_REQUESTS") == true)
        #expect(limiter.waitingCount == 0)
        #expect(limiter.runningCount == 1)
        holder.cancel()
        _ = await holder.result
        await eventually { limiter.runningCount == 0 }
      }
    }
  }

  @Test func errorResponsesGiveTheirSlotBack() async throws {
    try await withServer { server in
      let limiter = RequestLimiter.forServer(of: server.openAIBaseURL)
      server.inject(.error(status: 400, message: "bad request"), times: 3)
      for _ in 0..<3 {
        await #expect(throws: ModelServerError.self) {
          _ = try await HTTPTransport.shared.data(chatRequest(config(server, limit: 1)))
        }
      }
      #expect(limiter.runningCount == 0)
      server.enqueue(.text("fine"))
      let response = try await HTTPTransport.shared.data(chatRequest(config(server, limit: 1)))
      #expect(response.status == 200)
    }
  }

  @Test func oneLimiterPerServerWhateverThePath() {
    let native = RequestLimiter.forServer(of: "http://127.0.0.1:5999")
    #expect(RequestLimiter.forServer(of: "http://127.0.0.1:5999/v1/chat/completions") === native)
    #expect(RequestLimiter.forServer(of: "http://127.0.0.1:6000/v1") !== native)
    #expect(RequestLimiter.serverKey("https://Example.com/v1") == "https://example.com:443")
  }

  /// URLs already looked up are remembered (no parse per request); past the memory's size it starts over, and
  /// every URL of a server still gets that server's limiter.
  @Test func rememberedURLsKeepTheirServersLimiter() {
    let limiter = RequestLimiter.forServer(of: "http://127.0.0.1:6001/v1/chat/completions")
    #expect(RequestLimiter.forServer(of: "http://127.0.0.1:6001/v1/chat/completions") === limiter)
    for index in 0...RequestLimiter.rememberedURLs {
      #expect(RequestLimiter.forServer(of: "http://127.0.0.1:6001/path/\(index)") === limiter)
    }
    #expect(RequestLimiter.forServer(of: "http://127.0.0.1:6001/v1/chat/completions") === limiter)
    #expect(RequestLimiter.forServer(of: "http://127.0.0.1:6002/v1/chat/completions") !== limiter)
  }

  @Test func waitersAreAdmittedInArrivalOrder() async throws {
    let limiter = RequestLimiter()
    let first = try await limiter.acquire(limit: 1)
    let order = OrderLog()
    let waiters = (0..<3).map { index in
      Task {
        await order.waitForTurn(index, limiter: limiter)
        let permit = try await limiter.acquire(limit: 1)
        await order.append(index)
        permit.release()
      }
    }
    await eventually { limiter.waitingCount == 3 }
    first.release()
    for waiter in waiters { try await waiter.value }
    #expect(await order.entries == [0, 1, 2])
    #expect(limiter.runningCount == 0)
  }

  @Test func theEnvironmentSetsTheLimit() throws {
    let unset = try OllamaConfig.fromEnvironment([:])
    let two = try OllamaConfig.fromEnvironment(["AGENTS_MAX_CONCURRENT_REQUESTS": "2"])
    let unlimited = try OllamaConfig.fromEnvironment(["AGENTS_MAX_CONCURRENT_REQUESTS": "0"])
    #expect(unset.maxConcurrentRequestsPerServer == 4)
    #expect(two.maxConcurrentRequestsPerServer == 2)
    #expect(unlimited.maxConcurrentRequestsPerServer == 0)
    let error = #expect(throws: ModelServerError.self) {
      try OllamaConfig.fromEnvironment(["AGENTS_MAX_CONCURRENT_REQUESTS": "lots"])
    }
    #expect(error?.code == .invalidConfiguration)
    #expect(error?.description.contains("AGENTS_MAX_CONCURRENT_REQUESTS") == true)
  }
}

/// Records the order waiters got their slot, and lets them queue one after another.
actor OrderLog {
  private(set) var entries: [Int] = []

  func append(_ index: Int) { entries.append(index) }

  /// Waits until the waiters before `index` have queued, so they queue in index order.
  func waitForTurn(_ index: Int, limiter: RequestLimiter) async {
    while limiter.waitingCount < index { await Task.yield() }
  }
}
