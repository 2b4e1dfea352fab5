/// Recognises tool calls and handoffs that a model wrote as text in its message instead of as real tool calls,
/// the most common failure of small local models.
///
/// It finds every JSON value in the reply (bare, inside a Markdown code fence, inside Hermes `<tool_call>` tags,
/// with prose around it) and keeps those that name an offered tool or handoff, in the shapes models use:
/// `{"name": …, "arguments": {…}}` (or `"parameters"`, `"args"`, or arguments as a JSON string),
/// `{"type": "function", "function": {…}}`, `{"tool_calls": […]}`, arrays of these, and for handoffs the target
/// agent's name (`{"name": "Math Tutor"}`, `{"assistant": "Math Tutor"}`) or the bare tool name
/// (`transfer_to_math_tutor`). Identical calls are kept once.
///
/// A reply that is nothing but calls is always recovered. Calls embedded in prose are recovered only when
/// ``Offered/accepts`` says their arguments are usable, so an answer that merely shows an example call with
/// made-up arguments stays an answer.
enum TextToolCallRecovery {
  /// What the reply may call.
  struct Offered: Sendable {
    /// Function tool names.
    var tools: Set<String>
    /// Handoff tool names by the normalised name of their target agent (see ``normalised(_:)``).
    var handoffsByAgent: [String: String]
    /// Whether a call embedded in prose has usable arguments (for handoffs and tools without parameters, any).
    var accepts: @Sendable (_ name: String, _ arguments: String) -> Bool = { _, _ in true }

    /// All callable names: tools and handoff tool names.
    var names: Set<String> { tools.union(handoffsByAgent.values) }

    /// The offered name `candidate` means: a tool or handoff name as is, or a handoff target's agent name in
    /// any case and spacing, with or without `transfer_to_`.
    func resolve(_ candidate: String) -> String? {
      if names.contains(candidate) { return candidate }
      let key = TextToolCallRecovery.normalised(candidate)
      if let handoff = handoffsByAgent[key] { return handoff }
      if key.hasPrefix("transfer_to_") { return handoffsByAgent[String(key.dropFirst("transfer_to_".count))] }
      return nil
    }

    var isEmpty: Bool { tools.isEmpty && handoffsByAgent.isEmpty }
  }

  /// One recovered call.
  struct Call: Equatable {
    var name: String
    var arguments: String
  }

  /// The most calls taken from one reply; small models sometimes repeat a call until the token limit.
  static let maximumCalls = 8

  /// The calls in `text`, and whether the text is nothing but those calls (then it is not an answer at all).
  static func recover(from text: String, offered: Offered) -> (calls: [Call], wholeReply: Bool)? {
    guard !offered.isEmpty else { return nil }
    var calls: [Call] = []
    var embeddedOnly = false
    var used: [Range<String.Index>] = []  // the JSON values that held calls
    for segment in jsonSegments(in: text) {
      guard let found = toolCalls(in: segment.value, offered: offered), !found.isEmpty else { continue }
      calls += found
      used.append(segment.range)
    }
    let rest = outside(used, in: text)
    calls += bareHandoffNames(in: rest, offered: offered)
    guard !calls.isEmpty else { return nil }
    let whole = isOnlyWrapping(rest, handoffNames: Set(offered.handoffsByAgent.values))
    if !whole {
      calls = calls.filter { offered.accepts($0.name, $0.arguments) }
      embeddedOnly = true
    }
    var unique: [Call] = []
    for call in calls where !unique.contains(call) && unique.count < maximumCalls { unique.append(call) }
    guard !unique.isEmpty else { return nil }
    return (unique, !embeddedOnly)
  }

  /// Whether a reply that is not a usable call still reads as one: a JSON object naming a tool-like `name`,
  /// `function` or `tool`, or a bare `transfer_to_…` name. Such a reply must not become a final answer.
  static func looksLikeACall(_ text: String) -> String? {
    let trimmed = Substring(text).trimmingWhitespace()
    if trimmed.hasPrefix("transfer_to_"), !trimmed.contains(where: \.isWhitespace) { return String(trimmed) }
    if let name = brokenCallName(trimmed) { return name }
    let segments = jsonSegments(in: text)
    guard !segments.isEmpty, isOnlyWrapping(outside(segments.map(\.range), in: text), handoffNames: []) else {
      return nil
    }
    return segments.lazy.compactMap { calledName(in: $0.value) }.first
  }

