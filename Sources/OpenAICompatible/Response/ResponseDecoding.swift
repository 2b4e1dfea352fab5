import WireCore

/// Maps parsed JSON onto the response types, tolerating every variant real servers send: `null` or
/// missing content, `reasoning` or `reasoning_content`, extra fields, missing usage, object-valued
/// arguments, `"data": null`.
enum ResponseDecoding {
  /// Why a JSON value is not the expected response.
  struct Problem: Error {
    var reason: String
  }

  static func completion(_ json: JSONValue) throws(Problem) -> ChatCompletion {
    guard let object = json.objectValue else { throw Problem(reason: "expected a JSON object") }
    guard let choicesValue = object["choices"], let choices = choicesValue.arrayValue ?? (choicesValue.isNull ? [] : nil)
    else { throw Problem(reason: "no \"choices\" array") }
    var decoded: [ChatCompletion.Choice] = []
    decoded.reserveCapacity(choices.count)
    for (position, choice) in choices.enumerated() {
      guard let messageValue = choice["message"], messageValue.objectValue != nil else {
        throw Problem(reason: "choice \(position) has no \"message\" object")
      }
      decoded.append(
        ChatCompletion.Choice(
          index: choice["index"]?.intValue ?? position,
          message: message(messageValue),
          finishReason: finishReason(choice["finish_reason"])
        ))
    }
    return envelope(object, json, choices: decoded)
  }

  static func chunk(_ json: JSONValue) throws(Problem) -> ChatCompletionChunk {
    guard let object = json.objectValue else { throw Problem(reason: "expected a JSON object") }
    // A usage-only chunk has `choices: []`; a chunk with neither choices nor usage is something else.
    if object["choices"] == nil, object["usage"] == nil {
      throw Problem(reason: "expected a \"choices\" array (keys: \(object.keys.joined(separator: ", ")))")
    }
    if let value = object["choices"], value.arrayValue == nil, value != .null {
      throw Problem(reason: "\"choices\" is not an array")
    }
    let choices = object["choices"]?.arrayValue ?? []
    var decoded: [ChatCompletionChunk.Choice] = []
    decoded.reserveCapacity(choices.count)
    for (position, choice) in choices.enumerated() {
      guard choice.objectValue != nil else { throw Problem(reason: "choice \(position) is not an object") }
      decoded.append(
        ChatCompletionChunk.Choice(
          index: choice["index"]?.intValue ?? position,
          delta: delta(choice["delta"] ?? choice["message"]),
          finishReason: finishReason(choice["finish_reason"])
        ))
    }
    return envelope(object, json, choices: decoded)
  }

  /// A completion or chunk around `choices`: id, model, created and usage from `object`, and the JSON as received.
  private static func envelope<Envelope: CompletionEnvelope>(
    _ object: JSONObject, _ json: JSONValue, choices: [Envelope.Choice]
  ) -> Envelope {
    Envelope(
      id: object["id"]?.stringValue ?? "",
      model: object["model"]?.stringValue ?? "",
      created: object["created"]?.intValue,
      choices: choices,
      usage: usage(object["usage"]),
      raw: json
    )
  }

  static func message(_ json: JSONValue) -> ChatMessage {
    let calls = (json["tool_calls"]?.arrayValue ?? []).enumerated().compactMap { position, call in
      toolCall(call, position: position)
    }
    return ChatMessage(
      role: ChatMessage.Role(rawValue: json["role"]?.stringValue ?? "assistant"),
      content: text(json["content"]).map(ChatMessage.Content.text),
      toolCalls: calls,
      reasoning: reasoning(json)
    )
  }

  static func delta(_ json: JSONValue?) -> ChatCompletionChunk.Delta {
    guard let json else { return ChatCompletionChunk.Delta() }
    return delta(
      role: json["role"], content: json["content"], reasoning: json["reasoning"],
      reasoningContent: json["reasoning_content"], toolCalls: json["tool_calls"])
  }

