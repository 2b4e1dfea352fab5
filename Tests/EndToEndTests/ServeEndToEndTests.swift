import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TestSupport
import WireCore

/// `agents serve` in front of the real model server: chat completions sent over HTTP the way any OpenAI client
/// sends them, answered by the real model.
@Suite(
  .enabled(if: EndToEndEnvironment.isEnabled, EndToEndEnvironment.skipReason), .serialized,
  .timeLimit(.minutes(10)))
struct ServeEndToEndTests {
  /// The CLI tier's small agents (short answers keep the tier fast on a CPU); these tests use `e2e-short`.
  static let configuration = CLIEndToEndTests.configuration

  @Test("a whole and a streamed chat completion through agents serve, answered by the real model")
  func chatCompletions() async throws {
    let agents = try AgentsBinary()
    let config = agents.home.file("agents.yaml")
    try Self.configuration.write(toFile: config, atomically: true, encoding: .utf8)
    let serve = try await ServeProcess.start(
      modelServer: try EndToEndEnvironment.requireBaseURL(), model: EndToEndEnvironment.model, ["--config", config],
      agents: agents)
    defer { kill(serve.process.processIdentifier, SIGTERM) }

    let whole = try await post(serve, stream: false)
    #expect(whole.status == .ok, "\(whole.body)\n\(serve.log)")
    let completion = try JSONValue.parse(Array(whole.body.utf8))
    let content = completion["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue ?? ""
    #expect(!content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(whole.body)")
    #expect(completion["model"] == "e2e-short")
    #expect(completion["usage"]?["completion_tokens"]?.intValue ?? 0 > 0, "\(whole.body)")
    #expect(completion["agent_run"]?["model"] == .string(EndToEndEnvironment.model))

    let streamed = try await post(serve, stream: true)
    #expect(streamed.status == .ok, "\(streamed.body)")
    let events = streamed.body.components(separatedBy: "\n\n").compactMap { block in
      block.hasPrefix("data: ") ? String(block.dropFirst(6)) : nil
    }
    #expect(events.last == "[DONE]", "\(streamed.body)")
    let text = events.compactMap { try? JSONValue.parse(Array($0.utf8)) }
      .compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue }.joined()
    #expect(!text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(streamed.body)")
    #expect(await serve.terminate() == 0)
  }

  /// Sends one chat completion to the `e2e-short` agent and reads the whole answer.
  private func post(_ serve: ServeProcess, stream: Bool) async throws -> (status: HTTPResponseStatus, body: String) {
    var request = HTTPClientRequest(url: serve.baseURL + "/v1/chat/completions")
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    let body: JSONValue = [
      "model": "e2e-short", "stream": .bool(stream),
      "messages": [["role": "user", "content": "Name three primary colors."]],
    ]
    request.body = .bytes(ByteBuffer(bytes: body.jsonBytes))
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(240))
    return (response.status, String(buffer: try await response.body.collect(upTo: 4 * 1024 * 1024)))
  }
}
