import WireCore

/// A stable identifier of a model request: the SHA-256 of its canonical JSON (object keys sorted, arrays kept
/// in order), so two requests with the same model, messages, settings and tools get the same key in any process.
public struct CacheKey: Sendable, Hashable, CustomStringConvertible {
  /// The 64-character lowercase hex digest.
  public let hex: String

  /// Derives the key of a request described as JSON.
  public init(request: JSONValue) {
    self.hex = SHA256.hexDigest(CacheKey.canonical(request).jsonBytes)
  }

  /// Wraps a digest read back from the store.
  init(hex: String) {
    self.hex = hex
  }

  /// The hex digest.
  public var description: String { hex }

  /// `value` with every object's keys sorted by their UTF-8 bytes, recursively.
  static func canonical(_ value: JSONValue) -> JSONValue {
    switch value {
    case .array(let elements):
      return .array(elements.map(canonical))
    case .object(let object):
      let sorted = object.fields
        .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        .map { ($0.key, canonical($0.value)) }
      return .object(JSONObject(sorted))
    case .null, .bool, .int, .double, .string:
      return value
    }
  }
}