  /// A delta from its members' values (`nil` for a missing member); ``ChunkDecoder`` reads them one by one.
  static func delta(
    role: JSONValue?, content: JSONValue?, reasoning: JSONValue?, reasoningContent: JSONValue?, toolCalls: JSONValue?
  ) -> ChatCompletionChunk.Delta {
    let calls = (toolCalls?.arrayValue ?? []).map { call in
      ToolCallDelta(
        index: call["index"]?.intValue,
        id: call["id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
        name: call["function"]?["name"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
        arguments: arguments(call["function"]?["arguments"])
      )
    }
    return ChatCompletionChunk.Delta(
      role: role?.stringValue,
      content: text(content),
      reasoning: self.reasoning(reasoning, reasoningContent),
      toolCalls: calls
    )
  }

  /// A tool call of a whole message. A call without a usable name (`"name": null`, missing, not a string) is
  /// kept with an empty name, exactly as the streamed path assembles it, so both paths report the same
  /// unknown tool instead of one of them dropping the call and answering with nothing.
  static func toolCall(_ json: JSONValue, position: Int) -> ToolCall? {
    guard json.objectValue != nil else { return nil }
    let function = json["function"]
    let name = function?["name"]?.stringValue ?? ""
    let id = json["id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "call_\(json["index"]?.intValue ?? position)"
    return ToolCall(
      id: id,
      type: json["type"]?.stringValue ?? "function",
      function: FunctionCall(name: name, arguments: arguments(function?["arguments"]) ?? "")
    )
  }

  /// Arguments as text: a string as is, an object (some servers send one) serialized.
  static func arguments(_ json: JSONValue?) -> String? {
    switch json {
    case .string(let text): return text
    case .object, .array: return json?.jsonString
    default: return nil
    }
  }

  /// Content as text: a string, or the text parts of an array; `nil` for `null` or missing.
  static func text(_ json: JSONValue?) -> String? {
    switch json {
    case .string(let text): return text
    case .array(let parts): return parts.compactMap { $0["text"]?.stringValue }.joined()
    default: return nil
    }
  }

  /// Ollama's `reasoning` or llama.cpp/vLLM's `reasoning_content`; empty counts as none.
  static func reasoning(_ json: JSONValue) -> String? {
    reasoning(json["reasoning"], json["reasoning_content"])
  }

  /// `reasoning`, else `reasoning_content`, when it is a non-empty string.
  static func reasoning(_ reasoning: JSONValue?, _ reasoningContent: JSONValue?) -> String? {
    let text = reasoning?.stringValue ?? reasoningContent?.stringValue
    return text?.isEmpty == false ? text : nil
  }

  static func finishReason(_ json: JSONValue?) -> FinishReason? {
    guard let text = json?.stringValue, !text.isEmpty else { return nil }
    return FinishReason(rawValue: text)
  }

  static func usage(_ json: JSONValue?) -> Usage? {
    guard let object = json?.objectValue else { return nil }
    let prompt = object["prompt_tokens"]?.intValue
    let completion = object["completion_tokens"]?.intValue
    guard prompt != nil || completion != nil else { return nil }
    var details = JSONObject()
    for (key, value) in object where !["prompt_tokens", "completion_tokens", "total_tokens"].contains(key) {
      details[key] = value
    }
    return Usage(
      promptTokens: prompt ?? 0,
      completionTokens: completion ?? 0,
      totalTokens: object["total_tokens"]?.intValue,
      details: details
    )
  }
}

/// What ``ChatCompletion`` and ``ChatCompletionChunk`` share: the wire format wraps both kinds of choices in the
/// same envelope, so ``ResponseDecoding`` reads it once.
protocol CompletionEnvelope {
  /// A message choice or a chunk's increment.
  associatedtype Choice
  /// Creates the envelope.
  init(id: String, model: String, created: Int?, choices: [Choice], usage: Usage?, raw: JSONValue)
}

extension ChatCompletion: CompletionEnvelope {}
extension ChatCompletionChunk: CompletionEnvelope {}
