import AgentsStore
import Foundation

/// The bearer tokens `agents serve` accepts, kept only as SHA-256 digests and compared in constant time.
///
/// Keys come from `AGENTS_SERVE_API_KEYS` (comma-separated) and from `--api-keys-file FILE` (one key per line;
/// blank lines and `#` comments are skipped). A key is never printed, logged or echoed in an error: the set's
/// description gives only how many keys it holds.
public struct APIKeys: Sendable, Hashable, CustomStringConvertible {
  private let digests: [[UInt8]]

  /// No keys: every request is allowed (only accepted on a loopback address).
  public static let none = APIKeys(digests: [])

  private init(digests: [[UInt8]]) { self.digests = digests }

  /// The keys in `keys`, with surrounding whitespace removed and empty entries skipped.
  public init(_ keys: some Sequence<String>) {
    var seen = Set<[UInt8]>()
    digests = keys.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
      .map { SHA256.digest($0.utf8) }.filter { seen.insert($0).inserted }
  }

  /// Whether any key is configured (and requests must carry one).
  public var isEmpty: Bool { digests.isEmpty }

  /// How many keys there are.
  public var count: Int { digests.count }

  /// "3 API keys"; never a key.
  public var description: String { "\(digests.count) API key\(digests.count == 1 ? "" : "s")" }

  /// The union of two sets.
  public func adding(_ other: APIKeys) -> APIKeys {
    APIKeys(digests: digests + other.digests.filter { !digests.contains($0) })
  }

  /// Whether `token` is one of the keys, in time that depends neither on where a key differs nor on which key
  /// matches (every key is compared in full, against the token's digest).
  public func accepts(_ token: String) -> Bool {
    let digest = SHA256.digest(token.utf8)
    var matched: UInt8 = 0
    for key in digests {
      var difference: UInt8 = 0
      for index in 0..<key.count { difference |= key[index] ^ digest[index] }
      matched |= difference == 0 ? 1 : 0
    }
    return matched == 1
  }

  /// Whether `host` only accepts connections from this machine (`127.0.0.0/8`, `::1`, `localhost`).
  public static func isLoopback(_ host: String) -> Bool {
    let host = host.lowercased()
    return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
  }

  /// Refuses to listen on an address other machines can reach when there is no key: anyone reaching it could run
  /// the agents and their tools. `agents serve` and `agents mcp serve --http` share this rule.
  ///
  /// - Throws: ``ServerStartError`` naming the address and what to do.
  public func checkExposure(listeningOn host: String) throws(ServerStartError) {
    if !Self.isLoopback(host), isEmpty {
      throw ServerStartError(
        "refusing to listen on \(host) without API keys: anyone who can reach it could run the agents and their tools",
        fix: "set AGENTS_SERVE_API_KEYS=key1,key2 or pass --api-keys-file FILE, or listen on 127.0.0.1")
    }
  }

  /// The keys in `AGENTS_SERVE_API_KEYS` (comma-separated).
  public static func fromEnvironment(_ environment: [String: String]) -> APIKeys {
    APIKeys((environment["AGENTS_SERVE_API_KEYS"] ?? "").split(separator: ",").map(String.init))
  }

  /// The keys in a file: one per line; blank lines and lines starting with `#` are skipped.
  ///
  /// - Throws: ``ServerStartError`` when the file cannot be read, holds no key, or can be read by other users.
  public static func load(file path: String) throws(ServerStartError) -> APIKeys {
    let contents: String
    do {
      contents = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw ServerStartError(
        "cannot read the API keys file \(path) (\((error as NSError).localizedDescription))",
        fix: "check the path and that it is a readable UTF-8 text file with one key per line")
    }
    var info = stat()
    if stat(path, &info) == 0, info.st_mode & 0o004 != 0 {
      throw ServerStartError(
        "the API keys file \(path) can be read by every user on this machine", fix: "run: chmod 600 \(path)")
    }
    let keys = APIKeys(
      contents.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.hasPrefix("#") })
    guard !keys.isEmpty else {
      throw ServerStartError(
        "the API keys file \(path) holds no key", fix: "write one key per line (lines starting with # are comments)")
    }
    return keys
  }
}

/// Why `agents serve` cannot start: what is wrong and what to do.
public struct ServerStartError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong.
  public var message: String
  /// What to do about it.
  public var fix: String

  /// Creates an error.
  public init(_ message: String, fix: String) {
    self.message = message
    self.fix = fix
  }

  /// `message; fix`.
  public var description: String { "\(message); \(fix)" }
}
