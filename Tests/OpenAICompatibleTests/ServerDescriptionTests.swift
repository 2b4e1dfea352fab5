import FakeModelServer
import Foundation
import OpenAICompatible
import Testing
import TestSupport
import WireCore

/// What a server tells about itself and its model (`agents doctor`, the chat banner): read from real llama.cpp
/// answers (the `xllamacpp` wheel's server with Qwen2.5-Coder-0.5B, recorded) replayed over loopback.
@Suite struct ServerDescriptionTests {
  func recorded(_ name: String) throws -> [UInt8] {
    try Fixture.bytes("llama-server/\(name).response.json")
  }

  func client(_ server: FakeOllamaServer) -> ChatCompletionsClient {
    ChatCompletionsClient(config: OllamaConfig(provider: .openAI, baseURL: server.openAIBaseURL, retry: .disabled))
  }

  @Test func llamaCppTellsTheModelsSizeFileAndToolSupport() async throws {
    try await withServer { server in
      let json = [("Content-Type", "application/json; charset=utf-8")]
      server.inject(.respond(status: 200, headers: json, body: try recorded("qwen-models")), on: "/v1/models", times: 1)
      server.inject(.respond(status: 200, headers: json, body: try recorded("qwen-props")), on: "/props", times: 1)
      let described = try await client(server).describeServer(model: "qwen2.5-coder-0.5b")
      #expect(described.software == .llamaCpp)
      #expect(described.model == "qwen2.5-coder-0.5b")
      #expect(described.parameters == 630_167_424)
      #expect(described.quantization == "Q4_K - Medium")
      #expect(described.size == 485_452_288)
      #expect(described.contextLength == 4096 && described.trainedContextLength == 32_768)
      #expect(described.modelFile?.hasSuffix("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf") == true)
      #expect(described.templateSupportsTools == true)
      #expect(described.modelFacts == "630M parameters, Q4_K - Medium, context 4096 of 32768")
    }
  }

  @Test func aServerWithoutPropsStillDescribesItsModel() async throws {
    try await withServer { server in
      server.inject(
        .respond(
          status: 200, headers: [("Content-Type", "application/json")], body: try recorded("qwen-models")),
        on: "/v1/models", times: 1)
      server.inject(.error(status: 404, message: "File Not Found"), on: "/props", times: 1)
      let described = try await client(server).describeServer(model: "qwen2.5-coder-0.5b")
      #expect(described.software == .llamaCpp && described.parameters == 630_167_424)
      #expect(described.modelFile == nil && described.templateSupportsTools == nil)
    }
  }

  @Test func ollamaListsNoSoftwareAndPropsIsNotAsked() async throws {
    try await withServer { server in
      let described = try await client(server).describeServer(model: "llama3.2")
      #expect(described.software == nil)
      #expect(described.model == "llama3.2:latest")
      #expect(described.modelFacts.isEmpty)
      #expect(server.requests(to: "/props").isEmpty)
    }
  }

  @Test(arguments: [
    ("vllm", ServerDescription.Software.vllm), ("system", .openAI), ("ollama-agents", .ollamaAgents),
    ("library", nil), ("alice", nil),
  ])
  func theOwnerNamesTheSoftware(ownedBy: String, software: ServerDescription.Software?) {
    let listing = [
      ModelInfo(id: "m", ownedBy: ownedBy, raw: ["id": "m", "owned_by": .string(ownedBy), "max_model_len": 8192])
    ]
    let described = ServerDescription(listing: listing, model: "m")
    #expect(described.software == software)
    #expect(described.contextLength == 8192)
  }

  @Test(arguments: [(630_167_424, "630M"), (7_241_732_096, "7.2B"), (70_553_706_496, "70B"), (135_000, "135000")])
  func parameterCountsReadAsPeopleWriteThem(count: Int, text: String) {
    #expect(ServerDescription.readable(count) == text)
  }
}
