import AgentsTesting
import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing
import TestSupport
import WireCore

/// `agents serve` as a client sees it: the built binary on a loopback port, in front of the fake model server,
/// driven over real HTTP.
@Suite("agents serve over HTTP", .serialized, .timeLimit(.minutes(5)))
struct ServeHTTPTests {
  @Test("GET /v1/models lists every agent with its id, name and summary")
  func models() async throws {
    try await withServe { _, serve in
      let answer = try await http(.GET, serve.baseURL + "/v1/models")
      #expect(answer.status == 200)
      #expect(answer.json["object"] == "list")
      let data = try #require(answer.json["data"]?.arrayValue)
      let math = try #require(data.first { $0["id"] == "math" })
      #expect(math["object"] == "model")
      #expect(math["name"]?.stringValue?.isEmpty == false)
      #expect(math["summary"]?.stringValue?.isEmpty == false)
      #expect(data.count >= 4)
    }
  }

  @Test("a chat completion runs the agent's tools on the server; usage is summed over the run; tool calls in agent_run")
  func wholeAnswerWithTools() async throws {
    try await withServe { fake, serve in
      var call = FakeOllamaServer.Reply.toolCall("calculator", arguments: ["expression": "6 * 7"])
      call.usage = .init(promptTokens: 10, completionTokens: 5)
      var answer = FakeOllamaServer.Reply.text("6 times 7 is 42.")
      answer.usage = .init(promptTokens: 30, completionTokens: 7)
      fake.enqueue(call, answer)
      let response = try await http(
        .POST, serve.baseURL + "/v1/chat/completions", json: chat("math", [("user", "What is 6*7?")]))
      #expect(response.status == 200, "\(response.body)")
      let json = response.json
      #expect(json["object"] == "chat.completion")
      #expect(json["model"] == "math")
      #expect(json["choices"]?[0]?["message"]?["content"] == "6 times 7 is 42.")
      #expect(json["choices"]?[0]?["finish_reason"] == "stop")
      #expect(json["usage"] == ["prompt_tokens": 40, "completion_tokens": 12, "total_tokens": 52])
      #expect(
        json["agent_run"]?["tool_calls"] == [
          ["name": "calculator", "arguments": #"{"expression":"6 * 7"}"#, "output": "6 * 7 = 42"]
        ])
      #expect(json["agent_run"]?["turns"] == 2)
      // The standard field stays empty: the client must not run the tools itself.
      #expect(json["choices"]?[0]?["message"]?["tool_calls"] == nil)
      #expect(fake.requests(to: "/v1/chat/completions").count == 2)
    }
  }

  @Test("a call a small model writes as text never reaches the client as answer text; a JSON answer still does")
  func aCallWrittenAsTextIsNotStreamedAsText() async throws {
    try await withServe { fake, serve in
      fake.enqueue(
        .text("```json\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"2 + 2\"}}\n```", chunkSize: 4),
        .text("[4, 4]", chunkSize: 2))
      let response = try await http(
        .POST, serve.baseURL + "/v1/chat/completions", json: chat("math", [("user", "2+2 twice?")], stream: true))
      #expect(response.status == 200, "\(response.body)")
      let chunks = response.events.dropLast().compactMap { try? JSONValue.parse(Array($0.utf8)) }
      let text = chunks.compactMap { $0["choices"]?[0]?["delta"]?["content"]?.stringValue }.joined()
      #expect(text == "[4, 4]")
      #expect(chunks.compactMap { $0["agent_event"]?["type"]?.stringValue } == ["tool_call", "tool_output"])
      #expect(chunks.last?["agent_run"]?["tool_calls"]?[0]?["output"] == "2 + 2 = 4")
    }
  }

  @Test(
    "a streamed answer is chat.completion.chunk events: role, the text in pieces, tool steps, usage, agent_run, [DONE]")
  func streamed() async throws {
    try await withServe { fake, serve in
      fake.enqueue(
        .toolCall("calculator", arguments: ["expression": "2 + 2"]), .text("Two plus two is four.", chunkSize: 3))
      let response = try await http(
        .POST, serve.baseURL + "/v1/chat/completions",
        json: chat("math", [("user", "2+2?")], stream: true, extra: ["stream_options": ["include_usage": true]]))
      #expect(response.status == 200)
      #expect(response.headers.first(name: "content-type")?.hasPrefix("text/event-stream") == true)
      let events = response.events
      #expect(events.last == "[DONE]")
      let chunks = events.dropLast().compactMap { try? JSONValue.parse(Array($0.utf8)) }
      #expect(chunks.count == events.count - 1)
      #expect(chunks.allSatisfy { $0["object"] == "chat.completion.chunk" && $0["model"] == "math" })
      #expect(chunks.first?["choices"]?[0]?["delta"]?["role"] == "assistant")
      let text = chunks.compactMap { $0["choices"]?[0]?["delta"]?["content"]?.stringValue }.joined()
      #expect(text == "Two plus two is four.")
      let steps = chunks.compactMap { $0["agent_event"]?["type"]?.stringValue }
      #expect(steps == ["tool_call", "tool_output"])
      #expect(chunks.contains { $0["choices"]?[0]?["finish_reason"] == "stop" })
      #expect(chunks.contains { $0["usage"]?["total_tokens"]?.intValue ?? 0 > 0 })
      #expect(chunks.last?["agent_run"]?["tool_calls"]?[0]?["output"] == "2 + 2 = 4")
    }
  }

