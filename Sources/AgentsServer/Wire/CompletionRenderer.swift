import AgentsApp
import Foundation
import WireCore

/// Writes a run's answer in OpenAI's Chat Completions shapes: one `chat.completion` object, or the
/// `chat.completion.chunk` events of a stream, plus the extension field `agent_run` (and, while streaming,
/// `agent_event`) that says what the agent did on the server.
///
/// - `agent_run`: `{"agent", "last_agent", "model", "turns", "tool_calls": [{"name", "arguments", "output"}],
///   "session_id", "replayed"}`, on the completion object, or on the chunk just before `[DONE]`.
/// - `agent_event`: one chunk with empty `choices` per step of a streamed run: `{"type": "tool_call", "call_id",
///   "name", "arguments"}`, `{"type": "tool_output", "call_id", "name", "output"}`, `{"type": "handoff", "from", "to"}`.
///
/// Clients that do not know these fields ignore them; tool calls never appear in the standard `tool_calls`
/// field, which would ask the client to run them.
struct CompletionRenderer: Sendable {
  /// `chatcmpl-…`, shared by every chunk of one answer.
  let id: String
  /// Seconds since 1970, shared by every chunk.
  let created: Int
  /// The agent id the client asked for, echoed as `model`.
  let agent: String

  init(agent: String, id: String = "chatcmpl-" + UUID().uuidString.lowercased(), created: Date = Date()) {
    self.id = id
    self.created = Int(created.timeIntervalSince1970)
    self.agent = agent
  }

  // MARK: Whole answers

  /// The `chat.completion` object for a finished run.
  func completion(_ result: ConversationResult, sessionID: String?) -> JSONValue {
    let message: JSONValue = ["role": "assistant", "content": .string(result.finalOutput)]
    return [
      "id": .string(id), "object": "chat.completion", "created": .int(created), "model": .string(agent),
      "choices": [["index": 0, "message": message, "logprobs": .null, "finish_reason": "stop"]],
      "usage": usage(result.usage),
      "agent_run": agentRun(result, sessionID: sessionID, replayed: false),
    ]
  }

  /// The completion saved with a session turn, marked as replayed (a retry with the same `Idempotency-Key`).
  static func replayed(_ stored: JSONValue) -> JSONValue {
    guard var object = stored.objectValue, var run = object["agent_run"]?.objectValue else { return stored }
    run["replayed"] = true
    object["agent_run"] = .object(run)
    return .object(object)
  }

  // MARK: Streams

  /// The event that ends every stream.
  static let done: [UInt8] = Array("data: [DONE]\n\n".utf8)

  /// The first chunk: the assistant role with empty content.
  func roleChunk() -> [UInt8] { chunk(choices: [choice(delta: ["role": "assistant", "content": ""])]) }

  /// A piece of the answer.
  func textChunk(_ text: String) -> [UInt8] { chunk(choices: [choice(delta: ["content": .string(text)])]) }

  /// One step of the run (`agent_event`), with no choices.
  func eventChunk(_ event: JSONValue) -> [UInt8] { chunk(choices: [], extra: ("agent_event", event)) }

  /// The chunk that ends the answer.
  func finishChunk() -> [UInt8] { chunk(choices: [choice(delta: [:], finishReason: "stop")]) }

  /// The usage chunk (`stream_options.include_usage`).
  func usageChunk(_ result: ConversationResult) -> [UInt8] { chunk(choices: [], extra: ("usage", usage(result.usage))) }

  /// The `agent_run` summary chunk, sent last before `[DONE]`.
  func summaryChunk(_ result: ConversationResult, sessionID: String?) -> [UInt8] {
    chunk(choices: [], extra: ("agent_run", agentRun(result, sessionID: sessionID, replayed: false)))
  }

  /// A whole stored completion as a stream: role, the full text, finish, usage if asked, the summary, `[DONE]`.
  static func stream(of completion: JSONValue, includeUsage: Bool) -> [UInt8] {
    let renderer = CompletionRenderer(
      agent: completion["model"]?.stringValue ?? "", id: completion["id"]?.stringValue ?? "chatcmpl-replayed",
      created: Date(timeIntervalSince1970: Double(completion["created"]?.intValue ?? 0)))
    let text = completion["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue ?? ""
    var bytes = renderer.roleChunk() + renderer.textChunk(text) + renderer.finishChunk()
    if includeUsage, let usage = completion["usage"] { bytes += renderer.chunk(choices: [], extra: ("usage", usage)) }
    if let run = completion["agent_run"] { bytes += renderer.chunk(choices: [], extra: ("agent_run", run)) }
    return bytes + done
  }

  // MARK: Pieces

  private func chunk(choices: [JSONValue], extra: (String, JSONValue)? = nil) -> [UInt8] {
    var object: JSONObject = [
      "id": .string(id), "object": "chat.completion.chunk", "created": .int(created), "model": .string(agent),
      "choices": .array(choices),
    ]
    if let (key, value) = extra { object[key] = value }
    var bytes = Array("data: ".utf8)
    JSONValue.object(object).write(into: &bytes)
    bytes.append(contentsOf: "\n\n".utf8)
    return bytes
  }

  private func choice(delta: JSONObject, finishReason: String? = nil) -> JSONValue {
    [
      "index": 0, "delta": .object(delta), "logprobs": .null,
      "finish_reason": finishReason.map(JSONValue.string) ?? .null,
    ]
  }

  private func usage(_ usage: ConversationResult.TokenUsage) -> JSONValue {
    [
      "prompt_tokens": .int(usage.inputTokens), "completion_tokens": .int(usage.outputTokens),
      "total_tokens": .int(usage.totalTokens),
    ]
  }

  private func agentRun(_ result: ConversationResult, sessionID: String?, replayed: Bool) -> JSONValue {
    [
      "agent": .string(agent), "last_agent": .string(result.agentName), "model": .string(result.model),
      "turns": .int(result.turns),
      "tool_calls": .array(
        result.toolCalls.map {
          ["name": .string($0.name), "arguments": .string($0.arguments), "output": .string($0.output)]
        }
      ),
      "session_id": sessionID.map(JSONValue.string) ?? .null, "replayed": .bool(replayed),
    ]
  }
}