  /// The name called by a reply that is nothing but one JSON-like call object that does not parse, bare or in a
  /// code fence: `{"name": "print", "arguments": "[1, 2, 3].map { $0 * 2 }"]` (a 0.5B model's answer to "what does
  /// this print").
  private static func brokenCallName(_ reply: Substring) -> String? {
    var body = reply
    // Plain checks first: a regex is compiled again on every use, and most replies are prose.
    if body.hasPrefix("```"), let opening = body.prefixMatch(of: fenceOpening) {
      body = body[opening.range.upperBound...]
    }
    if body.hasSuffix("```") { body = body.dropLast(3) }
    body = body.trimmingWhitespace()
    guard body.hasPrefix("{"), body.hasSuffix("}") || body.hasSuffix("]"), !body.contains("```"),
      (try? JSONValue.parse(String(body))) == nil,
      let match = body.prefixMatch(of: /\{\s*"(?:name|tool|function)"\s*:\s*"([A-Za-z_][A-Za-z0-9_.-]{0,63})"\s*,/)
    else { return nil }
    return String(match.output.1)
  }

  /// A code fence's opening or closing backticks with the language after them, whatever it is: a small model
  /// puts its call in a ```json, ```tool_call, ```javascript or ```python fence alike.
  static var fenceOpening: Regex<Substring> { /```[A-Za-z0-9_+.#-]*/ }

  /// The text of `text` outside `ranges` (ascending, not overlapping).
  private static func outside(_ ranges: [Range<String.Index>], in text: String) -> String {
    var result = ""
    var cursor = text.startIndex
    for range in ranges {
      result += text[cursor..<range.lowerBound]
      cursor = range.upperBound
    }
    return result + text[cursor...]
  }

  /// `text` lowercased with every run of characters outside `[a-z0-9]` as one `_`, trimmed of `_`.
  static func normalised(_ text: String) -> String {
    var result = ""
    for character in text.lowercased() {
      if character.isASCII, character.isLetter || character.isNumber {
        result.append(character)
      } else if !result.isEmpty, result.last != "_" {
        result.append("_")
      }
    }
    while result.last == "_" { result.removeLast() }
    return result
  }

  // MARK: Finding JSON

  /// Every top-level JSON object or array in `text` that parses, with where it is.
  static func jsonSegments(in text: String) -> [(range: Range<String.Index>, value: JSONValue)] {
    var segments: [(range: Range<String.Index>, value: JSONValue)] = []
    var searchStart = text.startIndex
    while searchStart < text.endIndex,
      let open = text[searchStart...].firstIndex(where: { $0 == "{" || $0 == "[" })
    {
      if let balanced = JSONExtraction.firstBalancedValue(in: text[open...]),
        let value = try? JSONValue.parse(String(balanced))
      {
        segments.append((balanced.startIndex..<balanced.endIndex, value))
        searchStart = balanced.endIndex
      } else {
        searchStart = text.index(after: open)
      }
    }
    return segments
  }

  /// Whether `text` (what is left around the calls) holds nothing but fences, `<tool_call>` tags, separators
  /// and the handoff names themselves.
  private static func isOnlyWrapping(_ text: String, handoffNames: Set<String>) -> Bool {
    var rest = text.replacing(fenceOpening, with: " ")
    for wrapper in ["<tool_call>", "</tool_call>", "<|im_end|>"] {
      rest = rest.replacing(wrapper, with: " ")
    }
    for name in handoffNames { rest = rest.replacing(name, with: " ") }
    return rest.allSatisfy { $0.isWhitespace || $0 == "," || $0 == ";" || $0 == "(" || $0 == ")" }
  }

  // MARK: Reading calls

  private static func toolCalls(in value: JSONValue, offered: Offered) -> [Call]? {
    switch value {
    case .array(let elements):
      let calls = elements.compactMap { toolCalls(in: $0, offered: offered) }.flatMap { $0 }
      return calls.isEmpty ? nil : calls
    case .object(let object):
      if let list = object["tool_calls"] { return toolCalls(in: list, offered: offered) }
      if let function = object["function"] ?? object["function_call"], case .object = function {
        return toolCalls(in: function, offered: offered)
      }
      let nameKeys = ["name", "tool", "tool_name", "function", "assistant", "agent", "handoff"]
      guard let nameKey = nameKeys.first(where: { object[$0]?.stringValue != nil }),
        let name = offered.resolve(object[nameKey]!.stringValue!)
      else { return nil }
      let isHandoff = !offered.tools.contains(name)
      let argumentValue = object["arguments"] ?? object["parameters"] ?? object["args"] ?? object["input"]
      if isHandoff { return [Call(name: name, arguments: argumentValue.flatMap(argumentsText) ?? "{}")] }
      guard let argumentValue else {
        // A bare {"name": "tool"} is a call only for a tool that may be called without arguments.
        return offered.accepts(name, "{}") ? [Call(name: name, arguments: "{}")] : nil
      }
      guard let arguments = argumentsText(argumentValue) else { return nil }
      return [Call(name: name, arguments: arguments)]
    default:
      return nil
    }
  }

  /// The tool-like name a JSON value calls, whether or not it is offered.
  private static func calledName(in value: JSONValue) -> String? {
    switch value {
    case .array(let elements): return elements.lazy.compactMap(calledName).first
    case .object(let object):
      if let list = object["tool_calls"] { return calledName(in: list) }
      if let function = object["function"] ?? object["function_call"], case .object = function {
        return calledName(in: function)
      }
      for key in ["name", "tool", "tool_name", "function"] {
        if let name = object[key]?.stringValue, !name.isEmpty, name.count <= 64,
          object.count <= 3 || object["arguments"] != nil || object["parameters"] != nil
        {
          return name
        }
      }
      return nil
    default: return nil
    }
  }

  /// Handoff tool names written bare in the text (`transfer_to_math_tutor` or `transfer_to_math_tutor()`).
  private static func bareHandoffNames(in text: String, offered: Offered) -> [Call] {
    guard !offered.handoffsByAgent.isEmpty else { return [] }  // no handoffs: no search of the reply
    var calls: [Call] = []
    var searchStart = text.startIndex
    while let range = text[searchStart...].firstRange(of: "transfer_to_") {
      var end = range.upperBound
      while end < text.endIndex, text[end].isASCII, text[end].isLetter || text[end].isNumber || text[end] == "_" {
        end = text.index(after: end)
      }
      let word = String(text[range.lowerBound..<end])
      if offered.handoffsByAgent.values.contains(word) { calls.append(Call(name: word, arguments: "{}")) }
      searchStart = end
    }
    return calls
  }

  /// Arguments as JSON object text: an object as is, or a string holding an object.
  private static func argumentsText(_ value: JSONValue) -> String? {
    switch value {
    case .object: value.jsonString
    case .string(let text):
      if case .object = try? JSONValue.parse(text) { text } else { nil }
    default: nil
    }
  }
}
