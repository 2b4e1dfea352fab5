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
  public struct Configuration: Sendable, Hashable {
    /// Regular expressions (case-insensitive) checked in addition to ``PromptInjectionGuardrail/builtInPatterns``.
    public var extraPatterns: [String]
    /// Phrases removed (case-insensitively) before matching, so they never trip the guardrail.
    public var allowedPhrases: [String]
    /// Whether the built-in patterns are checked.
    public var usesBuiltInPatterns: Bool

    /// Creates a configuration; by default only the built-in patterns.
    public init(extraPatterns: [String] = [], allowedPhrases: [String] = [], usesBuiltInPatterns: Bool = true) {
      self.extraPatterns = extraPatterns
      self.allowedPhrases = allowedPhrases
      self.usesBuiltInPatterns = usesBuiltInPatterns
    }
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
  public static let builtInPatterns: [String] = [
    // Telling the model to drop what it was told before.
    #"\b(ignore|skip|bypass|disregard|forget|override)\s+(all\s+|any\s+|the\s+|your\s+|of\s+)*(previous|prior|above|earlier|preceding|former)\s+(instructions|prompts?|messages|rules|directions|context|guidelines)"#,
    #"\b(ignore|disregard|forget|override)\s+(all\s+|any\s+|of\s+)*your\s+(instructions|rules|guidelines|programming|system\s+prompt)"#,
    #"\b(ignore|disregard|forget)\s+(the\s+)?system\s+(prompt|message)"#,
    #"\bforget\s+everything\s+(above|before|you\s+were\s+told)"#,
    // Declaring the model someone without its rules (a role such as "an expert teacher" is fine).
    #"\byou\s+are\s+(now\s+)?no\s+longer\s+(bound|restricted|limited|an?\s+ai)"#,
    #"\byou\s+are\s+now\s+(DAN|unrestricted|unfiltered|uncensored|jailbroken|free\s+of)\b"#,
    #"\byou\s+are\s+now\s+in\s+(developer|jailbreak|god|DAN)\s+mode"#,
    #"\b(jailbreak|DAN)\s+mode\b"#,
    #"\b(enable|activate|enter)\s+(developer|god)\s+mode\s+and\b"#,
    // Asking for the hidden prompt.
    #"\b(reveal|show|print|repeat|output|leak|tell\s+me)\s+(me\s+)?(your|the)\s+(system\s+prompt|system\s+message|initial\s+prompt|original\s+instructions|hidden\s+(prompt|instructions))"#,
    #"\b(reveal|print|repeat|output|leak|tell\s+me)\s+(me\s+)?your\s+(instructions|rules)\b"#,
    #"\b(reveal|print|repeat|output|leak)\s+(me\s+)?the\s+system\s+message\b"#,
    // Fake turns and chat-template role tokens.
    #"(^|\n)\s*new\s+(system\s+)?instructions\s*:"#,
    #"<\|\s*(im_start|start_header_id)\s*\|>\s*system"#,
    #"<\|\s*system\s*\|>"#,
    #"<<\s*SYS\s*>>"#,
    #"\[INST\][\s\S]*\[/INST\]"#,
    // A `system:` turn after other text (at the very start it is the user's own instruction).
    #"\n\s*(#{2,}\s*)?system\s*(prompt)?\s*:[ \t]*\S"#,
    #"^\s*#{2,}\s*system\s*(prompt)?\s*:"#,
  ]

  /// The guardrail with `configuration`.
  ///
  /// - Throws: ``AgentsError`` with code ``AgentsError/Code/userError`` when an extra pattern is not a valid
  ///   regular expression.
  public static func guardrail(_ configuration: Configuration = Configuration()) throws(AgentsError) -> InputGuardrail {
    let patterns = (configuration.usesBuiltInPatterns ? builtInPatterns : []) + configuration.extraPatterns
    for pattern in configuration.extraPatterns {
      do {
        _ = try Regex(pattern)
      } catch {
        throw AgentsError(
          .userError, "The prompt-injection pattern '\(pattern)' is not a valid regular expression (\(error)). "
            + "Fix or remove it.")
      }
    }
    return make(patterns: patterns, allowedPhrases: configuration.allowedPhrases.filter { !$0.isEmpty })
  }

  /// The guardrail for patterns known to be valid.
  static func make(patterns: [String], allowedPhrases allowed: [String]) -> InputGuardrail {
    InputGuardrail(name: name, runInParallel: false) { _, _, input in
      for text in newUserTexts(input) {
        if let match = firstMatch(in: text, patterns: patterns, allowedPhrases: allowed) {
          return GuardrailOutput(tripwireTriggered: true, outputInfo: match)
        }
      }
      return GuardrailOutput(tripwireTriggered: false)
    }
  }

  /// The first pattern that matches `text` once allowed phrases are removed, or `nil`.
  public static func firstMatch(in text: String, patterns: [String] = builtInPatterns, allowedPhrases: [String] = [])
    -> Match?
  {
    var normalized = text.lowercased()
    for phrase in allowedPhrases { normalized = normalized.replacing(phrase.lowercased(), with: " ") }
    normalized = normalized.replacing(/[ \t\u{00A0}]+/, with: " ")
    for pattern in patterns {
      guard let regex = try? Regex(pattern).ignoresCase(), let found = normalized.firstMatch(of: regex) else { continue }
      let matched = normalized[found.range].drop(while: \.isWhitespace)
      return Match(pattern: pattern, matchedText: String(matched.reversed().drop(while: \.isWhitespace).reversed()))
    }
    return nil
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
    PromptInjectionGuardrail.make(patterns: PromptInjectionGuardrail.builtInPatterns, allowedPhrases: [])
  }
}
