#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A secret key that signs saved run states, so a state changed by anyone without the key is refused.
///
/// Without a key a saved state carries a SHA-256 digest: that catches damage and careless edits, but whoever can
/// write the file can also recompute it. With a key it carries an HMAC-SHA-256, which only holders of the key
/// can produce. Keep the key where the process that resumes runs can read it and the agents' tools cannot (the
/// `agents` CLI keeps one in its data directory, readable by the user only).
public struct RunStateKey: Sendable, Hashable {
  /// The key's bytes.
  public let bytes: [UInt8]

  /// The smallest key accepted, in bytes.
  public static let minimumLength = 16

  /// A key from `bytes`.
  ///
  /// - Throws: ``AgentsError`` with code ``AgentsError/Code/userError`` for a key shorter than ``minimumLength`` bytes.
  public init(bytes: some Sequence<UInt8>) throws {
    let bytes = Array(bytes)
    guard bytes.count >= Self.minimumLength else {
      throw AgentsError(
        .userError, "A run state key needs at least \(Self.minimumLength) bytes, but this one has \(bytes.count). "
          + "Use RunStateKey.random() and keep its bytes.")
    }
    self.bytes = bytes
  }

  /// A new random 32-byte key from the system's secure random number generator.
  public static func random() -> RunStateKey {
    var generator = SystemRandomNumberGenerator()
    return RunStateKey(unchecked: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
  }

  private init(unchecked bytes: [UInt8]) { self.bytes = bytes }
}

extension RunStateKey: CustomStringConvertible {
  /// `RunStateKey(32 bytes)`: never the key itself.
  public var description: String { "RunStateKey(\(bytes.count) bytes)" }
}

extension RunState {
  private static let versionKey = "$schemaVersion"

  /// The state as one line of JSON: `{"$schemaVersion":2,"integrity":…,"state":{…}}`.
  ///
  /// `integrity` is an HMAC-SHA-256 of the state under `key`, or its SHA-256 digest without one. The JSON holds
  /// the conversation and tool arguments as they are: store it like the conversation itself.
  public func jsonString(key: RunStateKey? = nil) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let state = try JSONValue.parse(try encoder.encode(snapshot))
    let envelope: JSONValue = [
      Self.versionKey: .int(Self.schemaVersion),
      "integrity": .string(RunStateIntegrity.of(state.jsonBytes, key: key)),
      "state": state,
    ]
    return envelope.jsonString
  }

  /// Restores a state saved with ``jsonString(key:)``, for the run that started with `startingAgent`.
  ///
  /// - Parameter key: the key the state was signed with; `nil` for a state saved without one.
  /// - Throws: ``AgentsError`` with code ``AgentsError/Code/invalidRunState`` when the text is not a saved run
  ///   state, was saved with another schema version, was changed after it was saved (or signed with another key,
  ///   or not signed when a key is given), or names agents `startingAgent` does not lead to.
  public init(json: String, startingAgent: Agent, key: RunStateKey? = nil) throws {
    let state = try Self.verifiedState(json, key: key)
    let snapshot: RunSnapshot
    do {
      snapshot = try JSONDecoder().decode(RunSnapshot.self, from: Data(state.jsonBytes))
    } catch {
      throw Self.invalid("is incomplete or damaged (\(Self.describe(decodingError: error))), although its integrity check matches")
    }
    try self.init(snapshot: snapshot, startingAgent: startingAgent)
  }

  /// The `state` member of a saved state, after checking its version and integrity.
  private static func verifiedState(_ json: String, key: RunStateKey?) throws -> JSONValue {
    let envelope: JSONValue
    do {
      envelope = try JSONValue.parse(json)
    } catch {
      throw invalid("is not a saved run state: \(error)")
    }
    guard let version = envelope[versionKey] else {
      throw invalid("is not a saved run state (it has no \(versionKey))")
    }
    guard let number = version.intValue, readableSchemaVersions.contains(number) else {
      let saved = version.intValue.map(String.init) ?? version.jsonString
      let age = (version.intValue ?? 0) > schemaVersion ? "a newer" : "an older"
      throw invalid(
        "was saved by \(age) version of the Agents SDK (schema version \(saved); this version reads versions "
          + "\(readableSchemaVersions.lowerBound) to \(schemaVersion)), so it cannot be resumed. Start the run again")
    }
    guard let state = envelope["state"], state.objectValue != nil, let integrity = envelope["integrity"]?.stringValue
    else {
      throw invalid("is incomplete: it needs an object 'state' and a string 'integrity'")
    }
    let bytes = state.jsonBytes
    switch (integrity.hasPrefix(RunStateIntegrity.signaturePrefix), key) {
    case (true, nil):
      throw invalid("is signed with a key, but no key was given to check it. Pass the key it was signed with")
    case (false, .some):
      throw invalid(
        "is not signed with a key, so it cannot be trusted: it may have been replaced. Only resume states this "
          + "program saved")
    default:
      break
    }
    guard RunStateIntegrity.matches(integrity, bytes, key: key) else {
      throw invalid(
        key == nil
          ? "was changed after it was saved (its integrity check does not match), so it is not resumed. Start the run again"
          : "was changed after it was saved, or signed with another key (its signature does not match), so it is not "
            + "resumed. Start the run again")
    }
    return state
  }

  private static func invalid(_ problem: String) -> AgentsError {
    AgentsError(.invalidRunState, "The saved run state \(problem).")
  }

  private static func describe(decodingError error: any Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    let path: [any CodingKey]
    switch error {
    case .keyNotFound(let key, let context): path = context.codingPath + [key]
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      path = context.codingPath
    @unknown default: path = []
    }
    let field = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    return field.isEmpty ? "unreadable" : "field '\(field)' is missing or has the wrong type"
  }
}
