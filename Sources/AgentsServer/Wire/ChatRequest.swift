import Agents
import WireCore

/// A `POST /v1/chat/completions` body as the server understands it: which agent (`model`), the conversation
/// (`messages`), whether to stream, and the sampling settings a client may override.
///
/// Tools run on the server, so client-side `tools` are refused; everything else OpenAI defines and the server
/// does not use (`user`, `metadata`, `store`, `logprobs` set to false, …) is ignored.
struct ChatRequest: Sendable {
  /// The agent's id (or display name).
  var agent: String
  /// The conversation, oldest first.
  var items: [Item]
  /// Whether to answer with server-sent events.
  var stream: Bool
  /// Whether a streamed answer ends with a usage chunk (`stream_options.include_usage`).
  var includeUsage: Bool
  /// Settings that replace the agent's own for this request.
  var settings: ModelSettings

  /// The limits a request must stay within.
  struct Limits: Sendable {
    /// The most messages.
    var maximumMessages: Int
    /// The longest message, in characters.
    var maximumMessageCharacters: Int
  }

  /// Parses and checks a request body.
  ///
  /// - Throws: ``ServerError`` 400 naming the field and what was expected, or 413 when over a limit.
  init(body: [UInt8], limits: Limits) throws(ServerError) {
    let json: JSONValue
    do {
      json = try JSONValue.parse(body)
    } catch {
      throw .badRequest(
        "the request body is not valid JSON (\(error)); send a JSON object as OpenAI's Chat Completions API defines it")
    }
    guard let object = json.objectValue else {
      throw .badRequest("the request body must be a JSON object with 'model' and 'messages'")
    }
    guard let agent = object["model"]?.stringValue, !agent.isEmpty else {
      throw .badRequest("'model' must name an agent, e.g. \"math\" (GET /v1/models lists them)", param: "model")
    }
    self.agent = agent
    guard let messages = object["messages"]?.arrayValue, !messages.isEmpty else {
      throw .badRequest("'messages' must be a non-empty array of chat messages", param: "messages")
    }
    guard messages.count <= limits.maximumMessages else {
      throw .tooLarge(
        "the request has \(messages.count) messages, but at most \(limits.maximumMessages) are accepted; "
          + "send fewer (or keep the conversation on the server with a session)", param: "messages")
    }
    items = try Self.items(from: messages, limits: limits)
    stream = try Self.flag(object, "stream") ?? false
    includeUsage = try Self.flag(object["stream_options"]?.objectValue ?? [:], "include_usage") ?? false
    settings = try Self.settings(from: object)
    if let tools = object["tools"], tools.arrayValue?.isEmpty != true, !tools.isNull {
      throw .badRequest(
        "this server runs each agent's own tools, so 'tools' must be absent or empty; the answer's 'agent_run' "
          + "field lists the tools the agent called", param: "tools")
    }
    if let count = object["n"], !count.isNull, count.intValue != 1 {
      throw .badRequest("'n' must be 1: an agent run gives one answer", param: "n")
    }
    if let format = object["response_format"]?.objectValue?["type"]?.stringValue, format != "text" {
      throw .badRequest(
        "'response_format' \(format) is not supported by agents served here; ask for the format in the message",
        param: "response_format")
    }
  }

  // MARK: Messages

  private static func items(from messages: [JSONValue], limits: Limits) throws(ServerError) -> [Item] {
    var items: [Item] = []
    items.reserveCapacity(messages.count)
    for (index, message) in messages.enumerated() {
      let param = "messages[\(index)]"
      guard let object = message.objectValue, let role = object["role"]?.stringValue else {
        throw .badRequest("\(param) must be an object with a 'role'", param: param)
      }
      let content = try text(of: object["content"], param: param + ".content")
      if content.count > limits.maximumMessageCharacters {
        throw .tooLarge(
          "\(param) has \(content.count) characters, but at most \(limits.maximumMessageCharacters) are accepted",
          param: param + ".content")
      }
      switch role {
      case "system", "developer":
        items.append(.system(content))
      case "user":
        items.append(.user(content))
      case "assistant":
        if !content.isEmpty || object["tool_calls"] == nil { items.append(.assistant(content)) }
        for (number, call) in (object["tool_calls"]?.arrayValue ?? []).enumerated() {
          let callParam = "\(param).tool_calls[\(number)]"
          guard let id = call["id"]?.stringValue, let function = call["function"]?.objectValue,
            let name = function["name"]?.stringValue
          else { throw .badRequest("\(callParam) needs an 'id' and a 'function' with a 'name'", param: callParam) }
          items.append(.toolCall(ToolCall(id: id, name: name, arguments: function["arguments"]?.stringValue ?? "{}")))
        }
      case "tool":
        guard let callID = object["tool_call_id"]?.stringValue else {
          throw .badRequest("\(param) is a tool message without 'tool_call_id'", param: param)
        }
        items.append(.toolOutput(ToolCallOutput(callID: callID, output: content)))
      default:
        throw .badRequest(
          "\(param) has role '\(role)'; use system, developer, user, assistant or tool", param: param + ".role")
      }
    }
    guard case .message(let last) = items.last, last.role == .user else {
      throw .badRequest(
        "the last message must be the user's: the agent answers it (tools run on the server, so a conversation "
          + "never ends with a tool result here)", param: "messages")
    }
    return items
  }

