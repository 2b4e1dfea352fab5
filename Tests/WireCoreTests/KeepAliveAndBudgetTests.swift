import FakeModelServer
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
import TestSupport
@testable import WireCore

/// Keep-alives do not keep a stream alive, and one ``RequestBudget`` bounds several requests, on virtual time.
@Suite(.timeLimit(.minutes(1))) struct KeepAliveAndBudgetTests {
  func config(_ server: FakeOllamaServer, timeouts: OllamaConfig.Timeouts) -> OllamaConfig {
    OllamaConfig(baseURL: server.openAIBaseURL, timeouts: timeouts, retry: .disabled)
  }

  /// A streamed chat request that accepts `text/event-stream`, as the chat client sends it.
  func streamRequest(_ config: OllamaConfig) -> TransportRequest {
    let body = #"{"model":"llama3.2","stream":true,"messages":[{"role":"user","content":"hi"}]}"#
    return TransportRequest(
      .POST, path: "/chat/completions", baseURL: config.baseURL, config: config, body: Array(body.utf8),
      accept: "text/event-stream")
  }

  /// Reads `response`'s body in its own task and reports each chunk's arrival, so the test can move virtual time
  /// between chunks that arrive in real time.
  func reading(_ response: TransportResponse) -> (Pending<Void>, AsyncStream<String>) {
    let (arrivals, arrived) = AsyncStream<String>.makeStream()
    let reader = Pending {
      defer { arrived.finish() }
      for try await chunk in response.body { arrived.yield(String(buffer: chunk)) }
    }
    return (reader, arrivals)
  }

  /// Waits until a chunk containing `text` has arrived.
  func waitFor(_ text: String, in arrivals: inout AsyncStream<String>.AsyncIterator) async {
    while let chunk = await arrivals.next(), !chunk.contains(text) {}
  }

  @Test(arguments: [": keep-alive\n\n", "data:\n\n"])
  func keepAlivesDoNotResetTheIdleTimeout(frame: String) async throws {
    try await withServer { server in
      try await withVirtualTime { clock in
        server.inject(.keepAliveAfterEvents(1, every: .milliseconds(5), frame: Array(frame.utf8)), times: 1)
        server.enqueue(.text("one two three", chunkSize: 4))
        let config = config(server, timeouts: OllamaConfig.Timeouts(firstByte: .seconds(600), idle: .seconds(120)))
        let response = try await HTTPTransport.shared.timed(by: clock).send(streamRequest(config))
        let (reader, arrivals) = reading(response)
        var iterator = arrivals.makeAsyncIterator()
        await waitFor("data: {", in: &iterator)
        // Keep-alives keep arriving while virtual time moves on (the real pause makes sure some arrive after each
        // move); before the fix each one reset the timer.
        for _ in 0..<3 {
          await clock.advanceTime(by: .seconds(30))
          try await Task.sleep(for: .milliseconds(20))
          await waitFor(frame, in: &iterator)
        }
        await expectTimeout(of: reader, on: clock, lastStep: .seconds(30), phase: .idle, limit: .seconds(120))
      }
    }
  }

  @Test func oneBudgetBoundsRequestsMadeOneAfterAnother() async throws {
    try await withServer { server in
      try await withVirtualTime { clock in
        let transport = HTTPTransport.shared.timed(by: clock)
        server.inject(.stallBeforeHeaders(nil), times: 2)
        let config = config(server, timeouts: OllamaConfig.Timeouts(firstByte: .seconds(600), idle: .seconds(600)))
        let work = Pending {
          try await RequestBudget.withBudget(.seconds(90), startingAt: clock.now) {
            // The first request gives up after its own 60 s; the second has only the 30 s left of the budget.
            var first = chatRequest(config)
            first.timeouts.firstByte = .seconds(60)
            _ = try? await transport.data(first)
            _ = try await transport.data(chatRequest(config))
          }
        }
        await server.waitForRequests(count: 1)
        await clock.advanceTime(by: .seconds(60))
        await server.waitForRequests(count: 2)
        let error = await expectTimeout(of: work, on: clock, before: .seconds(29), phase: .budget, limit: .seconds(90))
        #expect(error?.description.contains("time budget") == true)
      }
    }
  }

  @Test func theBudgetEndsAStreamThatKeepsSendingRealEvents() async throws {
    try await withServer { server in
      try await withVirtualTime { clock in
        // Real (non-empty) events forever: only the budget can end it.
        let event = Array("data: {\"choices\":[]}\n\n".utf8)
        server.inject(.keepAliveAfterEvents(1, every: .milliseconds(5), frame: event), times: 1)
        server.enqueue(.text("endless"))
        let config = config(server, timeouts: OllamaConfig.Timeouts(firstByte: .seconds(600), idle: .seconds(600)))
        let transport = HTTPTransport.shared.timed(by: clock)
        let response = try await RequestBudget.withBudget(.seconds(45), startingAt: clock.now) {
          try await transport.send(streamRequest(config))
        }
        let (reader, arrivals) = reading(response)
        var iterator = arrivals.makeAsyncIterator()
        await waitFor("choices", in: &iterator)
        await clock.advanceTime(by: .seconds(44))
        await waitFor("choices", in: &iterator)
        await expectTimeout(of: reader, on: clock, phase: .budget, limit: .seconds(45))
      }
    }
  }

  @Test func anInnerBudgetCannotOutlastTheOuterOne() async throws {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    await RequestBudget.withBudget(.seconds(10), startingAt: start) {
      await RequestBudget.withBudget(.seconds(60), startingAt: start) {
        #expect(RequestBudget.current?.limit == .seconds(10))
      }
      await RequestBudget.withBudget(.seconds(5), startingAt: start) {
        #expect(RequestBudget.current?.limit == .seconds(5))
      }
    }
    #expect(RequestBudget.current == nil)
  }
}
