/// The JSON shape of ``Item``: a `type` discriminator plus the fields of that type.
extension Item: Codable {
  private enum CodingKeys: String, CodingKey {
    case type, role, content, text, id, callID = "call_id", name, arguments, output
  }

  private enum ItemType: String, Codable {
    case message, reasoning
    case functionCall = "function_call"
    case functionCallOutput = "function_call_output"
  }

  /// Decodes an item from its JSON shape.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    switch try container.decode(ItemType.self, forKey: .type) {
    case .message:
      self = .message(
        Message(
          role: try container.decode(Message.Role.self, forKey: .role),
          content: try container.decode(String.self, forKey: .content)))
    case .reasoning:
      self = .reasoning(try container.decode(String.self, forKey: .text))
    case .functionCall:
      self = .toolCall(
        ToolCall(
          id: try container.decode(String.self, forKey: .callID),
          name: try container.decode(String.self, forKey: .name),
          arguments: try container.decode(String.self, forKey: .arguments)))
    case .functionCallOutput:
      self = .toolOutput(
        ToolCallOutput(
          callID: try container.decode(String.self, forKey: .callID),
          output: try container.decode(String.self, forKey: .output)))
    }
  }

  /// Encodes the item in its JSON shape.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .message(let message):
      try container.encode(ItemType.message, forKey: .type)
      try container.encode(message.role, forKey: .role)
      try container.encode(message.content, forKey: .content)
    case .reasoning(let text):
      try container.encode(ItemType.reasoning, forKey: .type)
      try container.encode(text, forKey: .text)
    case .toolCall(let call):
      try container.encode(ItemType.functionCall, forKey: .type)
      try container.encode(call.id, forKey: .callID)
      try container.encode(call.name, forKey: .name)
      try container.encode(call.arguments, forKey: .arguments)
    case .toolOutput(let output):
      try container.encode(ItemType.functionCallOutput, forKey: .type)
      try container.encode(output.callID, forKey: .callID)
      try container.encode(output.output, forKey: .output)
    }
  }
}

extension RunItem: Codable {
  private enum CodingKeys: String, CodingKey { case kind, item, agentName = "agent" }

  /// Decodes a run item: `{"kind":…,"agent":…,"item":{…}}`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      kind: try container.decode(Kind.self, forKey: .kind),
      item: try container.decode(Item.self, forKey: .item),
      agentName: try container.decode(String.self, forKey: .agentName))
  }

  /// Encodes a run item: `{"kind":…,"agent":…,"item":{…}}`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(kind, forKey: .kind)
    try container.encode(agentName, forKey: .agentName)
    try container.encode(item, forKey: .item)
  }
}
