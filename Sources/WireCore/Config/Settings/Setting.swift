/// One setting of the `agents` command and the SDK: its command-line option, environment variables, configuration
/// file key, the values it accepts, its default and its help text, declared once in ``Setting/all``.
///
/// Everything that reads or shows settings derives from the declarations: the command line's global options, the
/// configuration file's `defaults:` keys, the range checks and their messages, `--help`, `--verbose` and the debug
/// log, `agents doctor`, the README's settings reference, and ``OllamaConfig/fromEnvironment(_:)``.
///
/// To add a setting, declare it in `Setting+Catalog.swift` (a `static let` and an entry in ``all``) and read its
/// resolved value where it is used (`settings.values.integer(.keepAlive)`): two files.
public struct Setting: Sendable, Hashable, Identifiable, CustomStringConvertible {
  /// What a setting accepts.
  public enum Kind: Sendable, Hashable {
    /// Any non-empty text.
    case text
    /// Non-empty text that is never shown (API keys): `--verbose`, `doctor` and logs say only whether it is set.
    case secret
    /// An `http(s)` server base URL without query or fragment.
    case url
    /// One of the listed words (compared without case).
    case choice([String])
    /// A whole number in the range.
    case integer(ClosedRange<Int>)
    /// A finite number in the range.
    case number(ClosedRange<Double>)
    /// On or off: `--name` / `--no-name` on the command line; `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off` in the
    /// environment; a YAML boolean in the file.
    case flag
    /// A file or directory path.
    case path
    /// `key=value` pairs that add up instead of replacing each other: each `-o key=value` on the command line, a JSON
    /// object in the environment, a mapping in the file; the file's pairs come first, then the environment's, then
    /// the options' (a later key wins where they meet). A pair's value is read as JSON when it is JSON, else as text.
    case keyValues
  }

  /// A parsed value.
  public enum Value: Sendable, Hashable, CustomStringConvertible {
    /// Text (``Kind/text``, ``Kind/secret``, ``Kind/url``, ``Kind/choice(_:)``, ``Kind/path``).
    case text(String)
    /// A whole number.
    case integer(Int)
    /// A number.
    case number(Double)
    /// On or off.
    case flag(Bool)
    /// `key=value` pairs (``Kind/keyValues``), in the order they apply.
    case pairs([String])

    /// The value as written on a command line.
    public var description: String {
      switch self {
      case .text(let text): text
      case .integer(let value): String(value)
      case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
      case .flag(let on): on ? "on" : "off"
      case .pairs(let pairs): pairs.joined(separator: ", ")
      }
    }
  }

  /// Where a resolved value came from.
  public enum Source: String, Sendable, Hashable {
    case option, environment, configFile = "config file", defaultValue = "default"
  }

  /// The key in the configuration file's `defaults:` section, in ``ResolvedSettings``, the debug log and `doctor
  /// --json` (for example `max_input_chars`).
  public var key: String
  /// The short name `--verbose` and `doctor` show (for example `max input`).
  public var label: String
  /// The command-line option, with its dashes (`--max-input-chars`); `nil` when there is none. A ``Kind/flag`` also
  /// accepts `--no-` before the name.
  public var option: String?
  /// A one-letter form of ``option`` (`-o`), given alone before its value.
  public var shortOption: String?
  /// The value's name in `--help` (`n`, `url`, `seconds`).
  public var valueName: String
  /// The environment variables that set it, in order of preference.
  public var variables: [String]
  /// Whether the configuration file's `defaults:` section may set it.
  public var inFile: Bool
  /// What it accepts.
  public var kind: Kind
  /// The value when nothing sets it; `nil` when it is then unset (its meaning is in ``defaultDescription``).
  public var defaultValue: Value?
  /// The default as help shows it, when it says more than ``defaultValue``.
  public var defaultDescription: String?
  /// One sentence for `--help` and the README.
  public var help: String
  /// A good value, for messages (`--max-input-chars 200000`).
  public var example: String

  /// Declares a setting.
  public init(
    key: String, label: String, option: String? = nil, shortOption: String? = nil, valueName: String = "value",
    variables: [String] = [],
    inFile: Bool = true, kind: Kind, defaultValue: Value? = nil, defaultDescription: String? = nil, help: String,
    example: String
  ) {
    self.key = key
    self.label = label
    self.option = option
    self.shortOption = shortOption
    self.valueName = valueName
    self.variables = variables
    self.inFile = inFile
    self.kind = kind
    self.defaultValue = defaultValue
    self.defaultDescription = defaultDescription
    self.help = help
    self.example = example
  }

  /// The range of an ``Kind/integer(_:)`` setting; `nil` for other kinds.
  public var integerRange: ClosedRange<Int>? {
    if case .integer(let range) = kind { return range }
    return nil
  }

  /// The ``key``.
  public var id: String { key }
  /// The ``key``.
  public var description: String { key }

  /// The declared setting whose ``key`` is `key`.
  public static func named(_ key: String) -> Setting? { all.first { $0.key == key } }