  @Test(
    "bearer keys: none or a wrong one is 401 in OpenAI's shape; a listed key passes; /health needs none; keys are never logged"
  )
  func authentication() async throws {
    try await withServe(environment: ["AGENTS_SERVE_API_KEYS": "first-secret-key, second-secret-key"]) { fake, serve in
      let missing = try await http(.GET, serve.baseURL + "/v1/models")
      #expect(missing.status == 401)
      #expect(missing.json["error"]?["type"] == "invalid_request_error")
      #expect(missing.json["error"]?["code"] == "invalid_api_key")
      #expect(missing.headers.first(name: "www-authenticate")?.hasPrefix("Bearer") == true)
      let wrong = try await http(
        .GET, serve.baseURL + "/v1/models", headers: [("Authorization", "Bearer first-secret-kez")])
      #expect(wrong.status == 401)
      #expect(!wrong.body.contains("secret"))
      let right = try await http(
        .GET, serve.baseURL + "/v1/models", headers: [("Authorization", "Bearer second-secret-key")])
      #expect(right.status == 200)
      fake.enqueue(.text("ok"))
      let chatAnswer = try await http(
        .POST, serve.baseURL + "/v1/chat/completions", json: chat("creative", [("user", "hi")]),
        headers: [("Authorization", "Bearer first-secret-key")])
      #expect(chatAnswer.status == 200)
      #expect(try await http(.GET, serve.baseURL + "/health").status == 200)
      #expect(!serve.log.contains("secret-key"))
      #expect(serve.log.contains("2 API keys"))
    }
  }

  @Test("errors come in OpenAI's shape with the right status: 400, 404 unknown agent or path, 413")
  func requestErrors() async throws {
    try await withServe(["--max-body-bytes", "2000", "--max-messages", "3"]) { _, serve in
      let url = serve.baseURL + "/v1/chat/completions"
      let notJSON = try await http(.POST, url, rawBody: Array("{not json".utf8))
      #expect(notJSON.status == 400)
      #expect(notJSON.json["error"]?["type"] == "invalid_request_error")
      #expect(notJSON.json["error"]?["message"]?.stringValue?.contains("not valid JSON") == true)

      let noMessages = try await http(.POST, url, json: ["model": "math", "messages": []])
      #expect(noMessages.status == 400)
      #expect(noMessages.json["error"]?["param"] == "messages")

      let unknown = try await http(.POST, url, json: chat("no-such-agent", [("user", "hi")]))
      #expect(unknown.status == 404)
      #expect(unknown.json["error"]?["code"] == "model_not_found")
      #expect(unknown.json["error"]?["message"]?.stringValue?.contains("math") == true)

      let clientTools = try await http(
        .POST, url,
        json: chat("math", [("user", "hi")], extra: ["tools": [["type": "function", "function": ["name": "x"]]]]))
      #expect(clientTools.status == 400)
      #expect(clientTools.json["error"]?["param"] == "tools")

      let big = try await http(.POST, url, json: chat("math", [("user", String(repeating: "x", count: 5000))]))
      #expect(big.status == 413)
      #expect(big.json["error"]?["code"] == "request_too_large")

      let many = try await http(.POST, url, json: chat("math", Array(repeating: ("user", "hi"), count: 4)))
      #expect(many.status == 413)

      let noRoute = try await http(.GET, serve.baseURL + "/v2/nothing")
      #expect(noRoute.status == 404)
      #expect(noRoute.json["error"]?["code"] == "not_found")
    }
  }

