import FakeModelServer
import OllamaAPI
import Testing
import WireCore

private func client(_ server: FakeOllamaServer) -> OllamaClient {
  OllamaClient(config: OllamaConfig(baseURL: server.openAIBaseURL, retry: .disabled))
}

/// Pulls `model` to the end and returns every event, or the `ModelServerError` that stopped it.
private func pullAll(_ server: FakeOllamaServer, _ model: String) async -> (events: [OllamaPullProgress], error: ModelServerError?) {
  var events: [OllamaPullProgress] = []
  do {
    for try await progress in try await client(server).pull(model) { events.append(progress) }
    return (events, nil)
  } catch {
    return (events, error as? ModelServerError)
  }
}

@Suite("OllamaClient.pull")
struct OllamaPullTests {
  @Test func progressSumsLayersAndEndsWithSuccess() async throws {
    let server = try await FakeOllamaServer.start()
    let (events, error) = await pullAll(server, "qwen3:8b")
    #expect(error == nil)
    #expect(events.first?.status == "pulling manifest")
    let last = try #require(events.last)
    #expect(last.isSuccess)
    #expect(last.totalBytes == Int64(FakeOllamaServer.Model.qwen3.size))
    #expect(last.completedBytes == last.totalBytes)
    #expect(last.layers.count == 4)
    // Totals only grow.
    let completed = events.map(\.completedBytes)
    #expect(completed == completed.sorted())
    let layerEvent = try #require(events.first { $0.digest != nil })
    #expect(layerEvent.layer?.total == layerEvent.layers.first?.progress.total)
    #expect(server.lastRequest?.json == ["model": "qwen3:8b", "stream": true])
    #expect(try await client(server).listModels().contains { $0.name == "qwen3:8b" })
    try await server.shutdown()
  }

  @Test func pullToCompletionReportsEveryEvent() async throws {
    let server = try await FakeOllamaServer.start()
    var count = 0
    let last = try await client(server).pullToCompletion("all-minilm") { _ in count += 1 }
    #expect(last.isSuccess)
    #expect(count == 1 + 4 * 3 + 3)  // manifest, 4 layers × 3 lines, verify/write/success
    try await server.shutdown()
  }

  @Test func unknownModelIsModelNotFoundAfterHTTP200() async throws {
    let server = try await FakeOllamaServer.start()
    let (events, error) = await pullAll(server, "no-such-model")
    #expect(events.map(\.status) == ["pulling manifest"])
    #expect(error?.code == .modelNotFound)
    #expect(error?.serverMessage == "pull model manifest: file does not exist")
    #expect(error?.description.contains("no-such-model") == true)
    try await server.shutdown()
  }

  @Test func errorLineMidPullIsAStreamError() async throws {
    let server = try await FakeOllamaServer.start()
    server.inject(.midStreamError(afterEvents: 3, message: "disk full"))
    let (events, error) = await pullAll(server, "qwen3:8b")
    #expect(events.count == 3)
    #expect(error?.code == .streamError)
    #expect(error?.serverMessage == "disk full")
    try await server.shutdown()
  }

  @Test func pullEndingWithoutSuccessIsCut() async throws {
    let server = try await FakeOllamaServer.start()
    server.inject(.endAfterEvents(4))
    let (events, error) = await pullAll(server, "qwen3:8b")
    #expect(events.count == 4)
    #expect(error?.code == .streamCut)
    try await server.shutdown()
  }

  @Test func brokenConnectionMidPullIsAnError() async throws {
    let server = try await FakeOllamaServer.start()
    server.inject(.cutAfterEvents(2))
    let (events, error) = await pullAll(server, "qwen3:8b")
    #expect(events.count <= 2)
    #expect(error != nil)
    #expect(error?.code != .modelNotFound)
    try await server.shutdown()
  }

  @Test func malformedLinesAreMalformedResponses() async throws {
    let server = try await FakeOllamaServer.start()
    server.inject(.malformedJSON, on: "/api/pull")
    #expect(await pullAll(server, "qwen3:8b").error?.code == .malformedResponse)
    server.inject(.wrongShape(["unexpected": true]), on: "/api/pull")
    #expect(await pullAll(server, "qwen3:8b").error?.code == .malformedResponse)
    try await server.shutdown()
  }

  @Test func cancellingTheTaskStopsAStalledPull() async throws {
    let server = try await FakeOllamaServer.start()
    server.inject(.stallAfterEvents(2, duration: nil))
    let (received, receivedContinuation) = AsyncStream<Int>.makeStream()
    let pulling = Task { () -> ModelServerError? in
      do {
        var count = 0
        for try await _ in try await client(server).pull("qwen3:8b") {
          count += 1
          receivedContinuation.yield(count)
        }
        return nil
      } catch {
        return error as? ModelServerError
      }
    }
    for await count in received where count == 2 { break }
    pulling.cancel()
    let error = await pulling.value
    #expect(error?.code == .cancelled)
    try await server.shutdown()
  }
}
