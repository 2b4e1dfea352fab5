import FakeModelServer
import NIOHTTP1
import Testing
import WireCore
import TestSupport

@Suite("/v1/models and /v1/embeddings")
struct OpenAIModelsAndEmbeddingsTests {
  @Test func modelsListAndRetrieve() async throws {
    try await withServer { server in
      let list = try await TestHTTP.get(server.openAIBaseURL + "/models").json
      #expect(list["object"] == "list")
      #expect(
        list["data"]?.arrayValue?.first
          == ["id": "llama3.2:latest", "object": "model", "created": 1_746_405_464, "owned_by": "library"]
      )
      let one = try await TestHTTP.get(server.openAIBaseURL + "/models/llama3.2").json
      #expect(one["id"] == "llama3.2")
      let missing = try await TestHTTP.get(server.openAIBaseURL + "/models/nope")
      #expect(missing.status == 404)
      #expect(missing.text == #"{"error":{"message":"model 'nope:latest' not found","type":"not_found_error","param":null,"code":null}}"#)
    }
  }

  @Test func noInstalledModelsGiveNullData() async throws {
    try await withServer(.init(models: [])) { server in
      #expect(try await TestHTTP.get(server.openAIBaseURL + "/models").text == #"{"object":"list","data":null}"#)
      server.install(.init(name: "hf.co/bartowski/foo-GGUF:Q4_K_M"))
      let list = try await TestHTTP.get(server.openAIBaseURL + "/models").json
      #expect(list["data"]?.arrayValue?.first?["owned_by"] == "bartowski")
      #expect(server.uninstall("hf.co/bartowski/foo-GGUF:Q4_K_M"))
    }
  }

  @Test func embeddingsAreDeterministicUnitVectors() async throws {
    try await withServer { server in
      let url = server.openAIBaseURL + "/embeddings"
      let body: JSONValue = ["model": "llama3.2", "input": ["a", "b"], "dimensions": 8]
      let first = try await TestHTTP.post(url, body).json
      let second = try await TestHTTP.post(url, body).json
      #expect(first == second)
      let data = try #require(first["data"]?.arrayValue)
      #expect(data.map { $0["index"] } == [0, 1])
      let vector = (data[0]["embedding"]?.arrayValue ?? []).compactMap(\.doubleValue)
      #expect(vector.count == 8)
      #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
      #expect(data[0]["embedding"] != data[1]["embedding"])
      #expect(first["usage"]?["prompt_tokens"] == 2)
      let expected = FakeEmbedding.vector(model: "llama3.2", text: "a", dimensions: 8)
      #expect(zip(vector, expected).allSatisfy { abs($0 - Double($1)) < 1e-6 })
    }
  }

  @Test func base64EmbeddingsAreLittleEndianFloat32() async throws {
    try await withServer { server in
      let body: JSONValue = ["model": "llama3.2", "input": "a", "dimensions": 2, "encoding_format": "base64"]
      let json = try await TestHTTP.post(server.openAIBaseURL + "/embeddings", body).json
      let encoded = try #require(json["data"]?.arrayValue?.first?["embedding"]?.stringValue)
      #expect(encoded == FakeEmbedding.base64LittleEndian(FakeEmbedding.vector(model: "llama3.2", text: "a", dimensions: 2)))
      #expect(encoded.count == 12)  // 8 bytes -> 12 base64 characters
    }
  }

  @Test(arguments: [
    (#"{"model":"llama3.2","input":[]}"#, 400, "invalid input"),
    (#"{"model":"llama3.2","input":[1,2]}"#, 400, "invalid input type"),
    (#"{"model":"llama3.2","input":"x","encoding_format":"int8"}"#, 400, "Invalid value for 'encoding_format' = int8. Supported values: ['float', 'base64']."),
    (#"{"model":"nope","input":"x"}"#, 404, #"model "nope" not found, try pulling it first"#),
  ])
  func embeddingErrors(body: String, status: Int, message: String) async throws {
    try await withServer { server in
      let response = try await TestHTTP.send(.POST, server.openAIBaseURL + "/embeddings", body: body)
      #expect(response.status == status)
      #expect(response.json["error"]?["message"]?.stringValue == message)
    }
  }
}
