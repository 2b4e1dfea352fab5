import AgentsStore
import Foundation
import WireCore

/// Where a PostgreSQL store lives, parsed from a `postgres://` URL as `psql` reads one.
///
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=…&schema=…` (also `postgresql://`); a host that starts
/// with `/`, given as `?host=/run/postgresql` or as an empty host, is a Unix socket directory. Percent-encoded
/// characters in the user and password are decoded. Missing parts take libpq's defaults: port 5432, user
/// `$PGUSER` or the login name, password `$PGPASSWORD`, database named like the user. The password never
/// appears in ``description``, logs or errors: they show ``address``, the URL without credentials.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
  /// How the connection is encrypted (`sslmode`).
  public enum TLSMode: String, Sendable, Hashable, CaseIterable {
    /// Plain text only.
    case disable
    /// TLS when the server offers it, else plain text (libpq's default).
    case prefer
    /// TLS or no connection; the certificate is verified against the system's roots.
    case require
  }

  /// The host name or address, or nil for a Unix socket.
  public var host: String?
  /// The TCP port, or the number in the socket file's name (`.s.PGSQL.5432`).
  public var port: Int
  /// The directory holding the server's Unix socket, when connecting through one.
  public var socketDirectory: String?
  /// The role to log in as.
  public var user: String
  /// The role's password, if any.
  public var password: String?
  /// The database.
  public var database: String
  /// The schema the store's tables live in (created if missing), `public` by default.
  public var schema: String
  /// Whether to encrypt the connection.
  public var tls: TLSMode

  /// The URL without the password (and without the user name), for messages and logs.
  public var address: ServerAddress { ServerAddress(original) }

  /// The URL without credentials.
  public var description: String { address.redacted }

  private var original: String

  /// Whether `text` names a PostgreSQL store (`postgres://` or `postgresql://`).
  public static func isPostgresURL(_ text: String) -> Bool {
    let lower = text.lowercased()
    return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
  }

  /// Parses a `postgres://` URL.
  ///
  /// - Parameter environment: Where `PGUSER`, `PGPASSWORD` and `USER` come from when the URL lacks them.
  /// - Throws: ``StoreError`` `invalidArgument` saying what is wrong with the URL and giving an example.
  public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
    original = text
    let example = "e.g. postgres://agents:secret@127.0.0.1:5432/agents"
    guard Self.isPostgresURL(text), let components = URLComponents(string: text) else {
      throw StoreError(
        .invalidArgument,
        "'\(ServerAddress(text).redacted)' is not a PostgreSQL URL; write postgres://USER:PASSWORD@HOST:PORT/DATABASE, \(example)")
    }
    var query: [String: String] = [:]
    for item in components.queryItems ?? [] { query[item.name.lowercased()] = item.value ?? "" }
    let known: Set<String> = ["sslmode", "schema", "host", "port", "user", "password", "dbname", "application_name"]
    if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
      throw StoreError(
        .invalidArgument,
        "the PostgreSQL URL has an unknown parameter '\(unknown)'; known: sslmode, schema, host, port, user, dbname")
    }
    if query["password"] != nil {
      throw StoreError(
        .invalidArgument,
        "put the PostgreSQL password in the URL's user part (postgres://USER:PASSWORD@HOST/DB) or in PGPASSWORD, "
          + "not in a 'password' parameter")
    }

    var hostText = query["host"] ?? components.percentEncodedHost.flatMap { $0.removingPercentEncoding } ?? ""
    if hostText.hasPrefix("["), hostText.hasSuffix("]") { hostText = String(hostText.dropFirst().dropLast()) }
    if hostText.isEmpty || hostText.hasPrefix("/") {
      host = nil
      socketDirectory = hostText.isEmpty ? "/var/run/postgresql" : hostText
    } else {
      host = hostText
      socketDirectory = nil
    }

    if let portText = query["port"] ?? components.port.map(String.init) {
      guard let number = Int(portText), (1...65535).contains(number) else {
        throw StoreError(.invalidArgument, "the PostgreSQL port must be between 1 and 65535, got '\(portText)'")
      }
      port = number
    } else {
      port = 5432
    }

    let urlUser = components.percentEncodedUser.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 }
    user = query["user"] ?? urlUser ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
    password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding } ?? environment["PGPASSWORD"]

    let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
    database = query["dbname"] ?? (path.isEmpty ? user : (path.removingPercentEncoding ?? path))
    guard !database.contains("/") else {
      throw StoreError(.invalidArgument, "the PostgreSQL database name cannot contain '/', got '\(database)'; \(example)")
    }

    schema = query["schema"] ?? "public"
    guard Self.isPlainIdentifier(schema) else {
      throw StoreError(
        .invalidArgument,
        "the schema must be a plain name (letters, digits and _, not starting with a digit), got '\(schema)'")
    }

    let mode = query["sslmode"] ?? "prefer"
    switch mode {
    case "disable", "allow": tls = .disable
    case "prefer": tls = .prefer
    case "require", "verify-ca", "verify-full": tls = .require
    default:
      throw StoreError(
        .invalidArgument, "unknown sslmode '\(mode)'; use disable, prefer or require (verify-full is treated as require)")
    }
    if host == nil { tls = .disable }
  }

  /// Whether `name` can be used as an identifier without quoting.
  static func isPlainIdentifier(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, name.utf8.count <= 63 else { return false }
    let letters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz_")
    let rest = letters.union(CharacterSet(charactersIn: "0123456789"))
    return letters.contains(first) && name.unicodeScalars.allSatisfy { rest.contains($0) }
  }

  /// A location with another schema (tests use a fresh schema each).
  public func withSchema(_ schema: String) throws(StoreError) -> PostgresLocation {
    guard Self.isPlainIdentifier(schema) else {
      throw StoreError(.invalidArgument, "the schema must be a plain lower-case name, got '\(schema)'")
    }
    var copy = self
    copy.schema = schema
    return copy
  }

  /// Where the server is, for messages: `host:port` or the socket directory.
  var endpoint: String { host.map { "\($0):\(port)" } ?? "\(socketDirectory ?? "")/.s.PGSQL.\(port)" }
}
