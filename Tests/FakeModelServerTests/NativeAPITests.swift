import FakeModelServer
import NIOHTTP1
import Testing
import WireCore
import TestSupport

@Suite("Native /api endpoints")
struct NativeAPITests {
  @Test func healthAndVersion() async throws {
    try await withServer(.init(version: "0.5.1")) { server in
      let root = try await TestHTTP.get(server.baseURL + "/")
      #expect(root.text == "Ollama is running")
      #expect(root.contentType == "text/plain; charset=utf-8")
      #expect(try await TestHTTP.get(server.baseURL + "/api/version").text == #"{"version":"0.5.1"}"#)
      server.version = "0.32.15"
      #expect(try await TestHTTP.get(server.baseURL + "/api/version").json["version"] == "0.32.15")
    }
  }

  @Test func tagsListInstalledModelsWithDetails() async throws {
    try await withServer { server in
      let response = try await TestHTTP.get(server.baseURL + "/api/tags")
      #expect(response.contentType == "application/json; charset=utf-8")
      let models = try #require(response.json["models"]?.arrayValue)
      #expect(models.map { $0["name"] } == ["llama3.2:latest", "gemma:2b"])
      let llama = models[0]
      #expect(llama.objectValue?.keys == ["name", "model", "modified_at", "size", "digest", "details", "capabilities"])
      #expect(llama["modified_at"] == "2025-05-04T17:37:44.706015396-07:00")
      #expect(llama["digest"] == "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72")
      #expect(
        llama["details"]
          == ["parent_model": "", "format": "gguf", "family": "llama", "families": ["llama"], "parameter_size": "3.2B", "quantization_level": "Q4_K_M"]
      )
      #expect(llama["capabilities"] == ["completion", "tools"])
    }
  }

  @Test func showReportsContextLengthAndCapabilities() async throws {
    try await withServer { server in
      let shown = try await TestHTTP.post(server.baseURL + "/api/show", ["model": "gemma:2b"]).json
      #expect(shown["capabilities"] == ["completion"])
      #expect(shown["model_info"]?["general.architecture"] == "gemma")
      #expect(shown["model_info"]?["gemma.context_length"] == 8192)
      #expect(shown["details"]?["quantization_level"] == "Q4_0")
      #expect(shown["template"]?.stringValue?.isEmpty == false)

      let legacyName = try await TestHTTP.post(server.baseURL + "/api/show", ["name": "llama3.2"]).json
      #expect(legacyName["model_info"]?["llama.context_length"] == 131_072)

      let missing = try await TestHTTP.post(server.baseURL + "/api/show", ["model": "llama9"])
      #expect(missing.status == 404)
      #expect(missing.text == #"{"error":"model 'llama9:latest' not found"}"#)
      let noName = try await TestHTTP.post(server.baseURL + "/api/show", [:])
      #expect(noName.status == 400)
      #expect(noName.text == #"{"error":"model is required"}"#)
    }
  }

  @Test func psListsModelsThatAnsweredAndDeleteRemovesThem() async throws {
    try await withServer { server in
      #expect(try await TestHTTP.get(server.baseURL + "/api/ps").text == #"{"models":[]}"#)
      _ = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat(model: "gemma:2b"))
      let loaded = try #require(try await TestHTTP.get(server.baseURL + "/api/ps").json["models"]?.arrayValue)
      #expect(loaded.map { $0["name"] } == ["gemma:2b"])
      #expect(loaded[0]["context_length"] == 8192)
      #expect(loaded[0]["expires_at"]?.stringValue?.hasSuffix("Z") == true)

      let deleted = try await TestHTTP.send(.DELETE, server.baseURL + "/api/delete", json: ["model": "gemma:2b"])
      #expect(deleted.status == 200)
      #expect(deleted.body.isEmpty)
      #expect(server.models.map(\.name) == ["llama3.2:latest"])
      #expect(try await TestHTTP.get(server.baseURL + "/api/ps").json["models"] == [])
      let again = try await TestHTTP.send(.DELETE, server.baseURL + "/api/delete", json: ["model": "gemma:2b"])
      #expect(again.status == 404)
      #expect(again.text == #"{"error":"model 'gemma:2b' not found"}"#)
    }
  }

  @Test func pullStreamsPerLayerProgressThenSuccessAndInstalls() async throws {
    try await withServer { server in
      let response = try await TestHTTP.post(server.baseURL + "/api/pull", ["model": "qwen3:8b"])
      #expect(response.contentType == "application/x-ndjson")
      let lines = response.ndjson
      #expect(lines.first == ["status": "pulling manifest"])
      #expect(lines.suffix(3).map { $0["status"] } == ["verifying sha256 digest", "writing manifest", "success"])
      let progress = lines.filter { $0["digest"] != nil }
      let digests = progress.compactMap { $0["digest"]?.stringValue }
      #expect(Set(digests).count == 4)
      #expect(progress.count == 12)  // 4 layers × (start + 2 steps)
      let first = progress[0]
      let digest = try #require(first["digest"]?.stringValue)
      #expect(first["status"]?.stringValue == "pulling " + digest.dropFirst(7).prefix(12))
      #expect(first["completed"] == nil)
      var finalBytes: [String: Int] = [:]
      for line in progress { finalBytes[line["digest"]!.stringValue!] = line["completed"]?.intValue ?? 0 }
      #expect(finalBytes.values.reduce(0, +) == FakeOllamaServer.Model.qwen3.size)
      #expect(progress.allSatisfy { ($0["completed"]?.intValue ?? 0) <= $0["total"]!.intValue! })

      let tags = try await TestHTTP.get(server.baseURL + "/api/tags").json
      #expect(tags["models"]?.arrayValue?.contains { $0["name"] == "qwen3:8b" } == true)
    }
  }

  @Test func pullingAnInstalledModelReportsLayersAsPresent() async throws {
    try await withServer { server in
      let lines = try await TestHTTP.post(server.baseURL + "/api/pull", ["model": "llama3.2"]).ndjson
      let progress = lines.filter { $0["digest"] != nil }
      #expect(progress.count == 4)
      #expect(progress.allSatisfy { $0["completed"] == $0["total"] })
    }
  }

  @Test func pullOfAnUnknownModelIs200ThenAnErrorLine() async throws {
    try await withServer { server in
      let response = try await TestHTTP.post(server.baseURL + "/api/pull", ["model": "nope"])
      #expect(response.status == 200)
      #expect(response.text == "{\"status\":\"pulling manifest\"}\n{\"error\":\"pull model manifest: file does not exist\"}\n")
      let single = try await TestHTTP.post(server.baseURL + "/api/pull", ["model": "nope", "stream": false])
      #expect(single.status == 500)
      #expect(single.json == ["error": "pull model manifest: file does not exist"])
      let success = try await TestHTTP.post(server.baseURL + "/api/pull", ["model": "all-minilm", "stream": false])
      #expect(success.text == #"{"status":"success"}"#)
      let invalid = try await TestHTTP.post(server.baseURL + "/api/pull", ["model": "bad name"])
      #expect(invalid.status == 400)
      #expect(invalid.json == ["error": "invalid model name"])
    }
  }

  @Test func nativeChatStreamsNDJSONWithMetricsOnTheLastLine() async throws {
    try await withServer { server in
      server.enqueue(.init(content: "Hi!", reasoning: "hmm", usage: .init(promptTokens: 7, completionTokens: 3), chunkSize: 2))
      let response = try await TestHTTP.post(server.baseURL + "/api/chat", TestHTTP.chat())
      #expect(response.contentType == "application/x-ndjson")
      let lines = response.ndjson
      #expect(lines.count == 5)  // "hm", "m", "Hi", "!", done
      #expect(lines[0]["message"] == ["role": "assistant", "content": "", "thinking": "hm"])
      #expect(lines[2]["message"] == ["role": "assistant", "content": "Hi"])
      let last = try #require(lines.last)
      #expect(
        last.objectValue?.keys
          == ["model", "created_at", "message", "done", "done_reason", "total_duration", "load_duration", "prompt_eval_count", "prompt_eval_duration", "eval_count", "eval_duration"]
      )
      #expect(last["done"] == true)
      #expect(last["prompt_eval_count"] == 7)
      #expect(last["eval_count"] == 3)
      #expect(lines.dropLast().allSatisfy { $0["done"] == false })
    }
  }

  @Test func nativeToolCallsHaveObjectArgumentsAndStopReason() async throws {
    try await withServer { server in
      server.enqueue(.toolCall("get_weather", arguments: ["city": "Tokyo"], id: "call_1"))
      let single = try await TestHTTP.post(server.baseURL + "/api/chat", TestHTTP.chat(stream: false)).json
      #expect(
        single["message"]
          == ["role": "assistant", "content": "", "tool_calls": [["id": "call_1", "function": ["index": 0, "name": "get_weather", "arguments": ["city": "Tokyo"]]]]]
      )
      #expect(single["done_reason"] == "stop")
    }
  }

  @Test func chatWithoutMessagesLoadsOrUnloads() async throws {
    try await withServer { server in
      let load = try await TestHTTP.post(server.baseURL + "/api/chat", ["model": "llama3.2"]).json
      #expect(load["done_reason"] == "load")
      #expect(try await TestHTTP.get(server.baseURL + "/api/ps").json["models"]?.arrayValue?.count == 1)
      let unload = try await TestHTTP.post(server.baseURL + "/api/chat", ["model": "llama3.2", "keep_alive": 0]).json
      #expect(unload["done_reason"] == "unload")
      #expect(try await TestHTTP.get(server.baseURL + "/api/ps").json["models"] == [])
    }
  }
}
