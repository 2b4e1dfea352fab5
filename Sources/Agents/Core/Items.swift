/// A chat message with a role and text content.
@MemberwiseInit
public struct Message: Sendable, Hashable {
  /// Who wrote a message.
  public enum Role: String, Sendable, Hashable, Codable {
    /// Instructions for the model, ahead of the conversation.
    case system
    /// The person using the agent.
    case user
    /// The model.
    case assistant
  }

  /// Who wrote the message.
  public var role: Role
  /// The message text.
  public var content: String
}

/// A function call the model asked for: the tool's name and its JSON-encoded arguments.
@MemberwiseInit
public struct ToolCall: Sendable, Hashable {
  /// The call's identifier, echoed back with the tool's output.
  public var id: String
  /// The name of the tool (or handoff) to call.
  public var name: String
  /// The arguments as JSON text, exactly as the model wrote them.
  public var arguments: String
}

/// The output of one tool call, sent back to the model.
@MemberwiseInit
public struct ToolCallOutput: Sendable, Hashable {
  /// The identifier of the call this answers.
  public var callID: String
  /// The output text the model reads.
  public var output: String
}

/// One entry of a conversation transcript: what models read, what sessions store.
///
/// Items are `Codable` with a stable JSON shape modelled on the Responses API input items
/// (`{"type":"message","role":"user","content":"…"}`, `function_call`, `function_call_output`, `reasoning`),
/// so stored histories survive upgrades.
public enum Item: Sendable, Hashable {
  /// A user, system or assistant message.
  case message(Message)
  /// Reasoning ("thinking") text the model produced before answering.
  case reasoning(String)
  /// A tool or handoff call made by the model.
  case toolCall(ToolCall)
  /// The output of a tool or handoff call.
  case toolOutput(ToolCallOutput)

  /// A user message.
  public static func user(_ text: String) -> Item { .message(Message(role: .user, content: text)) }
  /// An assistant message.
  public static func assistant(_ text: String) -> Item { .message(Message(role: .assistant, content: text)) }
  /// A system message.
  public static func system(_ text: String) -> Item { .message(Message(role: .system, content: text)) }
}

/// An item produced during a run, tagged with what it is and which agent produced it.
@MemberwiseInit
public struct RunItem: Sendable, Hashable {
  /// What a run item represents.
  public enum Kind: String, Sendable, Hashable, Codable {
    /// An assistant message.
    case message
    /// Reasoning text.
    case reasoning
    /// A call to a function tool.
    case toolCall
    /// A function tool's output.
    case toolOutput
    /// A call to a handoff tool.
    case handoffCall
    /// The output recorded for a handoff.
    case handoffOutput
  }

  /// What this item is.
  public var kind: Kind
  /// The transcript entry.
  public var item: Item
  /// The name of the agent that produced it.
  public var agentName: String
}

extension Item {
  /// The message text, if this is a message.
  public var messageText: String? {
    if case .message(let message) = self { message.content } else { nil }
  }
}
