import FakeModelServer
import NIOHTTP1
import Testing
import WireCore
import TestSupport

@Suite("Ollama's error responses")
struct ErrorResponseTests {
  @Test func unknownModelIs404WithOpenAIBodyOnV1AndNativeBodyOnAPI() async throws {
    try await withServer { server in
      let v1 = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat(model: "llama9"))
      #expect(v1.status == 404)
      #expect(v1.text == #"{"error":{"message":"model 'llama9' not found","type":"not_found_error","param":null,"code":null}}"#)
      #expect(v1.contentType == "application/json; charset=utf-8")

      let native = try await TestHTTP.post(server.baseURL + "/api/chat", TestHTTP.chat(model: "llama9"))
      #expect(native.status == 404)
      #expect(native.text == #"{"error":"model 'llama9' not found"}"#)
    }
  }

  @Test func toolsOnAModelWithoutToolsCapabilityAre400() async throws {
    try await withServer { server in
      let tools: JSONValue = [["type": "function", "function": ["name": "f", "parameters": ["type": "object"]]]]
      let response = try await TestHTTP.post(
        server.openAIBaseURL + "/chat/completions", TestHTTP.chat(model: "gemma:2b", extra: ["tools": tools]))
      #expect(response.status == 400)
      #expect(
        response.text
          == #"{"error":{"message":"registry.ollama.ai/library/gemma:2b does not support tools","type":"invalid_request_error","param":null,"code":null}}"#
      )
      let native = try await TestHTTP.post(server.baseURL + "/api/chat", TestHTTP.chat(model: "gemma:2b", extra: ["tools": tools]))
      #expect(native.text == #"{"error":"registry.ollama.ai/library/gemma:2b does not support tools"}"#)
      // The same tools on a tools model are fine.
      let accepted = try await TestHTTP.post(
        server.openAIBaseURL + "/chat/completions", TestHTTP.chat(model: "llama3.2", extra: ["tools": tools]))
      #expect(accepted.status == 200)
    }
  }

  @Test(arguments: [
    (#"{"model":"llama3.2","messages":[]}"#, "[] is too short - 'messages'"),
    (#"{"model":"llama3.2","messages":[{"role":"assistant","content":null}]}"#, "invalid message content type: <nil>"),
    (#"{"model":"llama3.2","messages":[{"role":"user"}]}"#, "invalid message content type: <nil>"),
    (#"{"model":"llama3.2","messages":[{"role":"user","content":3}]}"#, "invalid message content type: float64"),
    (
      #"{"model":"llama3.2","messages":[{"role":"assistant","content":"","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":""}}]}]}"#,
      "invalid tool call arguments"
    ),
    (
      #"{"model":"llama3.2","messages":[{"role":"assistant","content":"","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"[1]"}}]}]}"#,
      "invalid tool call arguments"
    ),
    (#"{"model":"","messages":[{"role":"user","content":"x"}]}"#, "model is required"),
    (#"{"model":"llama3.2","messages":[{"role":"user","content":[{"type":"video"}]}]}"#, "invalid message format"),
    (#"{"model":"llama3.2","reasoning_effort":"high","messages":[{"role":"user","content":"x"}]}"#, "\"llama3.2\" does not support thinking"),
  ])
  func requestsOllamaRejectsGet400(body: String, message: String) async throws {
    try await withServer { server in
      let response = try await TestHTTP.send(.POST, server.openAIBaseURL + "/chat/completions", body: body)
      #expect(response.status == 400)
      #expect(response.json["error"]?["message"]?.stringValue == message)
      #expect(response.json["error"]?["type"] == "invalid_request_error")
      #expect(response.json["error"]?["param"] == .null)
    }
  }

  @Test func acceptedEdgeCasesAreNotRejected() async throws {
    try await withServer { server in
      // content null is fine when tool_calls are present; reasoning_effort none is fine on any model.
      let body = #"{"model":"llama3.2","reasoning_effort":"none","messages":[{"role":"user","content":"x"},{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c","content":"ok"}]}"#
      let response = try await TestHTTP.send(.POST, server.openAIBaseURL + "/chat/completions", body: body)
      #expect(response.status == 200)
    }
  }

  @Test func emptyBodyIsEOF() async throws {
    try await withServer { server in
      let response = try await TestHTTP.send(.POST, server.openAIBaseURL + "/chat/completions")
      #expect(response.status == 400)
      #expect(response.json["error"]?["message"] == "EOF")
    }
  }

  @Test func unknownPathIsPlainText404AndWrongMethodIs405() async throws {
    try await withServer { server in
      let missing = try await TestHTTP.get(server.baseURL + "/api/nothing")
      #expect(missing.status == 404)
      #expect(missing.text == "404 page not found")
      #expect(missing.contentType == "text/plain")

      let wrongMethod = try await TestHTTP.get(server.openAIBaseURL + "/chat/completions")
      #expect(wrongMethod.status == 405)
      #expect(wrongMethod.text == "405 method not allowed")

      let namespaced = try await TestHTTP.get(server.openAIBaseURL + "/models/hf.co/foo")
      #expect(namespaced.status == 404)
      #expect(namespaced.text == "404 page not found")
    }
  }
}
