import Synchronization
import WireCore

extension ServerCore {
  /// `POST /api/chat`: NDJSON by default, one object with `"stream":false` (reference §3).
  func nativeChat(_ request: RecordedRequest) -> EndpointResponse {
    guard !request.body.isEmpty else { return ErrorBody.response(.native, status: 400, message: "missing request body") }
    let body: JSONObject
    do {
      guard let object = try JSONValue.parse(request.body).objectValue else {
        return ErrorBody.response(.native, status: 400, message: "json: cannot unmarshal into Go value of type api.ChatRequest")
      }
      body = object
    } catch {
      return ErrorBody.response(.native, status: 400, message: error.description)
    }
    let modelName = body["model"]?.stringValue ?? ""
    let think = body["think"]
    let wantsThinking = think?.boolValue == true || think?.stringValue != nil
    let messages = body["messages"]?.arrayValue ?? []
    let wantsTools = !(body["tools"]?.arrayValue ?? []).isEmpty
    let model: FakeOllamaServer.Model
    switch chatPreflight(model: modelName, wantsTools: wantsTools && !messages.isEmpty, wantsThinking: wantsThinking) {
    case .success(let found): model = found
    case .failure(let rejection): return ErrorBody.response(.native, status: rejection.status, message: rejection.message)
    }

    guard !messages.isEmpty else { return loadOrUnload(model, requestedName: modelName, keepAlive: body["keep_alive"]) }
    let turn = makeTurn(for: request, model: modelName)
    markLoaded(model)
    let renderer = NativeChatRenderer(turn: turn)
    guard body["stream"]?.boolValue != false else { return .json(renderer.singleResponse()) }
    return EndpointResponse(
      status: 200, headers: [("Content-Type", ContentType.ndjson)], body: .stream(renderer.lines()),
      midStreamFailure: .nativeErrorLine
    )
  }

  /// A chat request without messages: preload (`done_reason: "load"`) or, with `keep_alive: 0`, unload.
  private func loadOrUnload(_ model: FakeOllamaServer.Model, requestedName: String, keepAlive: JSONValue?)
    -> EndpointResponse
  {
    let unloads = keepAlive?.intValue == 0 || ["0", "0s", "0m"].contains(keepAlive?.stringValue ?? "-")
    if unloads {
      state.withLock { $0.loadedModels.removeAll { $0.model.name == model.name } }
    } else {
      markLoaded(model)
    }
    return .json([
      "model": .string(requestedName), "created_at": .string(FakeOllamaServer.Timestamp.now().rfc3339),
      "message": ["role": "assistant", "content": ""], "done": true, "done_reason": unloads ? "unload" : "load",
    ])
  }
}

/// Renders a ``ChatTurn`` as native `/api/chat` lines or one object (key order = Go's `api.ChatResponse`).
struct NativeChatRenderer {
  /// The turn to render.
  let turn: ChatTurn

  /// Every NDJSON line: thinking, content, one tool-call line, then the `done:true` line with metrics.
  func lines() -> [[UInt8]] {
    var messages: [JSONObject] = []
    for piece in ChatTurn.pieces(of: turn.reply.reasoning ?? "", size: turn.reply.chunkSize) {
      messages.append(["role": "assistant", "content": "", "thinking": .string(piece)])
    }
    for piece in ChatTurn.pieces(of: turn.reply.content, size: turn.reply.chunkSize) {
      messages.append(["role": "assistant", "content": .string(piece)])
    }
    if !turn.reply.toolCalls.isEmpty {
      messages.append(["role": "assistant", "content": "", "tool_calls": toolCalls()])
    }
    var lines = messages.map { message in
      Framing.ndjson([
        "model": .string(turn.model), "created_at": .string(turn.created.rfc3339), "message": .object(message),
        "done": false,
      ])
    }
    lines.append(Framing.ndjson(final(message: ["role": "assistant", "content": ""])))
    return lines
  }

  /// The `"stream":false` answer: text concatenated, tool calls aggregated, metrics included.
  func singleResponse() -> JSONValue {
    var message: JSONObject = ["role": "assistant", "content": .string(turn.reply.content)]
    if let reasoning = turn.reply.reasoning, !reasoning.isEmpty { message["thinking"] = .string(reasoning) }
    if !turn.reply.toolCalls.isEmpty { message["tool_calls"] = toolCalls() }
    return final(message: message)
  }

  /// Native tool calls: `{"id":…,"function":{"index":i,"name":…,"arguments":{…}}}`.
  private func toolCalls() -> JSONValue {
    let arguments = turn.nativeArguments
    return .array(
      turn.reply.toolCalls.indices.map { call in
        [
          "id": .string(turn.toolCallIDs[call]),
          "function": [
            "index": .int(call), "name": .string(turn.reply.toolCalls[call].name), "arguments": arguments[call],
          ],
        ]
      }
    )
  }

  /// A `done:true` object with deterministic metrics derived from the token counts.
  private func final(message: JSONObject) -> JSONValue {
    let loadDuration = 1_000_000
    let promptDuration = turn.usage.promptTokens * 100_000
    let evalDuration = turn.usage.completionTokens * 1_000_000
    return [
      "model": .string(turn.model), "created_at": .string(turn.created.rfc3339), "message": .object(message),
      "done": true, "done_reason": .string(turn.reply.nativeDoneReason),
      "total_duration": .int(loadDuration + promptDuration + evalDuration), "load_duration": .int(loadDuration),
      "prompt_eval_count": .int(turn.usage.promptTokens), "prompt_eval_duration": .int(promptDuration),
      "eval_count": .int(turn.usage.completionTokens), "eval_duration": .int(evalDuration),
    ]
  }
}
