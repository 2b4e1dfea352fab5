import WireCore

extension ChatCompletionRequest {
  /// The JSON body, with `stream` set as given and `model` defaulted.
  ///
  /// Never sends what Ollama rejects: message content is `""` instead of `null`, assistant tool-call
  /// `arguments` are always a string holding a JSON object (`{}` when empty or invalid), and the token
  /// limit is `max_tokens`.
  public func jsonObject(stream: Bool, defaultModel: String) -> JSONObject {
    var body = JSONObject()
    body["model"] = .string(model ?? defaultModel)
    body["messages"] = .array(messages.map { $0.jsonValue })
    body["stream"] = .bool(stream)
    if stream, let includeUsage { body["stream_options"] = ["include_usage": .bool(includeUsage)] }
    if let tools, !tools.isEmpty { body["tools"] = .array(tools.map(\.jsonValue)) }
    if let toolChoice { body["tool_choice"] = toolChoice.jsonValue }
    if let parallelToolCalls { body["parallel_tool_calls"] = .bool(parallelToolCalls) }
    if let responseFormat { body["response_format"] = responseFormat.jsonValue }
    if let temperature { body["temperature"] = .double(temperature) }
    if let topP { body["top_p"] = .double(topP) }
    if let maxTokens { body["max_tokens"] = .int(maxTokens) }
    if let seed { body["seed"] = .int(seed) }
    if let stop { body["stop"] = .array(stop.map(JSONValue.string)) }
    if let frequencyPenalty { body["frequency_penalty"] = .double(frequencyPenalty) }
    if let presencePenalty { body["presence_penalty"] = .double(presencePenalty) }
    if let reasoningEffort { body["reasoning_effort"] = .string(reasoningEffort) }
    for (key, value) in extra { body[key] = value }
    return body
  }

  /// The JSON body as UTF-8 bytes.
  public func jsonBytes(stream: Bool, defaultModel: String) -> [UInt8] {
    JSONValue.object(jsonObject(stream: stream, defaultModel: defaultModel)).jsonBytes
  }
}

extension ChatMessage {
  /// The wire form of the message.
  public var jsonValue: JSONValue {
    var object = JSONObject()
    object["role"] = .string(role.rawValue)
    switch content {
    case .text(let text): object["content"] = .string(text)
    case .parts(let parts): object["content"] = .array(parts.map(\.jsonValue))
    case nil: object["content"] = ""
    }
    if let name { object["name"] = .string(name) }
    if !toolCalls.isEmpty { object["tool_calls"] = .array(toolCalls.map(\.requestJSONValue)) }
    if let toolCallID { object["tool_call_id"] = .string(toolCallID) }
    if let reasoning, !reasoning.isEmpty { object["reasoning"] = .string(reasoning) }
    return .object(object)
  }
}

extension ChatMessage.ContentPart {
  /// The wire form of the part.
  public var jsonValue: JSONValue {
    switch self {
    case .text(let text): return ["type": "text", "text": .string(text)]
    case .imageURL(let url, let detail):
      var image: JSONObject = ["url": .string(url)]
      if let detail { image["detail"] = .string(detail) }
      return ["type": "image_url", "image_url": .object(image)]
    }
  }
}

extension ToolCall {
  /// The wire form for a request: `arguments` always a string holding a JSON object.
  var requestJSONValue: JSONValue {
    [
      "id": .string(id),
      "type": .string(type),
      "function": ["name": .string(function.name), "arguments": .string(function.sanitizedArguments)],
    ]
  }
}

extension FunctionCall {
  /// The arguments if they are a JSON object, else `{}` (Ollama rejects anything else with a 400).
  public var sanitizedArguments: String {
    if let parsed = try? JSONValue.parse(arguments), parsed.objectValue != nil { return arguments }
    return "{}"
  }
}

extension ChatTool {
  /// The wire form of the tool.
  public var jsonValue: JSONValue {
    var function = JSONObject()
    function["name"] = .string(self.function.name)
    if let description = self.function.description { function["description"] = .string(description) }
    if let parameters = self.function.parameters { function["parameters"] = parameters }
    if let strict = self.function.strict { function["strict"] = .bool(strict) }
    return ["type": .string(type), "function": .object(function)]
  }
}
