import AgentsTesting
import Foundation
import NIOHTTP1
import Testing
import TestSupport
import WireCore

/// Tool calls that need a person's approval under `agents serve`, where nobody on the HTTP side can give it.
@Suite("agents serve and tools that need approval", .serialized, .timeLimit(.minutes(5)))
struct ServeApprovalTests {
  @Test("by default a call that needs approval is refused: nothing is written, the model reads why and answers")
  func refusedByDefault() async throws {
    try await withServe { fake, serve in
      fake.enqueue(
        .toolCall("write_file", arguments: ["path": "notes.txt", "content": "hello\n"]),
        .text("I could not write the file: it needs approval."))
      let response = try await http(
        .POST, serve.baseURL + "/v1/chat/completions", json: chat("coding", [("user", "Write hello to notes.txt")]))
      #expect(response.status == 200, "\(response.body)")
      #expect(response.json["choices"]?[0]?["message"]?["content"] == "I could not write the file: it needs approval.")
      let call = try #require(response.json["agent_run"]?["tool_calls"]?[0])
      #expect(call["name"] == "write_file")
      let output = try #require(call["output"]?.stringValue)
      #expect(output.contains("needs a person's approval"))
      #expect(output.contains("agents serve --approve write_file"))
      #expect(!FileManager.default.fileExists(atPath: serve.workspace + "/notes.txt"))
      // The model's second call carries the refusal as the tool's result.
      let second = try #require(fake.requests(to: "/v1/chat/completions").last)
      #expect(String(decoding: second.body, as: UTF8.self).contains("needs a person's approval"))
    }
  }

  @Test("--approve TOOL runs that tool's calls for every client; other tools that need approval stay refused")
  func approvedByTheOperator() async throws {
    try await withServe(["--approve", "write_file"]) { fake, serve in
      fake.enqueue(
        .toolCall("write_file", arguments: ["path": "notes.txt", "content": "hello\n"]),
        .toolCall("apply_patch", arguments: ["path": "notes.txt", "patch": "@@ -1 +1 @@\n-hello\n+bye\n"]),
        .text("Written."))
      let response = try await http(
        .POST, serve.baseURL + "/v1/chat/completions",
        json: chat("coding", [("user", "Write hello to notes.txt")], stream: true))
      #expect(response.status == 200, "\(response.body)")
      #expect(response.events.last == "[DONE]")
      let chunks = response.events.compactMap { try? JSONValue.parse(Array($0.utf8)) }
      let calls = try #require(chunks.last?["agent_run"]?["tool_calls"]?.arrayValue)
      #expect(calls.map { $0["name"] } == ["write_file", "apply_patch"])
      #expect(calls.first?["output"]?.stringValue?.contains("notes.txt") == true)
      #expect(calls.last?["output"]?.stringValue?.contains("needs a person's approval") == true)
      // Each call's result is a step of the stream as it happens, the refused one too.
      let steps = chunks.compactMap { $0["agent_event"] }.filter { $0["type"] == "tool_output" }
      #expect(steps.map { $0["name"] } == ["write_file", "apply_patch"])
      #expect(steps.last?["output"]?.stringValue?.contains("needs a person's approval") == true)
      #expect(try String(contentsOfFile: serve.workspace + "/notes.txt", encoding: .utf8) == "hello\n")
    }
  }
}
