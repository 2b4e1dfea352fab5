/// A model server's URL that cannot be printed, logged, stored or encoded with its credentials.
///
/// The full URL (with `user:password@` and secret query values such as `?key=…`) is kept for the requests
/// themselves, behind ``urlWithCredentials``; every other way of turning it into text (`description`, string
/// interpolation, `debugDescription`, `dump`, `Encodable`) gives the redacted form, ``redacted``. Run records,
/// banners, errors and log lines take a `ServerAddress`, so none of them can show a password by accident.
public struct ServerAddress: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable, Encodable, ExpressibleByStringLiteral
{
  private let full: String

  /// Wraps `url` (any text; it is not validated here).
  public init(_ url: String) { self.full = url }

  /// Wraps a literal URL.
  public init(stringLiteral url: String) { self.full = url }

  /// The URL with credentials, for the request itself only.
  public var urlWithCredentials: String { full }

  /// The URL without `user:password@` and with secret query values replaced by ``Redaction/mask``.
  public var redacted: String { Redaction.url(full) }

  /// Whether the URL carries credentials (a user, a password or a secret query value).
  public var hasCredentials: Bool { redacted != full }

  /// The redacted URL.
  public var description: String { redacted }

  /// The redacted URL.
  public var debugDescription: String { redacted }

  /// Shows only the redacted URL to `dump` and debuggers.
  public var customMirror: Mirror { Mirror(self, children: ["url": redacted]) }

  /// Encodes the redacted URL as a string.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(redacted)
  }
}

extension OllamaConfig {
  /// ``baseURL`` as a ``ServerAddress``: what to show or store about the server.
  public var server: ServerAddress { ServerAddress(baseURL) }
}
