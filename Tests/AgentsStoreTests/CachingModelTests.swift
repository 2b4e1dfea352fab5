import AgentsTesting
import Foundation
import OpenAICompatible
import Testing

@testable import AgentsStore

@Suite("Cached-response fallback")
struct CachingModelTests {
  /// A fake Ollama server, a chat model on it (no retries) and a caching wrapper over a temporary store.
  struct Fixture {
    let store: TemporaryStore
    let server: FakeOllamaServer
    let cache: ResponseCache
    let model: CachingModel
    let exporter = PrometheusExporter()

    init() async throws {
      store = try TemporaryStore()
      server = try await FakeOllamaServer.start()
      let client = ChatCompletionsClient(config: OllamaConfig(baseURL: server.openAIBaseURL, retry: .disabled))
      cache = ResponseCache(database: store.database)
      model = CachingModel(
        wrapping: ChatCompletionsModel(name: "llama3.2", client: client), cache: cache, metrics: exporter.recorder)
    }
  }

  static func request(_ text: String, temperature: Double? = nil) throws -> ModelRequest {
    ModelRequest(
      systemPrompt: "Be brief.", input: [.user(text)], settings: try ModelSettings(temperature: temperature),
      agentName: "helper")
  }

  @Test("when the server is unreachable, an identical request is answered from the cache, marked as cached")
  func fallback() async throws {
    let fixture = try await Fixture()
    fixture.server.enqueue(.text("Paris."))
    let live = try await fixture.model.response(to: try Self.request("Capital of France?"))
    #expect(live.text == "Paris.")
    #expect(live.servedFromCache == false)
    #expect(try await fixture.cache.statistics().entries == 1)

    try await fixture.server.shutdown()
    let cached = try await fixture.model.response(to: try Self.request("Capital of France?"))
    #expect(cached.text == "Paris.")
    #expect(cached.servedFromCache)
    #expect(cached.usage == nil)
    #expect(fixture.exporter.render().contains(#"agents_cache_hits_total{model="llama3.2"} 1"#))

    await #expect {
      _ = try await fixture.model.response(to: try Self.request("Capital of Spain?"))
    } throws: { error in
      (error as? ModelServerError)?.code == .serverUnreachable
    }
    await #expect(throws: ModelServerError.self) {
      _ = try await fixture.model.response(to: try Self.request("Capital of France?", temperature: 1.5))
    }
  }

  @Test("a streamed call replays the cached answer when the server is unreachable")
  func streamedFallback() async throws {
    let fixture = try await Fixture()
    fixture.server.enqueue(.text("Blue because of Rayleigh scattering.", chunkSize: 5))
    var live: [ModelStreamEvent] = []
    for try await event in fixture.model.streamResponse(to: try Self.request("Why is the sky blue?")) {
      live.append(event)
    }
    #expect(live.count > 2)

    try await fixture.server.shutdown()
    var replay: [ModelStreamEvent] = []
    for try await event in fixture.model.streamResponse(to: try Self.request("Why is the sky blue?")) {
      replay.append(event)
    }
    #expect(replay.first == .textDelta("Blue because of Rayleigh scattering."))
    guard case .completed(let response) = replay.last else {
      Issue.record("the replay did not end with a completed response: \(replay)")
      return
    }
    #expect(response.servedFromCache)
    #expect(response.text == "Blue because of Rayleigh scattering.")
  }

  @Test("other server errors are not answered from the cache")
  func noFallbackOnOtherErrors() async throws {
    let fixture = try await Fixture()
    fixture.server.enqueue(.text("Paris."))
    _ = try await fixture.model.response(to: try Self.request("Capital of France?"))
    fixture.server.inject(.serverBusy(retryAfterSeconds: 0))
    await #expect {
      _ = try await fixture.model.response(to: try Self.request("Capital of France?"))
    } throws: { error in
      (error as? ModelServerError)?.code == .httpStatus
    }
    try await fixture.server.shutdown()
  }

  @Test("a run answered from the cache says so in its result and its run record")
  func runMarkedCached() async throws {
    let fixture = try await Fixture()
    let agent = Agent(name: "helper", instructions: "Be brief.", model: .model(fixture.model))
    fixture.server.enqueue(.text("Hello!"))
    let runs = RunStore(database: fixture.store.database)
    let recorder = RunRecorder(runs: runs)
    let first = try await recorder.recording(agent: "helper", model: "llama3.2", server: ServerAddress(fixture.server.baseURL)) {
      try await Runner().run(agent, input: "Say hello")
    }
    #expect(first.servedFromCache == false)

    try await fixture.server.shutdown()
    let second = try await recorder.recording(agent: "helper", model: "llama3.2", server: ServerAddress(fixture.server.baseURL)) {
      try await Runner().run(agent, input: "Say hello")
    }
    #expect(second.finalOutputText == "Hello!")
    #expect(second.servedFromCache)
    #expect(try await runs.runs().map(\.servedFromCache) == [true, false])
    #expect(try await runs.usageReport().totals.cachedRuns == 1)
  }
}

@Suite("Request cache keys")
struct RequestCacheKeyTests {
  @Test("every model setting takes part in the key")
  func everySettingCounts() throws {
    // If the SDK adds a setting, this fails until CacheKey.settingsDescription includes it.
    let fields = Mirror(reflecting: ModelSettings()).children.count
    guard case .object(let described) = CacheKey.settingsDescription(ModelSettings()) else {
      Issue.record("settings are not described as an object")
      return
    }
    #expect(described.count == fields)

    let base = ModelSettings()
    let variants: [ModelSettings] = [
      try ModelSettings(temperature: 0.1), try ModelSettings(topP: 0.5), try ModelSettings(maxTokens: 10),
      try ModelSettings(toolChoice: .required), try ModelSettings(parallelToolCalls: false), try ModelSettings(seed: 7),
      try ModelSettings(stop: ["END"]), try ModelSettings(reasoningEffort: "low"), try ModelSettings(frequencyPenalty: 1),
      try ModelSettings(presencePenalty: 1), try ModelSettings(includeUsage: false),
      try ModelSettings(extraBody: ["num_ctx": 8192]),
    ]
    #expect(variants.count == fields)
    let baseKey = try CacheKey(model: "m", request: ModelRequest(systemPrompt: nil, input: [], settings: base))
    let keys = try variants.map { try CacheKey(model: "m", request: ModelRequest(systemPrompt: nil, input: [], settings: $0)) }
    #expect(Set(keys + [baseKey]).count == fields + 1)
  }

  @Test("model, prompt, input, tools and format change the key; the agent's name does not")
  func keyParts() throws {
    let request = ModelRequest(systemPrompt: "s", input: [.user("hi")], agentName: "a")
    let key = try CacheKey(model: "m", request: request)
    var otherAgent = request
    otherAgent.agentName = "b"
    #expect(try CacheKey(model: "m", request: otherAgent) == key)
    #expect(try CacheKey(model: "n", request: request) != key)
    var changes: [ModelRequest] = []
    var prompt = request
    prompt.systemPrompt = "t"
    changes.append(prompt)
    var input = request
    input.input.append(.assistant("hello"))
    changes.append(input)
    var tools = request
    tools.tools = [weatherTool.definition]
    changes.append(tools)
    var format = request
    format.outputFormat = .jsonObject
    changes.append(format)
    for changed in changes { #expect(try CacheKey(model: "m", request: changed) != key) }
  }
}
