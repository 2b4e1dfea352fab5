import WireCore

/// Renders a ``ChatTurn`` as Ollama's `/v1/chat/completions` JSON or SSE chunks (reference §1.3–1.4).
struct OpenAIChatRenderer {
  /// The turn to render.
  let turn: ChatTurn
  /// The SSE layout.
  let layout: FakeOllamaServer.StreamLayout
  /// How tool calls are numbered.
  let indexing: FakeOllamaServer.ToolCallIndexing

  private var id: JSONValue { .string("chatcmpl-\(turn.responseNumber)") }
  private var usage: JSONValue {
    [
      "prompt_tokens": .int(turn.usage.promptTokens), "completion_tokens": .int(turn.usage.completionTokens),
      "total_tokens": .int(turn.usage.totalTokens),
    ]
  }

  /// The non-streamed `chat.completion` object.
  func completion() -> JSONValue {
    var message: JSONObject = ["role": "assistant", "content": .string(turn.reply.content)]
    if let reasoning = turn.reply.reasoning, !reasoning.isEmpty { message["reasoning"] = .string(reasoning) }
    if !turn.reply.toolCalls.isEmpty {
      message["tool_calls"] = .array(turn.reply.toolCalls.indices.map { completeCall($0) })
    }
    let choice: JSONValue = [
      "index": 0, "message": .object(message), "finish_reason": .string(turn.reply.resolvedFinishReason),
    ]
    return [
      "id": id, "object": "chat.completion", "created": .int(turn.created.seconds), "model": .string(turn.model),
      "system_fingerprint": "fp_ollama", "choices": [choice], "usage": usage,
    ]
  }

  /// Every SSE event of the stream, `[DONE]` included.
  func frames(includeUsage: Bool) -> [[UInt8]] {
    var deltas = contentDeltas()
    if deltas.isEmpty { deltas.append(["content": ""]) }
    // Every chunk shares id, created and model: serialize that envelope once.
    let prefix = chunkPrefix(model: .string(turn.model))
    var frames: [[UInt8]] = []
    frames.reserveCapacity(deltas.count + 3)
    let finishReason = JSONValue.string(turn.reply.resolvedFinishReason)
    switch layout {
    case .current:
      for (offset, delta) in deltas.enumerated() {
        frames.append(frame(prefix, delta: offset == 0 ? withRole(delta) : delta, finishReason: nil))
      }
      frames.append(frame(prefix, delta: [:], finishReason: finishReason))
    case .legacy:
      for delta in deltas {
        var legacy = withRole(delta)
        if legacy["content"] == nil { legacy["content"] = "" }
        frames.append(frame(prefix, delta: legacy, finishReason: nil))
      }
      frames.append(frame(prefix, delta: ["role": "assistant", "content": ""], finishReason: finishReason))
    }
    if includeUsage {
      var usageFrame = prefix
      usageFrame.append(contentsOf: #"],"usage":"#.utf8)
      usage.write(into: &usageFrame)
      usageFrame.append(contentsOf: "}\n\n".utf8)
      frames.append(usageFrame)
    }
    frames.append(Framing.sseDone)
    return frames
  }

  /// What Ollama's /v1 layer emits when the native stream fails after it started: an empty-content chunk
  /// with `"model":""` (reference §4.2).
  func midStreamFailureFrame() -> [UInt8] {
    frame(chunkPrefix(model: ""), delta: ["content": ""], finishReason: nil)
  }

  /// Reasoning, content and tool-call deltas in the order Ollama streams them.
  private func contentDeltas() -> [JSONObject] {
    var deltas: [JSONObject] = []
    for piece in ChatTurn.pieces(of: turn.reply.reasoning ?? "", size: turn.reply.chunkSize) {
      deltas.append(["content": "", "reasoning": .string(piece)])
    }
    for piece in ChatTurn.pieces(of: turn.reply.content, size: turn.reply.chunkSize) {
      deltas.append(["content": .string(piece)])
    }
    let calls = turn.reply.toolCalls.indices
    guard !calls.isEmpty else { return deltas }
    switch turn.reply.toolCallDelivery {
    case .whole:
      for call in calls { deltas.append(["content": "", "tool_calls": [completeCall(call)]]) }
    case .together:
      deltas.append(["content": "", "tool_calls": .array(calls.map { completeCall($0) })])
    case .fragments(let size):
      for call in calls {
        let opening: JSONValue = [
          "index": .int(index(of: call)), "id": .string(turn.toolCallIDs[call]), "type": "function",
          "function": ["name": .string(turn.reply.toolCalls[call].name), "arguments": ""],
        ]
        deltas.append(["tool_calls": [opening]])
        for fragment in ChatTurn.pieces(of: turn.reply.toolCalls[call].arguments, size: size) {
          let piece: JSONValue = ["index": .int(index(of: call)), "function": ["arguments": .string(fragment)]]
          deltas.append(["tool_calls": [piece]])
        }
      }
    }
    return deltas
  }

  /// A whole tool call as Ollama sends it: `id, index, type, function{name, arguments}`.
  private func completeCall(_ call: Int) -> JSONValue {
    [
      "id": .string(turn.toolCallIDs[call]), "index": .int(index(of: call)), "type": "function",
      "function": [
        "name": .string(turn.reply.toolCalls[call].name), "arguments": .string(turn.reply.toolCalls[call].arguments),
      ],
    ]
  }

  private func index(of call: Int) -> Int { indexing == .allAtZero ? 0 : call }

  private func withRole(_ delta: JSONObject) -> JSONObject {
    var result: JSONObject = ["role": "assistant"]
    for (key, value) in delta { result[key] = value }
    return result
  }

  /// `data: {"id":…,"object":"chat.completion.chunk","created":…,"model":…,"system_fingerprint":"fp_ollama","choices":[`.
  private func chunkPrefix(model: JSONValue) -> [UInt8] {
    var prefix: [UInt8] = Array("data: ".utf8)
    prefix.reserveCapacity(160)
    let envelope: JSONValue = [
      "id": id, "object": "chat.completion.chunk", "created": .int(turn.created.seconds), "model": model,
      "system_fingerprint": "fp_ollama",
    ]
    envelope.write(into: &prefix)
    prefix.removeLast()  // the closing brace
    prefix.append(contentsOf: #","choices":["#.utf8)
    return prefix
  }

  /// One chunk event with a single choice: the shared prefix, the choice, `]}` and the blank line.
  private func frame(_ prefix: [UInt8], delta: JSONObject, finishReason: JSONValue?) -> [UInt8] {
    var bytes = prefix
    let choice: JSONValue = ["index": 0, "delta": .object(delta), "finish_reason": finishReason ?? .null]
    choice.write(into: &bytes)
    bytes.append(contentsOf: "]}\n\n".utf8)
    return bytes
  }
}
