/// Required calls that copy an example of the agent's instructions instead of the user's request.
///
/// A small model given an example call in its instructions writes that call for a request of its own: `hi` to the
/// math tutor gave `{"expression": "17% of 2340"}`, and "What is 12% of 850?" gave `{"expression": "12.5 * 4 / 3"}`,
/// the tutor's other example `(12.5 * 4) / 3` without its parentheses (Qwen2.5-Coder-0.5B, sessions 8 and 11).
extension ConstrainedSteps {
  /// Whether the call in `reply` is an example of the agent's `instructions` rather than a call for the user's
  /// `request`: its arguments hold numbers, none of them a number of the request, and they are an example's, either
  /// each argument that holds a number is a whole example written the same way apart from spaces and brackets
  /// (`12.5 * 4 / 3` for `(12.5 * 4) / 3`), or the call's numbers are the numbers of one example, in their order,
  /// and there are at least two of them.
  ///
  /// An example is a string in quotes (`"…"`, `` `…` ``) or a `{…}` object of the instructions that holds a number.
  /// A call that uses a number of the request is its own, even when it shares another number with an example (17
  /// apples against `17% of 2340`); so is one that shares a single number with an example and nothing else.
  static func copiesAnExample(_ reply: String, instructions: String?, request: String) -> Bool {
    guard let instructions, let arguments = arguments(in: reply) else { return false }
    let numbered = leaves(of: arguments).filter { !numbers(in: $0).isEmpty }
    let used = numbers(in: numbered.joined(separator: " "))
    let requested = Set(numbers(in: request))
    guard !used.isEmpty, !used.contains(where: requested.contains) else { return false }
    let examples = examples(in: instructions)
    let written = Set(examples.map(skeleton(of:)))
    if numbered.allSatisfy({ written.contains(skeleton(of: $0)) }) { return true }
    return used.count >= 2 && examples.contains { numbers(in: $0) == used }
  }

  /// `instructions` without the sentences that hold an example, line by line: what a call copied from one is asked
  /// again with.
  static func withoutExamples(_ instructions: String) -> String {
    instructions.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      sentences(of: String(line)).filter { examples(in: $0).isEmpty }
        .joined(separator: " ")
    }.joined(separator: "\n")
  }

  /// The examples of `text` that hold a number: its quoted strings and `{…}` objects, in order.
  static func examples(in text: String) -> [String] {
    var examples: [String] = []
    var quote: Character?
    var quoted = ""
    var depth = 0
    var object = ""
    for character in text {
      if depth > 0 { object.append(character) }
      if let open = quote {
        if character == open {
          examples.append(quoted)
          quote = nil
        } else {
          quoted.append(character)
        }
        continue
      }
      switch character {
      case "\"", "`", "“":
        quote = character == "“" ? "”" : character
        quoted = ""
      case "{":
        if depth == 0 { object = "{" }
        depth += 1
      case "}" where depth > 0:
        depth -= 1
        if depth == 0 { examples.append(object) }
      default: break
      }
    }
    return examples.filter { !numbers(in: $0).isEmpty }
  }

  /// `line` split after each `.`, `!` or `?` that is followed by white space and not inside quotes or braces, each
  /// sentence trimmed: `12.5` and `{"a": "b. c"}` stay whole.
  static func sentences(of line: String) -> [String] {
    var sentences: [String] = []
    var current = ""
    var quote: Character?
    var depth = 0
    var ended = false
    for character in line {
      if ended, character.isWhitespace {
        sentences.append(current)
        current = ""
      }
      ended = false
      current.append(character)
      if let open = quote {
        if character == open { quote = nil }
        continue
      }
      switch character {
      case "\"", "`": quote = character
      case "“": quote = "”"
      case "{": depth += 1
      case "}": depth = max(0, depth - 1)
      case ".", "!", "?": ended = depth == 0
      default: break
      }
    }
    sentences.append(current)
    return sentences.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
  }

  /// `text` without white space and brackets, lowercased: how an example is compared with an argument.
  private static func skeleton(of text: String) -> String {
    String(text.lowercased().filter { !$0.isWhitespace && !"()[]".contains($0) })
  }
}
