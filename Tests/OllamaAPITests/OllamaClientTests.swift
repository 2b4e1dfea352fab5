import FakeModelServer
import NIOHTTP1
import OllamaAPI
import Testing
import TestSupport
import WireCore

/// A client for `server`'s native API, configured like a user would: with the `/v1` base URL.
private func client(_ server: FakeOllamaServer, apiKey: String = "ollama") -> OllamaClient {
  OllamaClient(config: OllamaConfig(baseURL: server.openAIBaseURL, apiKey: apiKey, retry: .disabled))
}

/// The `ModelServerError` `body` throws, or `nil`.
private func modelServerError(_ body: () async throws -> Void) async -> ModelServerError? {
  do {
    try await body()
    return nil
  } catch {
    return error as? ModelServerError
  }
}

@Suite("OllamaClient against the fake server")
struct OllamaClientTests {
  @Test func healthVersionAndNativeRootDerivedFromV1() async throws {
    try await withServer { server in
      let ollama = client(server)
      #expect(ollama.nativeBaseURL == server.baseURL)
      try await ollama.checkHealth()
      #expect(await ollama.isRunning())
      #expect(try await ollama.version() == OllamaVersion("0.32.15"))
      #expect(server.requests.map(\.path) == ["/", "/", "/api/version"])
      #expect(server.lastRequest?.header("authorization") == "Bearer ollama")
    }
  }

  @Test func unreachableServerIsServerUnreachable() async throws {
    let server = try await FakeOllamaServer.start()
    let ollama = client(server)
    try await server.shutdown()
    let error = await modelServerError { try await ollama.checkHealth() }
    #expect(error?.code == .serverUnreachable)
    #expect(error?.description.contains("ollama serve") == true, "\(String(describing: error))")
    #expect(await ollama.isRunning() == false)
  }

  @Test func somethingElseAnsweringIsNotOllama() async throws {
    try await withServer { server in
      server.inject(.respond(status: 200, headers: [("Content-Type", "text/html")], body: Array("<html>hi</html>".utf8)))
      let error = await modelServerError { try await client(server).checkHealth() }
      #expect(error?.code == .malformedResponse)
    }
  }

  @Test func listModelsWithDetailsAndCapabilities() async throws {
    try await withServer { server in
      let models = try await client(server).listModels()
      #expect(models.map(\.name) == ["llama3.2:latest", "gemma:2b"])
      #expect(models[0].details?.family == "llama")
      #expect(models[0].details?.parameterSize == "3.2B")
      #expect(models[0].details?.quantizationLevel == "Q4_K_M")
      #expect(models[0].size == 2_019_393_189)
      #expect(models[0].capabilities == [.completion, .tools])
      #expect(models[1].capabilities == [.completion])
    }
  }

  @Test func showGivesCapabilitiesAndContextLength() async throws {
    try await withServer { server in
      let info = try await client(server).show("llama3.2")
      #expect(info.contextLength == 131_072)
      #expect(info.supports(.tools))
      #expect(info.architecture == "llama")
      #expect(info.template == "{{ .Prompt }}")
      #expect(server.lastRequest?.json == ["model": "llama3.2"])
      let gemma = try await client(server).show("gemma:2b")
      #expect(!gemma.supports(.tools))
      #expect(gemma.contextLength == 8192)
    }
  }

  @Test func missingModelIsModelNotFoundWithClosestNames() async throws {
    try await withServer { server in
      let error = await modelServerError { _ = try await client(server).show("llama3.3") }
      #expect(error?.code == .modelNotFound)
      #expect(error?.status == 404)
      #expect(error?.serverMessage == "model 'llama3.3:latest' not found")
      #expect(error?.closestModels == ["llama3.2:latest"])
      #expect(error?.description.contains("ollama pull llama3.3") == true)

      let deleteError = await modelServerError { try await client(server).delete("nope") }
      #expect(deleteError?.code == .modelNotFound)
    }
  }

  @Test func runningModelsAndDelete() async throws {
    try await withServer { server in
      let ollama = client(server)
      #expect(try await ollama.runningModels().isEmpty)
      _ = try await TestChat.send(server, model: "gemma:2b")
      let running = try await ollama.runningModels()
      #expect(running.map(\.name) == ["gemma:2b"])
      #expect(running.first?.contextLength == 8192)

      try await ollama.delete("gemma:2b")
      #expect(server.lastRequest?.method == "DELETE")
      #expect(try await ollama.listModels().map(\.name) == ["llama3.2:latest"])
    }
  }

  @Test func serverErrorsKeepTheServersMessage() async throws {
    try await withServer { server in
      server.inject(.error(status: 500, message: "something broke"))
      let error = await modelServerError { _ = try await client(server).listModels() }
      #expect(error?.code == .httpStatus)
      #expect(error?.status == 500)
      #expect(error?.serverMessage == "something broke")
    }
  }

  @Test func malformedBodiesAreMalformedResponses() async throws {
    try await withServer { server in
      server.inject(.malformedJSON, on: "/api/tags")
      let garbage = await modelServerError { _ = try await client(server).listModels() }
      #expect(garbage?.code == .malformedResponse)
      server.inject(.wrongShape(["models": "not a list"]), on: "/api/tags")
      let wrongShape = await modelServerError { _ = try await client(server).listModels() }
      #expect(wrongShape?.code == .malformedResponse)
      #expect(wrongShape?.description.contains("models") == true)
    }
  }

  @Test func apiKeyNeverAppearsInErrors() async throws {
    try await withServer { server in
      let secret = "sk-test-0123456789abcdef"
      server.inject(.error(status: 400, message: "bad key \(secret)"))
      let error = await modelServerError { _ = try await client(server, apiKey: secret).version() }
      #expect(error?.status == 400)
      #expect(error?.description.contains(secret) == false)
      #expect(error?.serverMessage?.contains(secret) == false)
      #expect(server.lastRequest?.header("authorization") == "Bearer \(secret)")
    }
  }

  @Test func genericOpenAIServersHaveNoNativeAPI() async throws {
    let ollama = OllamaClient(config: OllamaConfig(provider: .openAI, baseURL: "http://127.0.0.1:1/v1"))
    let error = await modelServerError { _ = try await ollama.version() }
    #expect(error?.code == .invalidConfiguration)
  }
}

/// Sends one chat through the fake server's /v1 endpoint so the model shows up in `/api/ps`.
enum TestChat {
  static func send(_ server: FakeOllamaServer, model: String) async throws -> JSONValue {
    let transport = HTTPTransport.shared
    let body: JSONValue = ["model": .string(model), "messages": [["role": "user", "content": "hi"]]]
    let request = TransportRequest(
      .POST, path: "/chat/completions", baseURL: server.openAIBaseURL, config: OllamaConfig(), body: body.jsonBytes)
    return try JSONValue.parse(try await transport.data(request).body)
  }
}
