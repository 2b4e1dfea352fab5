import Synchronization
import WireCore

extension ServerCore {
  /// `POST /v1/chat/completions`: validates like Ollama's OpenAI middleware, then answers with the next reply.
  func chatCompletions(_ request: RecordedRequest) -> EndpointResponse {
    let body: JSONObject
    switch OpenAIChatValidation.body(of: request) {
    case .success(let object): body = object
    case .failure(let rejection): return ErrorBody.response(.openAI, status: rejection.status, message: rejection.message)
    }
    let modelName = body["model"]?.stringValue ?? ""
    let effort = body["reasoning"]?["effort"]?.stringValue ?? body["reasoning_effort"]?.stringValue
    if let effort, !OpenAIChatValidation.reasoningEfforts.contains(effort) {
      let allowed = OpenAIChatValidation.reasoningEfforts.map { "\"\($0)\"" }.joined(separator: ", ")
      return ErrorBody.response(.openAI, status: 400, message: "invalid reasoning value: \"\(effort)\" (must be one of \(allowed))")
    }
    let wantsTools = !(body["tools"]?.arrayValue ?? []).isEmpty
    let model: FakeOllamaServer.Model
    switch chatPreflight(model: modelName, wantsTools: wantsTools, wantsThinking: effort != nil && effort != "none") {
    case .success(let found): model = found
    case .failure(let rejection): return ErrorBody.response(.openAI, status: rejection.status, message: rejection.message)
    }

    if let rejection = contextOverflowRejection(body) { return rejection }
    let turn = makeTurn(for: request, model: modelName, promptTokens: limitedPromptTokens(body))
    markLoaded(model)
    let (layout, indexing) = state.withLock { ($0.streamLayout, $0.toolCallIndexing) }
    let renderer = OpenAIChatRenderer(turn: turn, layout: layout, indexing: indexing)
    guard body["stream"]?.boolValue == true else {
      return .json(renderer.completion(), contentType: ContentType.openAIJSON)
    }
    let includeUsage = body["stream_options"]?["include_usage"]?.boolValue == true
    return EndpointResponse(
      status: 200,
      headers: [("Content-Type", ContentType.eventStream)],
      body: .stream(renderer.frames(includeUsage: includeUsage)),
      midStreamFailure: .openAIChunk(renderer.midStreamFailureFrame())
    )
  }
}

/// The request checks of Ollama's OpenAI middleware (`openai.FromChatRequest`), with its messages.
enum OpenAIChatValidation {
  /// The `reasoning_effort` values Ollama accepts.
  static let reasoningEfforts = ["none", "minimal", "low", "medium", "high", "max", "xhigh", "ultra"]

  /// The request body as an object, or the 400 Ollama would send.
  static func body(of request: RecordedRequest) -> Result<JSONObject, ChatRejection> {
    guard !request.body.isEmpty else { return .failure(ChatRejection(status: 400, message: "EOF")) }
    let parsed: JSONValue
    if let json = request.json {
      parsed = json
    } else {
      do {
        parsed = try JSONValue.parse(request.body)
      } catch {
        return .failure(ChatRejection(status: 400, message: error.description))
      }
    }
    guard let object = parsed.objectValue else {
      return .failure(ChatRejection(status: 400, message: "json: cannot unmarshal \(goType(parsed)) into Go value of type openai.ChatCompletionRequest"))
    }
    for (field, expected) in [("model", "string"), ("stream", "bool"), ("messages", "[]openai.Message")] {
      if let value = object[field], !value.isNull, goType(value) != expectedKind(expected) {
        return .failure(ChatRejection(
          status: 400,
          message: "json: cannot unmarshal \(goType(value)) into Go struct field ChatCompletionRequest.\(field) of type \(expected)"
        ))
      }
    }
    let messages = object["messages"]?.arrayValue ?? []
    guard !messages.isEmpty else { return .failure(ChatRejection(status: 400, message: "[] is too short - 'messages'")) }
    for message in messages {
      if let rejection = check(message) { return .failure(rejection) }
    }
    return .success(object)
  }

  /// The 400 Ollama sends for `message`, or `nil` when it is acceptable.
  private static func check(_ message: JSONValue) -> ChatRejection? {
    let toolCalls = message["tool_calls"]?.arrayValue ?? []
    switch message["content"] {
    case .string: break
    case .array(let parts):
      for part in parts {
        switch part["type"]?.stringValue {
        case "text", "input_audio": break
        case "image_url":
          let url = part["image_url"]?["url"]?.stringValue ?? part["image_url"]?.stringValue ?? ""
          if url.hasPrefix("http://") || url.hasPrefix("https://") {
            return ChatRejection(status: 400, message: "image URLs are not currently supported, please use base64 encoded data instead")
          }
          if !url.hasPrefix("data:") { return ChatRejection(status: 400, message: "invalid image input") }
        default: return ChatRejection(status: 400, message: "invalid message format")
        }
      }
    case nil, .null?:
      if toolCalls.isEmpty { return ChatRejection(status: 400, message: "invalid message content type: <nil>") }
    case let other?:
      return ChatRejection(status: 400, message: "invalid message content type: \(goDynamicType(other))")
    }
    for call in toolCalls {
      guard let arguments = call["function"]?["arguments"]?.stringValue,
        case .object? = try? JSONValue.parse(arguments)
      else { return ChatRejection(status: 400, message: "invalid tool call arguments") }
    }
    return nil
  }

  /// The JSON kind name Go's decoder uses in "cannot unmarshal X" messages.
  private static func goType(_ value: JSONValue) -> String {
    switch value {
    case .null: "null"
    case .bool: "bool"
    case .int, .double: "number"
    case .string: "string"
    case .array: "array"
    case .object: "object"
    }
  }

  /// The JSON kind a Go field type accepts.
  private static func expectedKind(_ goFieldType: String) -> String {
    switch goFieldType {
    case "string": "string"
    case "bool": "bool"
    default: "array"
    }
  }

  /// The Go dynamic type name `%T` prints for a decoded `any`.
  private static func goDynamicType(_ value: JSONValue) -> String {
    switch value {
    case .null: "<nil>"
    case .bool: "bool"
    case .int, .double: "float64"
    case .string: "string"
    case .array: "[]interface {}"
    case .object: "map[string]interface {}"
    }
  }
}
