import WireCore

/// Folds the chunks of a streamed chat completion into events and into the ``ChatCompletion`` the
/// non-streamed request would have returned.
///
/// Only the first choice (index 0) is followed. Tool calls are assembled by ``ToolCallAccumulator`` and
/// announced when the message is finished: at the first `finish_reason`, or at the end of the stream.
public struct ChatCompletionAccumulator: Sendable {
  private var id = ""
  private var model = ""
  private var created: Int?
  private var role: String?
  private var content: String?
  private var reasoning: String?
  private var toolCalls = ToolCallAccumulator()
  private var announcedToolCalls = 0
  /// Why the model stopped, once a chunk said so.
  public private(set) var finishReason: FinishReason?
  /// Token counts, once the usage chunk arrived.
  public private(set) var usage: Usage?

  /// Creates an empty accumulator.
  public init() {}

  /// Adds one chunk and reports what it brought, in order.
  public mutating func add(_ chunk: ChatCompletionChunk, _ onEvent: (ChatStreamEvent) -> Void) {
    if id.isEmpty { id = chunk.id }
    if model.isEmpty { model = chunk.model }
    if created == nil { created = chunk.created }
    for choice in chunk.choices where choice.index == 0 {
      let delta = choice.delta
      if role == nil { role = delta.role }
      if let text = delta.reasoning {
        if reasoning == nil { reasoning = text } else { reasoning!.append(text) }  // in place, no new string
        onEvent(.reasoningDelta(text))
      }
      if let text = delta.content {
        if content == nil { content = text } else { content!.append(text) }
        if !text.isEmpty { onEvent(.contentDelta(text)) }
      }
      for call in delta.toolCalls {
        toolCalls.add(call)
        onEvent(.toolCallDelta(call))
      }
      if let reason = choice.finishReason, finishReason == nil {
        announceToolCalls(onEvent)
        finishReason = reason
        onEvent(.finished(reason))
      }
    }
    if let chunkUsage = chunk.usage, chunkUsage != usage {
      usage = chunkUsage
      onEvent(.usage(chunkUsage))
    }
  }

  /// Ends the stream: announces tool calls that no `finish_reason` announced.
  public mutating func finish(_ onEvent: (ChatStreamEvent) -> Void) {
    announceToolCalls(onEvent)
  }

  /// The completion assembled so far.
  public var completion: ChatCompletion {
    let message = ChatMessage(
      role: ChatMessage.Role(rawValue: role ?? "assistant"),
      content: content.map(ChatMessage.Content.text),
      toolCalls: toolCalls.toolCalls,
      reasoning: reasoning
    )
    return ChatCompletion(
      id: id, model: model, created: created,
      choices: [ChatCompletion.Choice(index: 0, message: message, finishReason: finishReason)],
      usage: usage
    )
  }

  private mutating func announceToolCalls(_ onEvent: (ChatStreamEvent) -> Void) {
    let calls = toolCalls.toolCalls
    guard calls.count > announcedToolCalls else { return }
    for call in calls[announcedToolCalls...] { onEvent(.toolCall(call)) }
    announcedToolCalls = calls.count
  }
}
