import WireCore

/// One message of a chat: system instructions, a user turn, an assistant turn (text and/or tool calls) or
/// a tool result.
public struct ChatMessage: Sendable, Hashable {
  /// Who wrote a message.
  public struct Role: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The wire value, e.g. `assistant`.
    public var rawValue: String
    /// Creates a role from its wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Creates a role from a string literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// Instructions that frame the conversation (Ollama's templates understand `system`, not `developer`).
    public static let system: Role = "system"
    /// The person talking to the model.
    public static let user: Role = "user"
    /// The model.
    public static let assistant: Role = "assistant"
    /// The result of a tool call.
    public static let tool: Role = "tool"
    /// The wire value.
    public var description: String { rawValue }
  }

  /// A message's content: plain text or a list of parts (text and images).
  public enum Content: Sendable, Hashable {
    /// Plain text.
    case text(String)
    /// Text and image parts, in order.
    case parts([ContentPart])

    /// The text of the content; parts are joined, images left out.
    public var text: String {
      switch self {
      case .text(let text): return text
      case .parts(let parts): return parts.compactMap(\.text).joined()
      }
    }
  }

  /// One part of a multi-part content.
  public enum ContentPart: Sendable, Hashable {
    /// A piece of text.
    case text(String)
    /// An image by URL; Ollama accepts only `data:image/...;base64,` URIs.
    case imageURL(String, detail: String? = nil)

    /// An image part holding `bytes` as a base64 data URI of the given MIME type (e.g. `image/png`).
    public static func image(_ bytes: some Collection<UInt8>, mimeType: String) -> ContentPart {
      .imageURL("data:\(mimeType);base64,\(Base64.encode(bytes))")
    }

    /// The text, if this is a text part.
    public var text: String? { if case .text(let text) = self { text } else { nil } }
  }

  /// Who wrote the message.
  public var role: Role
  /// The content; `nil` is sent as `""` because Ollama rejects `null` without tool calls.
  public var content: Content?
  /// An optional participant name (for a tool result: the tool's name).
  public var name: String?
  /// The tool calls of an assistant message.
  public var toolCalls: [ToolCall]
  /// For a tool result: the id of the call it answers.
  public var toolCallID: String?
  /// The model's reasoning (thinking) text; sent back on assistant messages as Ollama's `reasoning`.
  public var reasoning: String?

  /// Creates a message from all of its fields.
  public init(
    role: Role,
    content: Content?,
    name: String? = nil,
    toolCalls: [ToolCall] = [],
    toolCallID: String? = nil,
    reasoning: String? = nil
  ) {
    self.role = role
    self.content = content
    self.name = name
    self.toolCalls = toolCalls
    self.toolCallID = toolCallID
    self.reasoning = reasoning
  }

  /// A system message.
  public static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: .text(text)) }

  /// A user message with plain text.
  public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: .text(text)) }

  /// A user message with text and image parts.
  public static func user(parts: [ContentPart]) -> ChatMessage { ChatMessage(role: .user, content: .parts(parts)) }

  /// An assistant message with text, tool calls and reasoning.
  public static func assistant(
    _ text: String?, toolCalls: [ToolCall] = [], reasoning: String? = nil
  ) -> ChatMessage {
    ChatMessage(role: .assistant, content: text.map(Content.text), toolCalls: toolCalls, reasoning: reasoning)
  }

  /// The result of the tool call `callID`.
  public static func tool(callID: String, content: String, name: String? = nil) -> ChatMessage {
    ChatMessage(role: .tool, content: .text(content), name: name, toolCallID: callID)
  }

  /// The content as text (`""` when there is none).
  public var text: String { content?.text ?? "" }
}
