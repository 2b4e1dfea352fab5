import NIOCore
import NIOHTTP1

/// One HTTP request to a model server, with the limits that apply to it.
public struct TransportRequest: Sendable {
  /// The HTTP method.
  public var method: HTTPMethod
  /// The absolute URL.
  public var url: String
  /// The request headers (including `Authorization`, which is never logged).
  public var headers: HTTPHeaders
  /// The body, if any.
  public var body: ByteBuffer?
  /// How long each phase may take.
  public var timeouts: OllamaConfig.Timeouts
  /// When to retry.
  public var retry: OllamaConfig.RetryPolicy
  /// Strings that must never appear in errors or logs (the API key).
  public var secrets: [String]
  /// The model the request is for, when there is one; reported in retry events and log lines.
  public var model: String?
  /// The most requests to this server that may run at once in this process (the server's shared
  /// ``RequestLimiter``); `nil`, `0` or less sends without waiting.
  public var concurrencyLimit: Int?
  /// What resets the idle timeout when the response is an event stream (`text/event-stream`): any bytes, or
  /// only real events (``BodyProgress/serverSentEvents``: keep-alive comments and empty events do not).
  /// Other responses count every chunk.
  public var progress: BodyProgress

  /// Creates a request.
  public init(
    method: HTTPMethod = .GET,
    url: String,
    headers: HTTPHeaders = HTTPHeaders(),
    body: ByteBuffer? = nil,
    timeouts: OllamaConfig.Timeouts = OllamaConfig.Timeouts(),
    retry: OllamaConfig.RetryPolicy = OllamaConfig.RetryPolicy(),
    secrets: [String] = [],
    model: String? = nil,
    concurrencyLimit: Int? = nil,
    progress: BodyProgress = .anyBytes
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.timeouts = timeouts
    self.retry = retry
    self.secrets = secrets
    self.model = model
    self.concurrencyLimit = concurrencyLimit
    self.progress = progress
  }

  /// A request to `path` under a configuration's base URL, with its key, timeouts, retry policy,
  /// concurrency limit and JSON headers; `body` is sent as `application/json`. A request that accepts
  /// `text/event-stream` counts only real events as progress (``BodyProgress/serverSentEvents``).
  public init(
    _ method: HTTPMethod, path: String, baseURL: String, config: OllamaConfig, body: [UInt8]? = nil,
    accept: String = "application/json"
  ) {
    var headers = HTTPHeaders()
    headers.reserveCapacity(5)
    headers.add(name: "Accept", value: accept)
    headers.add(name: "User-Agent", value: "OllamaAgents")
    if !config.apiKey.isEmpty { headers.add(name: "Authorization", value: "Bearer \(config.apiKey)") }
    var buffer: ByteBuffer?
    if let body {
      headers.add(name: "Content-Type", value: "application/json")
      buffer = ByteBuffer(bytes: body)
    }
    self.init(
      method: method,
      url: baseURL + (path.hasPrefix("/") ? path : "/" + path),
      headers: headers,
      body: buffer,
      timeouts: config.timeouts,
      retry: config.retry,
      // The default key `ollama` is no secret; redacting it would garble every "ollama" in messages.
      secrets: config.apiKey.isEmpty || config.apiKey == OllamaConfig.defaultAPIKey ? [] : [config.apiKey],
      concurrencyLimit: config.maxConcurrentRequestsPerServer,
      progress: accept == "text/event-stream" ? .serverSentEvents : .anyBytes
    )
  }
}

/// The head of a successful (2xx) response and its streaming body.
public struct TransportResponse: Sendable {
  /// The HTTP status code.
  public var status: Int
  /// The response headers.
  public var headers: HTTPHeaders
  /// The body, read under the request's idle timeout and overall deadline.
  public var body: ResponseBody
  /// The request URL, redacted, for error messages.
  public var url: String

  /// Creates a response head with a body, e.g. to replay a recorded response.
  public init(status: Int, headers: HTTPHeaders, body: ResponseBody, url: String) {
    self.status = status
    self.headers = headers
    self.body = body
    self.url = url
  }

  /// The `Content-Type` without parameters, lower-cased (e.g. `text/event-stream`).
  public var mediaType: String? {
    headers.first(name: "content-type").map { value in
      String(value.prefix(while: { $0 != ";" })).trimmingWhitespace().lowercased()
    }
  }

  /// Whether ``mediaType`` is `type` (given in lower case), found without building a string.
  public func hasMediaType(_ type: String) -> Bool {
    TransportResponse.contentType(of: headers, is: type)
  }

  /// Whether the `Content-Type` of `headers`, parameters and surrounding spaces left out, is `type` (lower case),
  /// ASCII case ignored.
  static func contentType(of headers: HTTPHeaders, is type: String) -> Bool {
    guard let value = headers.first(name: "content-type") else { return false }
    var bytes = value.utf8[...]
    while let first = bytes.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { bytes.removeFirst() }
    for expected in type.utf8 {
      guard let byte = bytes.popFirst() else { return false }
      let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
      guard lower == expected else { return false }
    }
    while let first = bytes.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { bytes.removeFirst() }
    return bytes.first == nil || bytes.first == UInt8(ascii: ";")
  }
}
