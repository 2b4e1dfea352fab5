/// Assembles streamed tool-call deltas into complete tool calls.
///
/// Deltas are grouped by `index`; argument fragments are concatenated (OpenAI and llama.cpp stream them
/// in pieces, Ollama sends each call whole). A delta whose `id` differs from the call already at its
/// index starts a new call, because Ollama before v0.20.6 sent `index: 0` for every call. A delta without
/// an index continues the latest call, or starts a new one when it brings a new id. Arguments are kept
/// exactly as received, even when truncated or invalid.
public struct ToolCallAccumulator: Sendable, Hashable {
  private struct Partial: Sendable, Hashable {
    var id: String?
    var name: String
    var arguments: String
  }

  private var calls: [Partial] = []
  /// Which position in `calls` the latest delta with a given index went to.
  private var positionByIndex: [Int: Int] = [:]

  /// Creates an empty accumulator.
  public init() {}

  /// Whether no delta has arrived yet.
  public var isEmpty: Bool { calls.isEmpty }

  /// Adds one delta.
  public mutating func add(_ delta: ToolCallDelta) {
    let position: Int
    if let index = delta.index {
      if let existing = positionByIndex[index], !startsNewCall(delta, at: existing) {
        position = existing
      } else {
        position = appendCall()
        positionByIndex[index] = position
      }
    } else if let last = calls.indices.last, !startsNewCall(delta, at: last) {
      position = last
    } else {
      position = appendCall()
    }
    if calls[position].id == nil, let id = delta.id { calls[position].id = id }
    if let name = delta.name {
      // Names arrive once; a server repeating the full name in later fragments must not double it.
      if calls[position].name.isEmpty || !calls[position].name.hasSuffix(name) { calls[position].name += name }
    }
    if let arguments = delta.arguments { calls[position].arguments += arguments }
  }

  /// The calls assembled so far, in order of first appearance; a call that never got an id gets `call_N`.
  public var toolCalls: [ToolCall] {
    calls.enumerated().map { position, call in
      ToolCall(id: call.id ?? "call_\(position)", name: call.name, arguments: call.arguments)
    }
  }

  private func startsNewCall(_ delta: ToolCallDelta, at position: Int) -> Bool {
    guard let id = delta.id, let existing = calls[position].id else { return false }
    return id != existing
  }

  private mutating func appendCall() -> Int {
    calls.append(Partial(id: nil, name: "", arguments: ""))
    return calls.count - 1
  }
}
