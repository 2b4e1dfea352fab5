/// Resolved settings: each ``Setting``'s value and where it came from.
///
/// Read a setting with its typed accessor, `values.integer(.contextLength)`; a setting that nothing set reads as
/// its declared default (``Setting/defaultValue``).
public struct SettingValues: Sendable, Hashable {
  /// One resolved value.
  public struct Entry: Sendable, Hashable {
    /// The value; `nil` when the setting is unset and has no default.
    public var value: Setting.Value?
    /// Where it came from.
    public var source: Setting.Source
  }

  private var entries: [String: Entry] = [:]

  /// Creates values; settings missing from `entries` read as their defaults.
  public init(_ entries: [String: Entry] = [:]) { self.entries = entries }

  /// `setting`'s value, or its default when it was not resolved.
  public subscript(_ setting: Setting) -> Setting.Value? {
    get { entries[setting.key].map(\.value) ?? setting.defaultValue }
  }

  /// Records `value` from `source` for `setting`.
  public mutating func set(_ setting: Setting, _ value: Setting.Value?, from source: Setting.Source) {
    entries[setting.key] = Entry(value: value, source: source)
  }

  /// Where `setting`'s value came from, `nil` when it was not resolved.
  public func source(of setting: Setting) -> Setting.Source? { entries[setting.key]?.source }

  /// Where each resolved setting came from, by key.
  public var sources: [String: Setting.Source] { entries.mapValues(\.source) }

  /// A text setting's value.
  public func text(_ setting: Setting) -> String? {
    if case .text(let text)? = self[setting] { return text }
    return nil
  }

  /// A whole-number setting's value.
  public func integer(_ setting: Setting) -> Int? {
    if case .integer(let value)? = self[setting] { return value }
    return nil
  }

  /// A number setting's value.
  public func number(_ setting: Setting) -> Double? {
    switch self[setting] {
    case .number(let value)?: value
    case .integer(let value)?: Double(value)
    default: nil
    }
  }

  /// A ``Setting/Kind/keyValues`` setting's pairs (none when unset).
  public func pairs(_ setting: Setting) -> [String] {
    if case .pairs(let pairs)? = self[setting] { return pairs }
    return []
  }

  /// A flag's value (`false` when unset).
  public func flag(_ setting: Setting) -> Bool {
    if case .flag(let on)? = self[setting] { return on }
    return false
  }
}
