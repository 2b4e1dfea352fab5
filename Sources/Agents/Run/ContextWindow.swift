/// Fits a conversation into a model's context length by dropping the oldest history first.
///
/// Token counts are estimates, not a tokenizer: one token per 4 bytes of UTF-8 text (rounded up) plus 4
/// tokens of overhead per message, tool call or tool output; tool definitions count their name, description
/// and JSON schema the same way. A `calibration` factor (server tokens per estimated token, which the runner
/// learns from the server's counts and reported usage) scales every estimate. Room for the answer is kept
/// free: the request's `maxTokens`, or an eighth of the context (at least 512 tokens), but never more than half
/// the context.
///
/// Rules: the system prompt, system messages in the history and the latest user message are never dropped;
/// a tool call is dropped together with its outputs (and the assistant text and reasoning of the same
/// response), so the request stays valid; what is dropped goes oldest first, history before the latest user
/// message ahead of anything after it, and the most recent exchange stays. When even what must stay does not
/// fit, ``fit(systemPrompt:items:tools:contextLength:maxTokens:)`` throws ``AgentsError/Code/contextLengthExceeded``.
public enum ContextWindow {
  /// The UTF-8 bytes counted as one token.
  public static let bytesPerToken = 4
  /// The tokens counted for each message's role and framing.
  public static let tokensPerMessage = 4
  /// The fewest tokens kept free for the answer when the request sets no `maxTokens`.
  public static let defaultAnswerReserve = 512
  /// The share of the context kept free for the answer when the request sets no `maxTokens` (one eighth).
  public static let defaultAnswerShare = 8
  /// The allowed context lengths, in tokens.
  public static let contextLengthRange: ClosedRange<Int> = Setting.contextLengthRange

  /// Checks a context length against ``contextLengthRange``.
  ///
  /// - Throws: ``AgentsError`` with code ``AgentsError/Code/userError`` naming the value and the range.
  public static func validate(contextLength: Int?, agentName: String) throws(AgentsError) {
    guard let contextLength, !contextLengthRange.contains(contextLength) else { return }
    throw AgentsError(
      .userError, "Agent '\(agentName)': contextLength is \(contextLength), but it must be between "
        + "\(contextLengthRange.lowerBound) and \(contextLengthRange.upperBound). Pass the model's context length "
        + "in tokens, or nil to send the whole history.")
  }

  /// The estimated tokens of `text`.
  public static func estimatedTokens(of text: String) -> Int {
    estimatedTokens(bytes: text.utf8.count)
  }

  /// The estimated tokens of one transcript item, framing included.
  public static func estimatedTokens(of item: Item) -> Int {
    switch item {
    case .message(let message): tokensPerMessage + estimatedTokens(of: message.content)
    case .reasoning(let text): tokensPerMessage + estimatedTokens(of: text)
    case .toolCall(let call):
      tokensPerMessage + estimatedTokens(bytes: call.id.utf8.count + call.name.utf8.count + call.arguments.utf8.count)
    case .toolOutput(let output):
      tokensPerMessage + estimatedTokens(bytes: output.callID.utf8.count + output.output.utf8.count)
    }
  }

  /// The estimated tokens of a tool definition as the model reads it (the schema's compact JSON counted, not kept).
  public static func estimatedTokens(of tool: ToolDefinition) -> Int {
    tokensPerMessage
      + estimatedTokens(
        bytes: tool.name.utf8.count + tool.description.utf8.count + tool.parameters.value.jsonBytes.count)
  }

  /// The estimated tokens of `bytes` bytes of UTF-8 text: what ``estimatedTokens(of:)-(String)`` gives for text of
  /// that length, without joining the parts first.
  static func estimatedTokens(bytes: Int) -> Int {
    (bytes + bytesPerToken - 1) / bytesPerToken
  }

  /// The estimated tokens of a whole request: system prompt, items and tool definitions, before calibration.
  public static func estimatedTokens(systemPrompt: String?, items: [Item], tools: [ToolDefinition]) -> Int {
    (systemPrompt.map { tokensPerMessage + estimatedTokens(of: $0) } ?? 0)
      + tools.reduce(0) { $0 + estimatedTokens(of: $1) } + items.reduce(0) { $0 + estimatedTokens(of: $1) }
  }

  /// The tokens kept free for the answer in a context of `contextLength` tokens: `maxTokens`, else an eighth of
  /// the context but at least ``defaultAnswerReserve``; never more than half the context.
  public static func answerReserve(maxTokens: Int?, contextLength: Int) -> Int {
    min(maxTokens ?? max(defaultAnswerReserve, contextLength / defaultAnswerShare), contextLength / 2)
  }

  /// `tokens` estimated tokens scaled by `calibration` (rounded up).
  static func calibrated(_ tokens: Int, _ calibration: Double) -> Int {
    calibration == 1 ? tokens : Int((Double(tokens) * calibration).rounded(.up))
  }

