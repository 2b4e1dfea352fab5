/// Something that happened in a streamed chat completion.
public enum ChatStreamEvent: Sendable, Hashable {
  /// More answer text.
  case contentDelta(String)
  /// More reasoning (thinking) text.
  case reasoningDelta(String)
  /// A raw piece of a tool call, for live display; the assembled call follows as ``toolCall(_:)``.
  case toolCallDelta(ToolCallDelta)
  /// A complete tool call, delivered once the model has finished the message (arguments exactly as
  /// received, possibly truncated).
  case toolCall(ToolCall)
  /// Token counts (the usage chunk).
  case usage(Usage)
  /// The model finished, for this reason.
  case finished(FinishReason)
}
