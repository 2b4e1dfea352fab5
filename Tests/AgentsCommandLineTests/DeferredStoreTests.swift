import AgentsTesting
import Foundation
import Synchronization
import Testing
import TestSupport

@testable import AgentsCommandLine
@testable import AgentsStore

/// `agents ask` without a session opens the data directory's store only to record the run
/// (``AppBootstrap/StoreUse/afterAnswer``): the answer does not wait for the store, and the run is still recorded.
@Suite struct DeferredStoreTests {
  static func services(
    _ server: FakeOllamaServer, home: String, out: CapturingSink, store: AppBootstrap.StoreUse,
    verbose: Bool = false, responseCache: Bool? = nil
  ) throws -> AppServices {
    try AppBootstrap.services(
      options: GlobalOptions(baseURL: server.openAIBaseURL, verbose: verbose, responseCache: responseCache),
      environment: ["AGENTS_HOME": home], capabilities: .plain,
      console: Console(out: out, err: CapturingSink(), style: TextStyle(enabled: false), interactive: false),
      store: store)
  }

  /// Another writer holds the store's write lock for as long as the test says (a second `agents` saving a long
  /// session would): the answer is printed while the lock is held, and the run is recorded after it is released.
  /// Opening the store first (as before) waited for the lock before asking.
  @Test func theAnswerDoesNotWaitForTheStoreAndTheRunIsRecordedAfterwards() async throws {
    let server = try await FakeOllamaServer.start()
    let home = try TemporaryDirectory()
    let database = try AgentsDatabase.open(in: DataDirectory.resolve(environment: ["AGENTS_HOME": home.path]))
    let release = DispatchSemaphore(value: 0)
    let (locked, lockHeld) = AsyncStream.makeStream(of: Void.self)
    let holder = Task.detached {
      try await database.write("holding the write lock") { _ in
        lockHeld.yield()
        release.wait()
      }
    }
    for await _ in locked { break }
    // If the answer waited for the store it would never come: release the lock after a while so the test ends.
    let releasedByWatchdog = Mutex(false)
    let watchdog = Task.detached {
      try await Task.sleep(for: .seconds(30))
      releasedByWatchdog.withLock { $0 = true }
      release.signal()
    }
    let out = CapturingSink()
    let (written, wrote) = AsyncStream.makeStream(of: String.self)
    out.onWrite { wrote.yield($0) }
    server.enqueue(.text("Blue."))
    let services = try Self.services(server, home: home.path, out: out, store: .afterAnswer)
    #expect(services.runStore == nil && services.deferredRunStore != nil)
    let asking = Task { await AskCommand(services: services, readStandardInput: { "" }).run(.init(prompt: ["sea?"])) }
    var answeredWhileLocked = false
    for await _ in written where out.text.contains("Blue.") {
      answeredWhileLocked = !releasedByWatchdog.withLock { $0 }
      break
    }
    watchdog.cancel()
    if !releasedByWatchdog.withLock({ $0 }) { release.signal() }
    let status = await asking.value
    try await holder.value
    #expect(answeredWhileLocked, "the answer waited for the store's lock")
    #expect(status == 0)
    #expect(out.text == "Blue.\n")
    #expect(try await RunStore(database: database).count() == 1)
    await services.shutDown()
    try await server.shutdown()
  }

  /// With --verbose (which says at once why nothing would be saved) or the response cache (read before the question
  /// is sent), the store opens first, as for the other commands.
  @Test func verboseAndTheResponseCacheOpenTheStoreFirst() async throws {
    let server = try await FakeOllamaServer.start()
    let home = try TemporaryDirectory()
    let out = CapturingSink()
    let verbose = try Self.services(server, home: home.path, out: out, store: .afterAnswer, verbose: true)
    #expect(verbose.runStore != nil && verbose.deferredRunStore == nil)
    let cached = try Self.services(server, home: home.path, out: out, store: .afterAnswer, responseCache: true)
    #expect(cached.runStore != nil && cached.deferredRunStore == nil)
    let listing = try Self.services(server, home: home.path, out: out, store: .none)
    #expect(listing.runStore == nil && listing.deferredRunStore == nil)
    try await server.shutdown()
  }

  /// A data directory that cannot hold the store: the answer comes, nothing is recorded, and nothing is said
  /// (as when the store was opened first: a question without a session keeps nothing).
  @Test func aBrokenDataDirectoryLosesOnlyTheRecord() async throws {
    let server = try await FakeOllamaServer.start()
    let home = try TemporaryDirectory()
    let file = home.path + "/not-a-directory"
    try Data("a file".utf8).write(to: URL(fileURLWithPath: file))
    let out = CapturingSink()
    server.enqueue(.text("Blue."))
    let services = try Self.services(server, home: file, out: out, store: .afterAnswer)
    let status = await AskCommand(services: services, readStandardInput: { "" }).run(.init(prompt: ["sea?"]))
    #expect(status == 0)
    #expect(out.text == "Blue.\n")
    let opened = await services.deferredRunStore?.opened()
    #expect(opened?.database == nil)
    #expect(opened?.problem?.message.contains("is a file") == true, "\(String(describing: opened?.problem))")
    await services.shutDown()
    try await server.shutdown()
  }
}