  /// `items` with the oldest droppable history removed until the request fits `contextLength` tokens, keeping
  /// `maxTokens` (see ``answerReserve(maxTokens:contextLength:)``) free for the answer; every estimate is
  /// multiplied by `calibration` (server tokens per estimated token).
  ///
  /// - Returns: The items to send and, when something was dropped, what was dropped.
  /// - Throws: ``AgentsError`` with code ``AgentsError/Code/contextLengthExceeded`` when the system prompt,
  ///   tools and latest user message alone do not fit.
  public static func fit(
    systemPrompt: String?, items: [Item], tools: [ToolDefinition], contextLength: Int?, maxTokens: Int?,
    calibration: Double = 1
  ) throws(AgentsError) -> (items: [Item], trimming: ContextTrimming?) {
    guard let contextLength else { return (items, nil) }
    let fixed = calibrated(
      (systemPrompt.map { tokensPerMessage + estimatedTokens(of: $0) } ?? 0)
        + tools.reduce(0) { $0 + estimatedTokens(of: $1) }, calibration)
    let reserve = answerReserve(maxTokens: maxTokens, contextLength: contextLength)
    var units = exchanges(items)
    for index in units.indices { units[index].tokens = calibrated(units[index].tokens, calibration) }
    var total = fixed + reserve + units.reduce(0) { $0 + $1.tokens }
    guard total > contextLength else { return (items, nil) }

    var dropped = Set<Int>()
    for index in dropOrder(units) where total > contextLength {
      dropped.insert(index)
      total -= units[index].tokens
    }
    guard total <= contextLength else {
      let kept = units.indices.filter { !dropped.contains($0) }.reduce(0) { $0 + units[$1].tokens }
      throw AgentsError(
        .contextLengthExceeded,
        "The request does not fit the model's context of \(contextLength) tokens even with all older history "
          + "dropped: the system prompt and tools take about \(fixed) tokens, the latest user message and what "
          + "must stay with it about \(kept), and \(reserve) are kept for the answer. Shorten the message or the "
          + "instructions, lower maxTokens, or use a model (or num_ctx) with a larger context.")
    }
    let keptItems = units.indices.filter { !dropped.contains($0) }.flatMap { units[$0].items }
    let trimming = ContextTrimming(
      droppedItems: items.count - keptItems.count, keptItems: keptItems.count, estimatedTokens: total,
      contextLength: contextLength)
    return (keptItems, trimming)
  }

  /// One unit that is kept or dropped as a whole.
  struct Exchange {
    var items: [Item] = []
    var tokens = 0
    /// Whether it holds the latest user message or a system message.
    var isProtected = false
  }

  /// Splits `items` into units: a message with what belongs to it, or a response's reasoning, text, tool
  /// calls and their outputs.
  static func exchanges(_ items: [Item]) -> [Exchange] {
    let latestUser = items.lastIndex { if case .message(let message) = $0 { message.role == .user } else { false } }
    var units: [Exchange] = []
    for (index, item) in items.enumerated() {
      if units.isEmpty || !continues(item, after: units[units.count - 1].items.last) { units.append(Exchange()) }
      units[units.count - 1].items.append(item)
      units[units.count - 1].tokens += estimatedTokens(of: item)
      if index == latestUser { units[units.count - 1].isProtected = true }
      if case .message(let message) = item, message.role == .system { units[units.count - 1].isProtected = true }
    }
    return units
  }

  /// Whether `item` belongs to the same unit as the item before it.
  private static func continues(_ item: Item, after previous: Item?) -> Bool {
    guard let previous else { return false }
    switch (item, previous) {
    case (.toolOutput, _): return true
    case (.toolCall, .toolCall), (.toolCall, .reasoning): return true
    case (.toolCall, .message(let message)): return message.role == .assistant
    case (.message(let message), .reasoning): return message.role == .assistant
    default: return false
    }
  }

  /// The indices of droppable units in the order they go: before the latest user message oldest first, then
  /// after it oldest first, never the last unit.
  static func dropOrder(_ units: [Exchange]) -> [Int] {
    guard let last = units.indices.last else { return [] }
    let boundary = units.firstIndex { $0.isProtected && $0.items.contains(where: isUserMessage) } ?? last
    let before = units.indices.filter { $0 < boundary && !units[$0].isProtected }
    let after = units.indices.filter { $0 > boundary && $0 < last && !units[$0].isProtected }
    return before + after
  }

  private static func isUserMessage(_ item: Item) -> Bool {
    if case .message(let message) = item { message.role == .user } else { false }
  }
}

/// What the run dropped from a request to fit the model's context length.
@MemberwiseInit
public struct ContextTrimming: Sendable, Hashable, CustomStringConvertible {
  /// How many history items were left out of the request.
  public var droppedItems: Int
  /// How many history items were sent.
  public var keptItems: Int
  /// The estimated tokens of the request as sent, including the room kept for the answer.
  public var estimatedTokens: Int
  /// The context length the request was fitted to.
  public var contextLength: Int

  /// One line for people, e.g. `dropped the 6 oldest history items to fit the 4096-token context`.
  public var description: String {
    "dropped the \(droppedItems) oldest history item\(droppedItems == 1 ? "" : "s") to fit the "
      + "\(contextLength)-token context"
  }
}

/// A request the server turned down because it did not fit the model's context, and the retry that followed.
@MemberwiseInit
public struct ContextOverflowRetry: Sendable, Hashable, CustomStringConvertible {
  /// The server's own message.
  public var serverMessage: String?
  /// The prompt's tokens as the server counted them, when it said.
  public var promptTokens: Int?
  /// The context length the server enforces, when it said.
  public var contextLength: Int?
  /// How the retried request was trimmed, or `nil` when only its answer-token limit was lowered.
  public var trimming: ContextTrimming?

  /// One line for people, e.g. `the server said the request (5030 tokens) does not fit its 4096-token context;
  /// dropped the 6 oldest history items and retried`.
  public var description: String {
    let size = promptTokens.map { " (\($0) tokens)" } ?? ""
    let context = contextLength.map { " its \($0)-token context" } ?? " its context"
    let action = trimming.map { "dropped the \($0.droppedItems) oldest history item\($0.droppedItems == 1 ? "" : "s")" }
      ?? "asked for a shorter answer"
    return "the server said the request\(size) does not fit\(context); \(action) and retried"
  }
}
