import Synchronization

/// An input guardrail preset that stops a run whose new user input looks like a prompt-injection attempt:
/// "ignore all previous instructions", "disregard the system prompt", "you are now DAN", "reveal your system
/// prompt", chat-template role tags such as `<|im_start|>system`, a `system:` turn in the middle of a message, and
/// similar. Ordinary requests that merely use these words ("you are now an expert Rust teacher", "system: keep it
/// short", "how do I override the rules in CSS?") pass.
///
/// It checks only the user messages of the new turn (after the last assistant or tool item), never tool
/// outputs or earlier history, and runs before the model is called. Matching ignores case and collapses
/// whitespace. Patterns are heuristics: add your own with ``Configuration/extraPatterns`` and exempt known
/// phrases with ``Configuration/allowedPhrases``.
public enum PromptInjectionGuardrail {
  /// The guardrail's name in results and errors.
  public static let name = "prompt_injection"

  /// What the guardrail looks for.
  @MemberwiseInit
  public struct Configuration: Sendable, Hashable {
    /// Regular expressions (case-insensitive) checked in addition to ``PromptInjectionGuardrail/builtInPatterns``.
    public var extraPatterns: [String] = []
    /// Phrases removed (case-insensitively) before matching, so they never trip the guardrail.
    public var allowedPhrases: [String] = []
    /// Whether the built-in patterns are checked.
    public var usesBuiltInPatterns: Bool = true
  }

  /// Why the guardrail tripped: the ``GuardrailOutput/outputInfo`` of a trip.
  public struct Match: Sendable, Hashable, CustomStringConvertible {
    /// The pattern that matched.
    public var pattern: String
    /// The text it matched.
    public var matchedText: String

    /// `matched "…"`.
    public var description: String { "matched \"\(matchedText)\"" }
  }

  /// The patterns checked by default, as case-insensitive regular expressions.
  ///
  /// Each names the attack, not a word: "you are now an expert Rust teacher", "system: keep it short", "forget the
  /// rules of grammar", "override the rules in CSS" and "enable developer mode on Android" are ordinary requests and
  /// pass, while "you are now DAN", "ignore all previous instructions", a `system:` turn in the middle of a message
  /// and chat-template role tokens trip the guard. `PromptInjectionCorpusTests` measures both on sets of ordinary
  /// prompts and attempts.
  public static let builtInPatterns: [String] = builtIn.map(\.pattern)

