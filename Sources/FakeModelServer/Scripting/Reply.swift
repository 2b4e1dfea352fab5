import WireCore

extension FakeOllamaServer {
  /// One scripted assistant turn, served by both `/v1/chat/completions` and native `/api/chat`,
  /// streamed or not according to the request's `stream` flag.
  public struct Reply: Sendable {
    /// The assistant text.
    public var content: String
    /// Reasoning text (`reasoning` on /v1, `thinking` natively); `nil` for none.
    public var reasoning: String?
    /// Tool calls, in order.
    public var toolCalls: [ToolCall]
    /// Token counts; `nil` estimates about one token per four UTF-8 bytes of the prompt and the reply.
    public var usage: Usage?
    /// The /v1 `finish_reason`, sent verbatim; `nil` means `tool_calls` when there are tool calls, else `stop`.
    /// Natively `tool_calls` is reported as `done_reason: "stop"`.
    public var finishReason: String?
    /// Characters per streamed content or reasoning delta; `nil` sends each text in one delta.
    public var chunkSize: Int?
    /// How streamed /v1 tool calls are cut into chunks.
    public var toolCallDelivery: ToolCallDelivery

    /// Creates a reply.
    public init(
      content: String = "",
      reasoning: String? = nil,
      toolCalls: [ToolCall] = [],
      usage: Usage? = nil,
      finishReason: String? = nil,
      chunkSize: Int? = nil,
      toolCallDelivery: ToolCallDelivery = .whole
    ) {
      self.content = content
      self.reasoning = reasoning
      self.toolCalls = toolCalls
      self.usage = usage
      self.finishReason = finishReason
      self.chunkSize = chunkSize
      self.toolCallDelivery = toolCallDelivery
    }

    /// A plain text reply, optionally streamed in deltas of `chunkSize` characters.
    public static func text(_ content: String, chunkSize: Int? = nil) -> Reply {
      Reply(content: content, chunkSize: chunkSize)
    }

    /// A reply that calls tools, optionally after some text.
    public static func toolCalls(
      _ calls: [ToolCall], content: String = "", delivery: ToolCallDelivery = .whole
    ) -> Reply {
      Reply(content: content, toolCalls: calls, toolCallDelivery: delivery)
    }

    /// A reply that calls one tool.
    public static func toolCall(_ name: String, arguments: JSONValue = [:], id: String? = nil) -> Reply {
      Reply(toolCalls: [ToolCall(id: id, name: name, arguments: arguments)])
    }

    /// The reply used when nothing is scripted: the last user message's text, echoed back.
    public static func echo(of request: RecordedRequest) -> Reply {
      Reply(content: request.lastUserMessageText ?? "")
    }

    /// The finish reason to report on /v1.
    var resolvedFinishReason: String { finishReason ?? (toolCalls.isEmpty ? "stop" : "tool_calls") }

    /// The `done_reason` to report natively (Ollama never says `tool_calls` there).
    var nativeDoneReason: String {
      let reason = resolvedFinishReason
      return reason == "tool_calls" ? "stop" : reason
    }
  }

  /// A tool call the model makes.
  public struct ToolCall: Sendable, Hashable {
    /// The call id; `nil` lets the server generate one like Ollama's `call_k3n9x0qa`.
    public var id: String?
    /// The function name.
    public var name: String
    /// The arguments as the JSON text /v1 sends (natively sent as an object when it parses as one).
    /// Any string is allowed, so tests can send arguments a client must reject.
    public var arguments: String

    /// Creates a tool call from raw argument text.
    public init(id: String? = nil, name: String, arguments: String) {
      self.id = id
      self.name = name
      self.arguments = arguments
    }

    /// Creates a tool call whose arguments are `arguments` serialized compactly.
    public init(id: String? = nil, name: String, arguments: JSONValue = [:]) {
      self.init(id: id, name: name, arguments: arguments.jsonString)
    }
  }

  /// Token counts for a reply.
  public struct Usage: Sendable, Hashable {
    /// `prompt_tokens` (natively `prompt_eval_count`).
    public var promptTokens: Int
    /// `completion_tokens` (natively `eval_count`).
    public var completionTokens: Int
    /// `total_tokens`: the sum.
    public var totalTokens: Int { promptTokens + completionTokens }

    /// Creates token counts.
    public init(promptTokens: Int, completionTokens: Int) {
      self.promptTokens = promptTokens
      self.completionTokens = completionTokens
    }
  }

  /// How streamed /v1 tool calls are cut into chunks.
  public enum ToolCallDelivery: Sendable, Hashable {
    /// Ollama's way: each call complete (id, name, full arguments) in its own chunk.
    case whole
    /// Every call complete, all in one chunk's `tool_calls` array.
    case together
    /// OpenAI/llama.cpp's way: a first chunk with id, type, name and empty arguments, then chunks with
    /// only `index` and `size`-character argument fragments.
    case fragments(size: Int)
  }

  /// The SSE layout of `/v1/chat/completions` streams, which changed in Ollama v0.32.6.
  public enum StreamLayout: Sendable, Hashable {
    /// v0.32.6 and later: role only in the first chunk, a separate finish chunk with an empty delta,
    /// an optional `choices: []` usage chunk, then `[DONE]`.
    case current
    /// Before v0.32.6: every chunk has `role` and `content`, `finish_reason` rides on the last
    /// (empty-content) chunk, and the usage chunk is a copy of it with `choices: []`.
    case legacy
  }

  /// How /v1 tool calls are numbered.
  public enum ToolCallIndexing: Sendable, Hashable {
    /// `index` 0, 1, 2… per call (Ollama v0.20.6 and later).
    case perCall
    /// Every call at `index` 0, as older Ollama parsers sent them.
    case allAtZero
  }
}
