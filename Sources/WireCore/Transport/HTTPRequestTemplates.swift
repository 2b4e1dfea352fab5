import AsyncHTTPClient
import NIOHTTP1
import Synchronization

/// AsyncHTTPClient requests made from copies: the first request to a URL with a method is kept, and later ones take
/// its parsed URL with their own header lines and body.
///
/// Making an `HTTPClient.Request` from a string parses the URL twice (Foundation's `URL`, then AsyncHTTPClient's
/// scheme, host, port and path): tens of microseconds on the way to every model call's first token. A process sends
/// to a handful of URLs.
enum HTTPRequestTemplates {
  private struct Key: Hashable {
    var url: String
    var method: String
  }

  /// The templates, at most 256.
  private static let templates = Mutex(BoundedMemo<Key, HTTPClient.Request>(limit: 256))

  /// The AsyncHTTPClient request for `request`.
  ///
  /// - Throws: What `HTTPClient.Request` throws for a URL it cannot send to (nothing is remembered then).
  static func request(for request: TransportRequest) throws -> HTTPClient.Request {
    let key = Key(url: request.url, method: request.method.rawValue)
    var made: HTTPClient.Request
    if let template = templates.withLock({ $0[key] }) {
      made = template
    } else {
      made = try HTTPClient.Request(url: request.url, method: request.method)
      templates.withLock { $0.remember(made, for: key) }
    }
    made.headers = request.headers
    made.body = request.body.map { .byteBuffer($0) }
    return made
  }
}
