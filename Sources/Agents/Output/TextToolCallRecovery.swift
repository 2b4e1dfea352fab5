/// Recognises tool calls that a model wrote as JSON text in its message instead of as real tool calls, a
/// common failure of small local models.
///
/// A reply is recovered only when it is nothing but one or more tool calls for known tools, optionally inside
/// a code fence or `<tool_call>` tags, in one of the shapes models use:
/// `{"name": …, "arguments": {…}}` (or `"parameters"`), `{"type": "function", "function": {…}}`,
/// `{"tool_calls": […]}`, or an array of these.
enum TextToolCallRecovery {
  /// The calls (name and JSON arguments) the text consists of, or `nil` if it is anything else.
  static func recover(from text: String, knownNames: Set<String>) -> [(name: String, arguments: String)]? {
    var body = Substring(text).trimmingWhitespace()
    guard let first = body.first, first == "{" || first == "[" || first == "<" || first == "`" else { return nil }
    var pieces: [Substring] = []
    if body.hasPrefix("<tool_call>") {
      while let open = body.firstRange(of: "<tool_call>") {
        guard body[..<open.lowerBound].allSatisfy(\.isWhitespace) else { return nil }
        let rest = body[open.upperBound...]
        guard let close = rest.firstRange(of: "</tool_call>") else {
          pieces.append(rest)
          body = body[body.endIndex...]
          break
        }
        pieces.append(rest[..<close.lowerBound])
        body = rest[close.upperBound...]
      }
      guard body.allSatisfy(\.isWhitespace) else { return nil }
    } else if body.hasPrefix("```") {
      guard body.hasSuffix("```"), let fenced = JSONExtraction.fencedBlock(in: body) else { return nil }
      pieces = [fenced]
    } else {
      pieces = [body]
    }
    var calls: [(name: String, arguments: String)] = []
    for piece in pieces {
      guard let value = try? JSONValue.parse(String(piece.trimmingWhitespace())),
        let found = toolCalls(in: value, knownNames: knownNames)
      else { return nil }
      calls += found
    }
    return calls.isEmpty ? nil : calls
  }

  private static let callKeys: Set<String> = ["name", "arguments", "parameters", "type", "id"]

  private static func toolCalls(in value: JSONValue, knownNames: Set<String>) -> [(name: String, arguments: String)]? {
    switch value {
    case .array(let elements):
      var calls: [(name: String, arguments: String)] = []
      for element in elements {
        guard let found = toolCalls(in: element, knownNames: knownNames) else { return nil }
        calls += found
      }
      return calls.isEmpty ? nil : calls
    case .object(let object):
      if object.count == 1, let list = object["tool_calls"] {
        return toolCalls(in: list, knownNames: knownNames)
      }
      if let function = object["function"] ?? object["function_call"],
        object.keys.allSatisfy({ ["function", "function_call", "type", "id"].contains($0) })
      {
        return toolCalls(in: function, knownNames: knownNames)
      }
      guard object.keys.allSatisfy(callKeys.contains), let name = object["name"]?.stringValue,
        knownNames.contains(name), let arguments = object["arguments"] ?? object["parameters"],
        let text = argumentsText(arguments)
      else { return nil }
      return [(name, text)]
    default:
      return nil
    }
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