  @Test("a failing model server is 502, a silent one 504, each with a message that says what happened")
  func upstreamErrors() async throws {
    try await withServe(["--timeout", "1"]) { fake, serve in
      let url = serve.baseURL + "/v1/chat/completions"
      fake.inject(.error(status: 500, message: "model crashed"), on: "/v1/chat/completions", times: .always)
      let failed = try await http(.POST, url, json: chat("creative", [("user", "hi")]))
      #expect(failed.status == 502)
      #expect(failed.json["error"]?["type"] == "server_error")
      #expect(failed.json["error"]?["code"] == "model_server_error")
      fake.clearFaults()
      fake.inject(.stallBeforeHeaders(nil), on: "/v1/chat/completions", times: .always)
      let silent = try await http(.POST, url, json: chat("creative", [("user", "hi")]))
      #expect(silent.status == 504)
      #expect(silent.json["error"]?["code"] == "model_server_timeout")
      fake.clearFaults()
    }
  }

  @Test("when every run slot and queue place is taken, the next request is 429 with Retry-After")
  func queueFull() async throws {
    try await withServe(["--max-concurrent-requests", "1", "--max-queue", "0"]) { fake, serve in
      fake.inject(.delay(.seconds(2)), on: "/v1/chat/completions", times: 1)
      fake.setDefaultReply { .echo(of: $0) }
      let url = serve.baseURL + "/v1/chat/completions"
      async let first = http(.POST, url, json: chat("creative", [("user", "slow one")]))
      #expect(await eventually(within: .seconds(20)) { fake.requests(to: "/v1/chat/completions").count == 1 })
      let refused = try await http(.POST, url, json: chat("creative", [("user", "one too many")]))
      #expect(refused.status == 429)
      #expect(refused.json["error"]?["type"] == "rate_limit_error")
      #expect(Int(refused.headers.first(name: "retry-after") ?? "") ?? 0 >= 1)
      #expect(try await first.status == 200)
      let metrics = try await http(.GET, serve.baseURL + "/metrics")
      #expect(metrics.body.contains("agents_serve_rejected_total 1"))
      #expect(metrics.body.contains("agents_runs_total"))
    }
  }

  @Test("a client that disconnects cancels its run: the model request is abandoned and the slot freed")
  func disconnectCancels() async throws {
    try await withServe(["--max-concurrent-requests", "1"]) { fake, serve in
      fake.inject(.stallBeforeHeaders(nil), on: "/v1/chat/completions", times: 1)
      let url = serve.baseURL + "/v1/chat/completions"
      await #expect(throws: (any Error).self) {
        _ = try await http(.POST, url, json: chat("creative", [("user", "never mind")]), timeout: .seconds(2))
      }
      #expect(
        await eventually(within: .seconds(20)) {
          fake.requests(to: "/v1/chat/completions").count == 1 && !serve.log.isEmpty
        })
      // The slot is free again: a new request (the only one allowed at once) is answered.
      fake.enqueue(.text("still here"))
      let next = try await http(.POST, url, json: chat("creative", [("user", "hello?")]), timeout: .seconds(20))
      #expect(next.status == 200)
      #expect(next.json["choices"]?[0]?["message"]?["content"] == "still here")
      let health = try await http(.GET, serve.baseURL + "/health")
      #expect(health.json["running"] == 0)
    }
  }

  @Test(
    "server-side sessions keep the history under X-Session-ID; a retried turn with the same Idempotency-Key is answered once"
  )
  func sessions() async throws {
    try await withServe { fake, serve in
      fake.setDefaultReply { .echo(of: $0) }
      let url = serve.baseURL + "/v1/chat/completions"
      let session = [("X-Session-ID", "ada-1")]
      let first = try await http(.POST, url, json: chat("creative", [("user", "my name is Ada")]), headers: session)
      #expect(first.status == 200)
      #expect(first.headers.first(name: "x-session-id") == "ada-1")
      let second = try await http(
        .POST, url, json: chat("creative", [("user", "what is my name?")]),
        headers: session + [("Idempotency-Key", "turn-2")])
      #expect(second.status == 200)
      let sent = try #require(fake.requests(to: "/v1/chat/completions").last?.messages)
      let contents = sent.compactMap { $0["content"]?.stringValue }
      #expect(contents.contains("my name is Ada"))
      #expect(contents.last == "what is my name?")

      let retried = try await http(
        .POST, url, json: chat("creative", [("user", "what is my name?")]),
        headers: session + [("Idempotency-Key", "turn-2")])
      #expect(retried.status == 200)
      #expect(retried.json["agent_run"]?["replayed"] == true)
      #expect(retried.json["choices"]?[0]?["message"] == second.json["choices"]?[0]?["message"])
      #expect(fake.requests(to: "/v1/chat/completions").count == 2)

      let stored = try await http(.GET, serve.baseURL + "/v1/sessions/ada-1")
      #expect(stored.json["items"]?.arrayValue?.count == 4)
      #expect(try await http(.DELETE, serve.baseURL + "/v1/sessions/ada-1").status == 200)
      #expect(try await http(.GET, serve.baseURL + "/v1/sessions/ada-1").status == 404)
    }
  }
}
