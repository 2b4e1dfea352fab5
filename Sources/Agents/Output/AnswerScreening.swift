/// Tells replies that read as answers but are not, as small models write them when tool definitions are in view
/// (measured on Qwen2.5-Coder-0.5B): prose around a JSON call to a tool that does not exist, a paraphrase of a
/// tool's description, or the run's own instruction to the model repeated as the answer.
enum AnswerScreening {
  /// The fewest consecutive words a reply must share with a text to count as copying it: long enough that
  /// ordinary phrasing (`relative to the workspace root`) does not count.
  static let copiedWordRun = 7

  /// The name of the first call written inside `text` as a JSON call object (`{"name": …, "arguments": {…}}`,
  /// `{"function": {…}}`, `{"tool_calls": […]}`) whose name is not in `callable`, or `nil`.
  ///
  /// Only well-formed call objects count: an identifier as the name, arguments as an object, and no other keys
  /// than `type` and `id`, so JSON data that merely has a `name` (`{"name": "Ada", "age": 36}`) is no call.
  static func embeddedCall(in text: String, callable: Set<String>) -> String? {
    for segment in TextToolCallRecovery.jsonSegments(in: text) {
      if let name = callName(in: segment.value), !callable.contains(name) { return name }
    }
    return nil
  }

  /// The name of a call inside `text` that cannot run, to any tool: an object that opens like a call,
  /// `{"name": "print", "arguments": …` (or `function`/`tool`, `parameters`), whose JSON does not parse
  /// (`{"name": "print", "arguments": [1, 2, 3].map { $0 * 2 }}` in prose, a 0.5B model's answer to "what does this
  /// print") or whose arguments are no object (`"arguments": [{"type": "array"}]`). A call whose JSON parses and
  /// whose arguments are an object is left to ``embeddedCall(in:callable:)`` and text tool-call recovery.
  static func brokenEmbeddedCall(in text: String) -> String? {
    guard text.utf8.contains(UInt8(ascii: "{")) else { return nil }  // no object, no call; skips compiling the regex
    let opening =
      /\{\s*"(?:name|function|tool)"\s*:\s*"([A-Za-z_][A-Za-z0-9_.-]{0,63})"\s*,\s*"(?:arguments|parameters)"\s*:/
    let matches = text.matches(of: opening)
    guard !matches.isEmpty else { return nil }
    let segments = TextToolCallRecovery.jsonSegments(in: text)
    for match in matches {
      let start = match.range.lowerBound
      guard let segment = segments.first(where: { $0.range.contains(start) }) else { return String(match.output.1) }
      guard segment.range.lowerBound == start, case .object(let object) = segment.value else { continue }
      if let arguments = object["arguments"] ?? object["parameters"], !isArgumentsObject(arguments) {
        return String(match.output.1)
      }
    }
    return nil
  }

  /// Whether `text` holds a run of at least ``copiedWordRun`` consecutive words of `source` (case and
  /// punctuation ignored) that none of `context` holds, e.g. the user's own messages quoting it.
  static func copies(_ source: String, in text: String, notIn context: [String]) -> Bool {
    copies(source, in: Reply(text), notIn: context)
  }

  /// ``copies(_:in:notIn:)`` for a reply whose word runs were found once, to be checked against several sources.
  ///
  /// Most replies share no run with a source: each word of the reply is looked up once in the source's words, and
  /// the runs themselves (arrays of words, hashed as a whole) are only built when ``copiedWordRun`` consecutive
  /// reply words all occur in the source.
  static func copies(_ source: String, in reply: Reply, notIn context: [String]) -> Bool {
    copies(Source(source), in: reply, notIn: context)
  }

  /// ``copies(_:in:notIn:)`` for a source whose words were found once (the run's own guidance texts are fixed).
  static func copies(_ source: Source, in reply: Reply, notIn context: [String]) -> Bool {
    guard reply.words.count >= copiedWordRun, source.words.count >= copiedWordRun,
      reply.hasRun(within: source.vocabulary)
    else { return false }
    let copied = runs(of: source.words).intersection(runs(of: reply.words))
    guard !copied.isEmpty else { return false }
    let quoted = context.reduce(into: Set<[Substring]>()) { $0.formUnion(runs(of: words(in: $1))) }
    return !copied.isSubset(of: quoted)
  }

  private static func callName(in value: JSONValue) -> String? {
    switch value {
    case .array(let elements): return elements.lazy.compactMap(callName).first
    case .object(let object):
      if let list = object["tool_calls"], object.count == 1 { return callName(in: list) }
      if let function = object["function"], case .object = function,
        object.keys.allSatisfy(["function", "type", "id"].contains)
      {
        return callName(in: function)
      }
      guard let name = object["name"]?.stringValue, isIdentifier(name),
        let arguments = object["arguments"] ?? object["parameters"], isArgumentsObject(arguments),
        object.keys.allSatisfy(["name", "arguments", "parameters", "type", "id"].contains)
      else { return nil }
      return name
    default: return nil
    }
  }

  private static func isIdentifier(_ name: String) -> Bool {
    guard let first = name.first, first.isASCII, first.isLetter || first == "_", name.count <= 64 else { return false }
    return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-") }
  }

  private static func isArgumentsObject(_ value: JSONValue) -> Bool {
    switch value {
    case .object: true
    case .string(let text): if case .object? = try? JSONValue.parse(text) { true } else { false }
    default: false
    }
  }

  /// A text a reply might copy: its words, and the set of them.
  struct Source {
    let words: [Substring]
    let vocabulary: Set<Substring>

    init(_ text: String) {
      words = AnswerScreening.words(in: text)
      vocabulary = Set(words)
    }
  }

  /// A reply's words, found once for every source it is compared with.
  struct Reply {
    let words: [Substring]

    init(_ text: String) { words = AnswerScreening.words(in: text) }

    /// Whether ``copiedWordRun`` consecutive words of the reply all occur in `vocabulary`: a reply without such a
    /// stretch cannot share a run with the text `vocabulary` comes from.
    func hasRun(within vocabulary: Set<Substring>) -> Bool {
      var consecutive = 0
      for word in words {
        consecutive = vocabulary.contains(word) ? consecutive + 1 : 0
        if consecutive >= AnswerScreening.copiedWordRun { return true }
      }
      return false
    }
  }

  /// The words of `text`, lowercased: runs of letters and digits. ASCII text is split by its bytes, other text by
  /// characters (looking up Unicode properties and breaking graphemes for every character was most of the
  /// screening's time).
  static func words(in text: String) -> [Substring] {
    let lowered = text.lowercased()
    let bytes = lowered.utf8
    guard bytes.allSatisfy({ $0 < 0x80 }) else { return lowered.split { !isWordCharacter($0) } }
    var words: [Substring] = []
    var start: String.Index?
    var index = bytes.startIndex
    while index != bytes.endIndex {
      if isASCIIWordByte(bytes[index]) {
        if start == nil { start = index }
      } else if let wordStart = start {
        words.append(lowered[wordStart..<index])
        start = nil
      }
      bytes.formIndex(after: &index)
    }
    if let wordStart = start { words.append(lowered[wordStart...]) }
    return words
  }

  /// Whether `character` is a letter or a digit (`isLetter || isNumber`), without a property lookup for ASCII.
  static func isWordCharacter(_ character: Character) -> Bool {
    guard let ascii = character.asciiValue else { return character.isLetter || character.isNumber }
    return isASCIIWordByte(ascii)
  }

  /// Whether the ASCII code `byte` is a letter or a digit.
  private static func isASCIIWordByte(_ byte: UInt8) -> Bool {
    (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte)
  }

  /// Every run of ``copiedWordRun`` consecutive words.
  private static func runs(of words: [Substring]) -> Set<[Substring]> {
    guard words.count >= copiedWordRun else { return [] }
    return Set((0...(words.count - copiedWordRun)).map { Array(words[$0..<($0 + copiedWordRun)]) })
  }
}
