import WireCore

/// One `chat.completion.chunk` of a streamed chat completion.
public struct ChatCompletionChunk: Sendable, Hashable {
  /// One choice's increment.
  public struct Choice: Sendable, Hashable {
    /// The choice's position.
    public var index: Int
    /// What this chunk adds.
    public var delta: Delta
    /// Set on the chunk that ends the choice (any chunk may carry it, with or without content).
    public var finishReason: FinishReason?

    /// Creates a chunk choice.
    public init(index: Int = 0, delta: Delta, finishReason: FinishReason? = nil) {
      self.index = index
      self.delta = delta
      self.finishReason = finishReason
    }
  }

  /// What one chunk adds to the message.
  public struct Delta: Sendable, Hashable {
    /// The role, usually only in the first chunk.
    public var role: String?
    /// More content text; `nil` when the key was absent or `null`.
    public var content: String?
    /// More reasoning text (`reasoning`, or `reasoning_content` from llama.cpp and vLLM).
    public var reasoning: String?
    /// Tool-call increments.
    public var toolCalls: [ToolCallDelta]

    /// Creates a delta.
    public init(role: String? = nil, content: String? = nil, reasoning: String? = nil, toolCalls: [ToolCallDelta] = []) {
      self.role = role
      self.content = content
      self.reasoning = reasoning
      self.toolCalls = toolCalls
    }
  }

  /// The stream's id.
  public var id: String
  /// The model, as the server names it.
  public var model: String
  /// Unix seconds, if sent.
  public var created: Int?
  /// The choices' increments; empty in a usage-only chunk.
  public var choices: [Choice]
  /// Token counts, in the usage chunk.
  public var usage: Usage?
  /// The chunk object as received.
  ///
  /// A chunk read from a stream keeps the event's text and parses it when this is first read: almost no caller
  /// needs it, and building it for every streamed event cost more than the rest of the event's decoding.
  public var raw: JSONValue {
    get { rawJSON.value }
    set { rawJSON = LazyJSON(newValue) }
  }
  private var rawJSON: LazyJSON

  /// Creates a chunk.
  public init(
    id: String, model: String, created: Int? = nil, choices: [Choice], usage: Usage? = nil, raw: JSONValue = .null
  ) {
    self.id = id
    self.model = model
    self.created = created
    self.choices = choices
    self.usage = usage
    self.rawJSON = LazyJSON(raw)
  }

  /// Creates a chunk decoded from `rawText`, which must be valid JSON (``raw`` parses it when read).
  init(id: String, model: String, created: Int?, choices: [Choice], usage: Usage?, rawText: String) {
    self.init(id: id, model: model, created: created, choices: choices, usage: usage)
    self.rawJSON = LazyJSON(text: rawText)
  }
}

/// A JSON value, or the valid JSON text it is parsed from each time it is read; two are equal when their values are.
struct LazyJSON: Sendable, Hashable {
  private enum Storage: Sendable {
    case value(JSONValue)
    case text(String)
  }

  private let storage: Storage

  init(_ value: JSONValue) { storage = .value(value) }

  init(text: String) { storage = .text(text) }

  var value: JSONValue {
    switch storage {
    case .value(let value): value
    case .text(let text): (try? JSONValue.parse(text)) ?? .null
    }
  }

  static func == (lhs: LazyJSON, rhs: LazyJSON) -> Bool { lhs.value == rhs.value }

  func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

/// A piece of a streamed tool call: OpenAI and llama.cpp stream arguments in fragments, Ollama sends each
/// call whole.
public struct ToolCallDelta: Sendable, Hashable {
  /// The call's position in the message; Ollama before v0.20.6 sent 0 for every call.
  public var index: Int?
  /// The call's id, usually only in its first fragment.
  public var id: String?
  /// The function name, usually only in the first fragment.
  public var name: String?
  /// A fragment of the arguments text.
  public var arguments: String?

  /// Creates a tool-call delta.
  public init(index: Int? = nil, id: String? = nil, name: String? = nil, arguments: String? = nil) {
    self.index = index
    self.id = id
    self.name = name
    self.arguments = arguments
  }
}