  /// A message's text: a string, null, or an array of `{"type": "text", "text": …}` parts.
  private static func text(of content: JSONValue?, param: String) throws(ServerError) -> String {
    switch content {
    case .none, .null?: return ""
    case .string(let text)?: return text
    case .array(let parts)?:
      var text = ""
      for part in parts {
        guard part["type"]?.stringValue == "text", let piece = part["text"]?.stringValue else {
          throw .badRequest(
            "\(param) has a '\(part["type"]?.stringValue ?? "?")' part; only text parts are supported", param: param)
        }
        text += piece
      }
      return text
    default:
      throw .badRequest("\(param) must be a string or an array of text parts", param: param)
    }
  }

  // MARK: Settings

  private static func settings(from object: JSONObject) throws(ServerError) -> ModelSettings {
    var settings = ModelSettings()
    settings.temperature = try number(object, "temperature", in: ModelSettings.temperatureRange)
    settings.topP = try number(object, "top_p", in: ModelSettings.topPRange)
    settings.frequencyPenalty = try number(object, "frequency_penalty", in: ModelSettings.penaltyRange)
    settings.presencePenalty = try number(object, "presence_penalty", in: ModelSettings.penaltyRange)
    let legacyMaxTokens = try integer(object, "max_tokens", in: ModelSettings.maxTokensRange)
    settings.maxTokens =
      try integer(object, "max_completion_tokens", in: ModelSettings.maxTokensRange) ?? legacyMaxTokens
    settings.seed = try integer(object, "seed", in: ModelSettings.seedRange)
    switch object["stop"] {
    case .none, .null?: break
    case .string(let stop)?: settings.stop = [stop]
    case .array(let stops)?:
      let strings = stops.compactMap(\.stringValue)
      guard strings.count == stops.count, strings.count <= ModelSettings.maxStopSequences, !strings.contains("") else {
        throw .badRequest(
          "'stop' must be a string or at most \(ModelSettings.maxStopSequences) non-empty strings", param: "stop")
      }
      settings.stop = strings
    default:
      throw .badRequest("'stop' must be a string or an array of strings", param: "stop")
    }
    return settings
  }

  private static func number(
    _ object: JSONObject, _ name: String, in range: ClosedRange<Double>
  ) throws(ServerError)
    -> Double?
  {
    guard let value = object[name], !value.isNull else { return nil }
    guard let number = value.doubleValue, range.contains(number) else {
      throw .badRequest(
        "'\(name)' must be a number from \(range.lowerBound.formatted()) to \(range.upperBound.formatted()), got \(value.jsonString)",
        param: name)
    }
    return number
  }

  private static func integer(
    _ object: JSONObject, _ name: String, in range: ClosedRange<Int>
  ) throws(ServerError)
    -> Int?
  {
    guard let value = object[name], !value.isNull else { return nil }
    guard let number = value.intValue, range.contains(number) else {
      throw .badRequest(
        "'\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound), got \(value.jsonString)",
        param: name)
    }
    return number
  }

  private static func flag(_ object: JSONObject, _ name: String) throws(ServerError) -> Bool? {
    guard let value = object[name], !value.isNull else { return nil }
    guard let flag = value.boolValue else { throw .badRequest("'\(name)' must be true or false", param: name) }
    return flag
  }
}

extension Double {
  /// `2` rather than `2.0` for whole numbers.
  fileprivate func formatted() -> String {
    rounded() == self && abs(self) < 1e15 ? String(Int(self)) : String(self)
  }
}
