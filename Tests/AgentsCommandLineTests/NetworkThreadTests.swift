#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport
import WireCore

@testable import AgentsCommandLine

/// A question that is the only run in progress works on the thread the model's answers arrive on
/// (``AppServices/alone(_:)``); without that thread it stays on the concurrency pool.
@Suite struct NetworkThreadTests {
  static func services(home: String) throws -> AppServices {
    try AppBootstrap.services(
      options: GlobalOptions(baseURL: "http://127.0.0.1:9/v1"), environment: ["AGENTS_HOME": home],
      capabilities: .plain,
      console: Console(
        out: CapturingSink(), err: CapturingSink(), style: TextStyle(enabled: false), interactive: false),
      store: .none)
  }

  /// The name of the thread running the caller (Linux: `/proc/thread-self/comm`).
  static func threadName() -> String {
    let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
    return name.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test func aLoneQuestionRunsOnTheTransportsNetworkThread() async throws {
    let home = try TemporaryDirectory()
    let services = try Self.services(home: home.path)
    let executor = try #require(services.networkExecutor)
    #expect(executor === HTTPTransport.shared.responseExecutor)
    let (name, afterAwait) = await services.alone {
      let before = Self.threadName()
      await Task.yield()  // resumed on the same executor after a suspension
      return (before, Self.threadName())
    }
    #expect(name.hasPrefix("NIO-"), "ran on \(name)")
    #expect(afterAwait == name)
  }

  @Test func withoutANetworkThreadTheQuestionStaysOnThePool() async throws {
    let home = try TemporaryDirectory()
    var services = try Self.services(home: home.path)
    services.networkExecutor = nil
    let name = await services.alone { Self.threadName() }
    #expect(!name.hasPrefix("NIO-"), "ran on \(name)")
  }
}