  /// The built-in patterns, each with words one of which every text it matches contains (lowercase: the text
  /// is lowercased before matching). A text with none of them cannot match, so that regular expression is not
  /// run; `PromptInjectionPrefilterTests` checks that the words never change what matches.
  static let builtIn: [(pattern: String, words: [String])] = [
    // Telling the model to drop what it was told before.
    (#"\b(ignore|skip|bypass|disregard|forget|override)\s+(all\s+|any\s+|the\s+|your\s+|of\s+)*(previous|prior|above|earlier|preceding|former)\s+(instructions|prompts?|messages|rules|directions|context|guidelines)"#, ["ignore", "skip", "bypass", "disregard", "forget", "override"]),
    (#"\b(ignore|disregard|forget|override)\s+(all\s+|any\s+|of\s+)*your\s+(instructions|rules|guidelines|programming|system\s+prompt)"#, ["ignore", "disregard", "forget", "override"]),
    (#"\b(ignore|disregard|forget)\s+(the\s+)?system\s+(prompt|message)"#, ["ignore", "disregard", "forget"]),
    (#"\bforget\s+everything\s+(above|before|you\s+were\s+told)"#, ["forget"]),
    // Declaring the model someone without its rules (a role such as "an expert teacher" is fine).
    (#"\byou\s+are\s+(now\s+)?no\s+longer\s+(bound|restricted|limited|an?\s+ai)"#, ["longer"]),
    (#"\byou\s+are\s+now\s+(DAN|unrestricted|unfiltered|uncensored|jailbroken|free\s+of)\b"#, ["now"]),
    (#"\byou\s+are\s+now\s+in\s+(developer|jailbreak|god|DAN)\s+mode"#, ["mode"]),
    (#"\b(jailbreak|DAN)\s+mode\b"#, ["mode"]),
    (#"\b(enable|activate|enter)\s+(developer|god)\s+mode\s+and\b"#, ["mode"]),
    // Asking for the hidden prompt.
    (#"\b(reveal|show|print|repeat|output|leak|tell\s+me)\s+(me\s+)?(your|the)\s+(system\s+prompt|system\s+message|initial\s+prompt|original\s+instructions|hidden\s+(prompt|instructions))"#, ["reveal", "show", "print", "repeat", "output", "leak", "tell"]),
    (#"\b(reveal|print|repeat|output|leak|tell\s+me)\s+(me\s+)?your\s+(instructions|rules)\b"#, ["reveal", "print", "repeat", "output", "leak", "tell"]),
    (#"\b(reveal|print|repeat|output|leak)\s+(me\s+)?the\s+system\s+message\b"#, ["reveal", "print", "repeat", "output", "leak"]),
    // Fake turns and chat-template role tokens.
    (#"(^|\n)\s*new\s+(system\s+)?instructions\s*:"#, ["instructions"]),
    (#"<\|\s*(im_start|start_header_id)\s*\|>\s*system"#, ["<|"]),
    (#"<\|\s*system\s*\|>"#, ["<|"]),
    (#"<<\s*SYS\s*>>"#, ["<<"]),
    (#"\[INST\][\s\S]*\[/INST\]"#, ["[inst]"]),
    // A `system:` turn after other text (at the very start it is the user's own instruction).
    (#"\n\s*(#{2,}\s*)?system\s*(prompt)?\s*:[ \t]*\S"#, ["system"]),
    (#"^\s*#{2,}\s*system\s*(prompt)?\s*:"#, ["system"]),
  ]

  /// The guardrail with `configuration`.
  ///
  /// - Throws: ``AgentsError`` with code ``AgentsError/Code/userError`` when an extra pattern is not a valid
  ///   regular expression.
  public static func guardrail(_ configuration: Configuration = Configuration()) throws(AgentsError) -> InputGuardrail {
    var patterns = configuration.usesBuiltInPatterns ? builtInMatcher.patterns : []
    for pattern in configuration.extraPatterns {
      do {
        patterns.append(Matcher.Pattern(source: pattern, regex: .init(try Regex(pattern).ignoresCase()), words: []))
      } catch {
        throw AgentsError(
          .userError, "The prompt-injection pattern '\(pattern)' is not a valid regular expression (\(error)). "
            + "Fix or remove it.")
      }
    }
    return make(Matcher(patterns: patterns, allowedPhrases: configuration.allowedPhrases.filter { !$0.isEmpty }))
  }

  /// The guardrail for a matcher whose patterns are compiled once, when the guardrail is made.
  static func make(_ matcher: Matcher) -> InputGuardrail {
    InputGuardrail(name: name, runInParallel: false) { _, _, input in
      for text in newUserTexts(input) {
        if let match = matcher.firstMatch(in: text) {
          return GuardrailOutput(tripwireTriggered: true, outputInfo: match)
        }
      }
      return GuardrailOutput(tripwireTriggered: false)
    }
  }

  /// The built-in patterns, each compiled once per process when a text first holds one of its words (compiling
  /// all of them took some 3 ms of every `agents ask`, for patterns most questions never get to).
  static let builtInMatcher = Matcher(
    patterns: builtIn.map { Matcher.Pattern(source: $0.pattern, regex: .compiledOnFirstUse($0.pattern), words: $0.words) },
    allowedPhrases: [])

  /// The first pattern that matches `text` once allowed phrases are removed, or `nil`.
  ///
  /// Compiles `patterns` on every call unless they are the built-in ones; a guardrail made by
  /// ``guardrail(_:)`` compiles its patterns once.
  public static func firstMatch(in text: String, patterns: [String] = builtInPatterns, allowedPhrases: [String] = [])
    -> Match?
  {
    let compiled =
      patterns == builtInPatterns
      ? builtInMatcher.patterns
      : patterns.compactMap { pattern in
        guard let regex = try? Regex(pattern).ignoresCase() else { return nil }
        return Matcher.Pattern(source: pattern, regex: .init(regex), words: [])
      }
    return Matcher(patterns: compiled, allowedPhrases: allowedPhrases).firstMatch(in: text)
  }

  /// Compiled patterns and the allowed phrases: what one guardrail checks.
  struct Matcher: Sendable {
    /// A pattern and the words one of which a matching text contains (empty: no such words known).
    struct Pattern: Sendable {
      var source: String
      var regex: PatternRegex
      var words: [String]
    }

    var patterns: [Pattern]
    var allowedPhrases: [String]

    /// The first pattern that matches `text` (lowercased, allowed phrases removed, runs of spaces, tabs and
    /// no-break spaces made one space), or `nil`.
    func firstMatch(in text: String) -> Match? {
      var lowered = text.lowercased()
      for phrase in allowedPhrases { lowered = lowered.replacing(phrase.lowercased(), with: " ") }
      let normalized = Self.collapsingSpaces(lowered)
      for pattern in patterns {
        guard pattern.words.isEmpty || pattern.words.contains(where: { Self.contains(normalized, $0) }),
          let found = pattern.regex.firstMatch(in: normalized)
        else { continue }
        let matched = normalized[found].drop(while: \.isWhitespace)
        return Match(pattern: pattern.source, matchedText: String(matched.reversed().drop(while: \.isWhitespace).reversed()))
      }
      return nil
    }

    /// Whether the UTF-8 bytes of `word` occur in those of `text`.
    static func contains(_ text: String, _ word: String) -> Bool {
      var text = text
      var word = word
      return text.withUTF8 { haystack in
        word.withUTF8 { needle in
          guard let first = needle.first else { return true }
          guard needle.count <= haystack.count else { return false }
          var start = 0
          while start <= haystack.count - needle.count {
            if haystack[start] == first {
              var offset = 1
              while offset < needle.count, haystack[start + offset] == needle[offset] { offset += 1 }
              if offset == needle.count { return true }
            }
            start += 1
          }
          return false
        }
      }
    }

    /// `text` with each run of spaces, tabs and no-break spaces replaced by one space.
    static func collapsingSpaces(_ text: String) -> String {
      // Most texts have single spaces only (no tab, no no-break space, U+00A0 = C2 A0 in UTF-8): nothing to do.
      var previous: UInt8 = 0
      let unchanged = text.utf8.allSatisfy { byte in
        defer { previous = byte }
        return byte != UInt8(ascii: "\t") && !(byte == 0xA0 && previous == 0xC2)
          && !(byte == UInt8(ascii: " ") && previous == UInt8(ascii: " "))
      }
      if unchanged { return text }
      var result = ""
      result.reserveCapacity(text.utf8.count)
      var inRun = false
      for scalar in text.unicodeScalars {
        if scalar == " " || scalar == "\t" || scalar == "\u{00A0}" {
          if !inRun { result.unicodeScalars.append(" ") }
          inRun = true
        } else {
          result.unicodeScalars.append(scalar)
          inRun = false
        }
      }
      return result
    }
  }

  /// A pattern's case-insensitive regular expression, compiled when made or when first used.
  final class PatternRegex: Sendable {
    private let source: String
    private let compiled: Mutex<Regex<AnyRegexOutput>?>

    /// An expression that is already compiled.
    init(_ regex: sending Regex<AnyRegexOutput>) {
      source = ""
      compiled = Mutex(regex)
    }

    private init(source: String) {
      self.source = source
      compiled = Mutex(nil)
    }

    /// `source`, compiled on the first ``firstMatch(in:)``; it must be a valid expression.
    static func compiledOnFirstUse(_ source: String) -> PatternRegex { PatternRegex(source: source) }

    /// The range of the first match in `text`, or `nil`.
    func firstMatch(in text: String) -> Range<String.Index>? {
      compiled.withLock { regex in
        if regex == nil { regex = try! Regex(source).ignoresCase() }
        return text.firstMatch(of: regex!)?.range
      }
    }
  }

  /// The user messages after the last assistant message, tool call or tool output: the new turn's input.
  static func newUserTexts(_ input: [Item]) -> [String] {
    var texts: [String] = []
    for item in input.reversed() {
      guard case .message(let message) = item, message.role != .assistant else { break }
      if message.role == .user { texts.append(message.content) }
    }
    return texts
  }
}

extension InputGuardrail {
  /// The prompt-injection preset (``PromptInjectionGuardrail``) with the built-in patterns only.
  public static var promptInjection: InputGuardrail {
    PromptInjectionGuardrail.make(PromptInjectionGuardrail.builtInMatcher)
  }
}