  /// The declared setting whose ``option`` is `option` (for a flag also `--no-…`), and whether it was the `--no-`
  /// form.
  public static func withOption(_ option: String) -> (setting: Setting, negated: Bool)? {
    for setting in all {
      guard let name = setting.option else { continue }
      if name == option || setting.shortOption == option { return (setting, false) }
      if setting.kind == .flag, option == "--no-" + name.dropFirst(2) { return (setting, true) }
    }
    return nil
  }

  /// The settings the configuration file's `defaults:` section accepts, by key.
  public static var fileKeys: [String] { all.filter(\.inFile).map(\.key) }

  /// What a valid value looks like, for messages: "a whole number between 1 and 100000000".
  public var requirement: String {
    switch kind {
    case .text: "non-empty text"
    case .secret: "a non-empty key"
    case .url: "an http(s) URL such as \(example)"
    case .choice(let words):
      words.count <= 2
        ? words.map { "'\($0)'" }.joined(separator: " or ") : "one of " + words.joined(separator: ", ")
    case .integer(let range): "a whole number between \(range.lowerBound) and \(range.upperBound)"
    case .number(let range):
      "a number between \(Value.number(range.lowerBound)) and \(Value.number(range.upperBound))"
    case .flag: "1 or 0 (also true/false, yes/no, on/off)"
    case .path: "a path"
    case .keyValues: "key=value (in the environment a JSON object such as \(Self.pairsExample))"
    }
  }

  /// Parses `text` as this setting's value (surrounding whitespace ignored).
  ///
  /// - Returns: The value, or why `text` is not valid (a sentence fragment: "it must be …").
  public func parse(_ text: String) -> Result<Value, SettingProblem> {
    let trimmed = text.trimmingWhitespace()
    let invalid = SettingProblem(setting: self, text: text, reason: "it must be \(requirement)")
    switch kind {
    case .text, .secret, .path:
      return trimmed.isEmpty
        ? .failure(SettingProblem(setting: self, text: text, reason: "it is empty")) : .success(.text(trimmed))
    case .url:
      do {
        try OllamaConfig(baseURL: trimmed).validate()
        return .success(.text(trimmed))
      } catch {
        return .failure(SettingProblem(setting: self, text: text, reason: error.summary))
      }
    case .choice(let words):
      let lowered = trimmed.lowercased()
      return words.contains(lowered) ? .success(.text(lowered)) : .failure(invalid)
    case .integer(let range):
      guard let value = Int(trimmed), range.contains(value) else { return .failure(invalid) }
      return .success(.integer(value))
    case .number(let range):
      guard let value = Double(trimmed), value.isFinite, range.contains(value) else { return .failure(invalid) }
      return .success(.number(value))
    case .flag:
      guard let on = Setting.flagValue(trimmed) else { return .failure(invalid) }
      return .success(.flag(on))
    case .keyValues:
      guard let pairs = Self.pairs(text), !pairs.isEmpty else { return .failure(invalid) }
      return .success(.pairs(pairs))
    }
  }

  /// Separates the texts of a ``Kind/keyValues`` option given more than once (no argument can contain it).
  public static let repeatSeparator = "\u{0}"
  /// A JSON object of model settings, for messages.
  static let pairsExample = #"{"top_k": 40, "seed": 7}"#

  /// The `key=value` pairs in `text`: a JSON object's members (their values as JSON), or texts separated by
  /// ``repeatSeparator`` as they were given; `nil` for text that starts like a JSON object but is not one. Whether
  /// each pair is well formed is for its user to judge (it knows the keys).
  static func pairs(_ text: String) -> [String]? {
    guard text.trimmingWhitespace().hasPrefix("{") else {
      return text.split(separator: Character(repeatSeparator)).map(String.init)
    }
    guard case .object(let object)? = try? JSONValue.parse(text) else { return nil }
    return object.map { "\($0.key)=\($0.value.jsonString)" }
  }

  /// `true` for `1`, `true`, `yes`, `on`; `false` for `0`, `false`, `no`, `off` (any case); otherwise `nil`.
  public static func flagValue(_ text: String) -> Bool? {
    switch text.trimmingWhitespace().lowercased() {
    case "1", "true", "yes", "on": true
    case "0", "false", "no", "off": false
    default: nil
    }
  }

  /// How `value` is shown by `--verbose`, `doctor` and the debug log: a secret only as "set".
  public func display(_ value: Value?) -> String {
    guard let value else { return defaultDescription ?? "not set" }
    switch kind {
    case .secret: return "set"
    case .url: return ServerAddress(value.description).redacted
    default: return value.description
    }
  }
}

/// A value a setting does not accept: which setting, the text given, and why.
public struct SettingProblem: Error, Sendable, Hashable {
  /// The setting.
  public var setting: Setting
  /// The text that was given.
  public var text: String
  /// Why it is not accepted ("it must be a whole number between 1 and 1024").
  public var reason: String

  /// Creates a problem.
  public init(setting: Setting, text: String, reason: String) {
    self.setting = setting
    self.text = text
    self.reason = reason
  }

  /// The text as a message shows it: a secret never appears.
  public var shownText: String {
    switch setting.kind {
    case .secret: "(hidden)"
    case .url: ServerAddress(text).redacted
    default: text
    }
  }
}
