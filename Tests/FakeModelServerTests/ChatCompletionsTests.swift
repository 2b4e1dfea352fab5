import FakeModelServer
import Testing
import WireCore
import TestSupport

/// Replaces the varying `created` and `chatcmpl-N` values so frames can be compared exactly.
func normalized(_ text: String) -> String {
  text.replacing(#/"created":\d+/#, with: "\"created\":0").replacing(#/"chatcmpl-\d+"/#, with: "\"chatcmpl-N\"")
}

@Suite("/v1/chat/completions")
struct ChatCompletionsTests {
  @Test func nonStreamedReplyHasOllamasFieldsInOrder() async throws {
    try await withServer { server in
      server.enqueue(.text("Paris is 21°C."))
      let response = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat(model: "llama3.2"))
      #expect(response.status == 200)
      #expect(response.contentType == "application/json")
      #expect(response.json.objectValue?.keys == ["id", "object", "created", "model", "system_fingerprint", "choices", "usage"])
      #expect(
        normalized(response.text)
          == #"{"id":"chatcmpl-N","object":"chat.completion","created":0,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"message":{"role":"assistant","content":"Paris is 21°C."},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":4,"total_tokens":5}}"#
      )
    }
  }

  @Test func currentLayoutPutsRoleFirstThenFinishChunkUsageAndDone() async throws {
    try await withServer { server in
      server.enqueue(.init(content: "Hello", usage: .init(promptTokens: 3, completionTokens: 2), chunkSize: 3))
      let body = TestHTTP.chat(stream: true, extra: ["stream_options": ["include_usage": true]])
      let response = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", body)
      #expect(response.contentType == "text/event-stream")
      let prefix = #"{"id":"chatcmpl-N","object":"chat.completion.chunk","created":0,"model":"llama3.2","system_fingerprint":"fp_ollama","#
      #expect(
        normalized(response.text)
          == "data: \(prefix)\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n"
          + "data: \(prefix)\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":null}]}\n\n"
          + "data: \(prefix)\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
          + "data: \(prefix)\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\n\n"
          + "data: [DONE]\n\n"
      )
      let ids = Set(response.sseJSON.compactMap { $0["id"]?.stringValue })
      #expect(ids.count == 1)
    }
  }

  @Test func usageChunkOnlyWhenRequested() async throws {
    try await withServer { server in
      let response = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat("Yo", stream: true))
      #expect(response.sseData.count == 3)
      #expect(response.sseJSON.allSatisfy { $0["usage"] == nil })
    }
  }

  @Test func legacyLayoutRepeatsRoleAndFinishesOnAnEmptyContentChunk() async throws {
    try await withServer(.init(streamLayout: .legacy)) { server in
      server.enqueue(.text("Hello", chunkSize: 3))
      let body = TestHTTP.chat(stream: true, extra: ["stream_options": ["include_usage": true]])
      let events = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", body).sseJSON
      #expect(events.count == 4)
      #expect(events[0]["choices"]?.arrayValue?.first?["delta"] == ["role": "assistant", "content": "Hel"])
      #expect(events[1]["choices"]?.arrayValue?.first?["delta"] == ["role": "assistant", "content": "lo"])
      #expect(events[2]["choices"]?.arrayValue?.first?["delta"] == ["role": "assistant", "content": ""])
      #expect(events[2]["choices"]?.arrayValue?.first?["finish_reason"] == "stop")
      #expect(events[3]["choices"] == [])
      #expect(events[3]["usage"]?["total_tokens"] != nil)
    }
  }

  @Test func reasoningComesBeforeContentWithEmptyContentField() async throws {
    try await withServer { server in
      server.enqueue(.init(content: "Yes.", reasoning: "Think"))
      let events = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat(stream: true)).sseJSON
      #expect(events[0]["choices"]?.arrayValue?.first?["delta"] == ["role": "assistant", "content": "", "reasoning": "Think"])
      #expect(events[1]["choices"]?.arrayValue?.first?["delta"] == ["content": "Yes."])

      server.enqueue(.init(content: "Yes.", reasoning: "Think"))
      let whole = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat()).json
      #expect(whole["choices"]?.arrayValue?.first?["message"] == ["role": "assistant", "content": "Yes.", "reasoning": "Think"])
    }
  }

  @Test func toolCallsArriveWholeWithIndicesAndToolCallsFinishReason() async throws {
    try await withServer { server in
      let calls = [
        FakeOllamaServer.ToolCall(id: "call_a", name: "get_weather", arguments: ["city": "Paris"]),
        FakeOllamaServer.ToolCall(name: "get_time", arguments: "{}"),
      ]
      server.enqueue(.toolCalls(calls))
      let events = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat(stream: true)).sseJSON
      #expect(events.count == 3)
      let first = try #require(events[0]["choices"]?.arrayValue?.first?["delta"])
      #expect(first["role"] == "assistant")
      #expect(first["content"] == "")
      #expect(
        first["tool_calls"]
          == [["id": "call_a", "index": 0, "type": "function", "function": ["name": "get_weather", "arguments": #"{"city":"Paris"}"#]]]
      )
      let second = try #require(events[1]["choices"]?.arrayValue?.first?["delta"]?["tool_calls"]?.arrayValue?.first)
      #expect(second["index"] == 1)
      let generatedID = try #require(second["id"]?.stringValue)
      #expect(generatedID.hasPrefix("call_") && generatedID.count == 13)
      #expect(events[2]["choices"]?.arrayValue?.first?["finish_reason"] == "tool_calls")
    }
  }

  @Test func toolCallsCanBeFragmentedLikeOpenAIAndAllAtIndexZero() async throws {
    try await withServer(.init(toolCallIndexing: .allAtZero)) { server in
      let calls = [
        FakeOllamaServer.ToolCall(id: "call_1", name: "a", arguments: #"{"x":1}"#),
        FakeOllamaServer.ToolCall(id: "call_2", name: "b", arguments: "{}"),
      ]
      server.enqueue(.toolCalls(calls, delivery: .fragments(size: 4)))
      let events = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat(stream: true)).sseJSON
      let deltas = events.compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["tool_calls"]?.arrayValue?.first }
      #expect(deltas.count == 5)  // opening + 2 fragments, opening + 1 fragment
      #expect(deltas[0] == ["index": 0, "id": "call_1", "type": "function", "function": ["name": "a", "arguments": ""]])
      #expect(deltas[1] == ["index": 0, "function": ["arguments": #"{"x""#]])
      #expect(deltas[2] == ["index": 0, "function": ["arguments": ":1}"]])
      #expect(deltas[3]["id"] == "call_2")
      #expect(deltas.allSatisfy { $0["index"] == 0 })
    }
  }

  @Test func nonStreamedToolCallsCarryIndexAndEmptyContent() async throws {
    try await withServer { server in
      server.enqueue(.toolCall("get_weather", arguments: ["city": "Tokyo"], id: "call_k3n9x0qa"))
      let json = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat()).json
      let choice = try #require(json["choices"]?.arrayValue?.first)
      #expect(choice["finish_reason"] == "tool_calls")
      #expect(
        choice["message"]
          == [
            "role": "assistant", "content": "",
            "tool_calls": [["id": "call_k3n9x0qa", "index": 0, "type": "function", "function": ["name": "get_weather", "arguments": #"{"city":"Tokyo"}"#]]],
          ]
      )
    }
  }

  @Test func unscriptedRequestsEchoAndHandlersSeeTheRequest() async throws {
    try await withServer { server in
      let echoed = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat("ping")).json
      #expect(echoed["choices"]?.arrayValue?.first?["message"]?["content"] == "ping")

      server.enqueue { request in .text("saw \(request.messages.count) message(s) for \(request.model ?? "?")") }
      let handled = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat("x")).json
      #expect(handled["choices"]?.arrayValue?.first?["message"]?["content"] == "saw 1 message(s) for llama3.2")

      server.setDefaultReply { _ in .text("default") }
      let fallback = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat("x")).json
      #expect(fallback["choices"]?.arrayValue?.first?["message"]?["content"] == "default")
    }
  }

  @Test func repliesAreFirstInFirstOutAcrossBothChatAPIs() async throws {
    try await withServer { server in
      server.enqueue(.text("one"), .text("two"))
      let first = try await TestHTTP.post(server.baseURL + "/api/chat", TestHTTP.chat(stream: false)).json
      let second = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat()).json
      #expect(first["message"]?["content"] == "one")
      #expect(second["choices"]?.arrayValue?.first?["message"]?["content"] == "two")
      #expect(server.pendingReplyCount == 0)
    }
  }

  @Test func explicitFinishReasonIsSentVerbatim() async throws {
    try await withServer { server in
      server.enqueue(.init(content: "cut", finishReason: "length"))
      let events = try await TestHTTP.post(server.openAIBaseURL + "/chat/completions", TestHTTP.chat(stream: true)).sseJSON
      #expect(events.last?["choices"]?.arrayValue?.first?["finish_reason"] == "length")
    }
  }
}
