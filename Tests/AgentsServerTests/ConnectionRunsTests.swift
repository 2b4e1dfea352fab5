import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import AgentsServer

/// Runs are cancelled when their connection closes, and a kept-alive connection keeps nothing of the requests that
/// finished on it (it used to keep one callback, holding its run, per request until it closed).
@Suite("runs watched per client connection")
struct ConnectionRunsTests {
  @Test("a thousand requests on one kept-alive connection leave nothing behind")
  func finishedRunsAreForgotten() throws {
    let runs = ConnectionRuns()
    let channel = EmbeddedChannel()
    let cancelled = Mutex(0)
    for _ in 0..<1000 {
      let watch = runs.watch(channel) { cancelled.withLock { $0 += 1 } }
      #expect(runs.watchedRuns == 1)
      runs.end(watch)
    }
    #expect(runs.watchedRuns == 0)
    #expect(runs.watchedConnections == 1)
    try channel.close().wait()
    channel.embeddedEventLoop.run()
    #expect(runs.watchedConnections == 0)
    #expect(cancelled.withLock { $0 } == 0)
  }

  @Test("closing a connection cancels the runs still going on it, and only those")
  func closingCancelsTheRunsOfThatConnection() throws {
    let runs = ConnectionRuns()
    let (first, second) = (EmbeddedChannel(), EmbeddedChannel())
    let cancelled = Mutex<[String]>([])
    _ = runs.watch(first) { cancelled.withLock { $0.append("first a") } }
    runs.end(runs.watch(first) { cancelled.withLock { $0.append("first b, finished") } })
    _ = runs.watch(first) { cancelled.withLock { $0.append("first c") } }
    _ = runs.watch(second) { cancelled.withLock { $0.append("second") } }
    try first.close().wait()
    first.embeddedEventLoop.run()
    #expect(cancelled.withLock { $0.sorted() } == ["first a", "first c"])
    #expect(runs.watchedRuns == 1)
    try second.close().wait()
    second.embeddedEventLoop.run()
    #expect(cancelled.withLock { $0.sorted() } == ["first a", "first c", "second"])
    #expect(runs.watchedRuns == 0)
  }

  @Test("a run watched on a connection that closed already is cancelled at once")
  func aClosedConnectionCancelsAtOnce() throws {
    let runs = ConnectionRuns()
    let channel = EmbeddedChannel()
    try channel.close().wait()
    let cancelled = Mutex(false)
    _ = runs.watch(channel) { cancelled.withLock { $0 = true } }
    channel.embeddedEventLoop.run()
    #expect(cancelled.withLock { $0 })
    #expect(runs.watchedRuns == 0)
  }
}
