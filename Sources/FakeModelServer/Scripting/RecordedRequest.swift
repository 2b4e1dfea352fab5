import WireCore

/// One HTTP request the fake server received, kept so tests can assert what a client sent.
public struct RecordedRequest: Sendable {
  /// The HTTP method, e.g. `POST`.
  public let method: String
  /// The request target as sent, with any query string.
  public let uri: String
  /// The path without the query string, e.g. `/v1/chat/completions`.
  public let path: String
  /// The request headers in the order they arrived.
  public let headers: Headers
  /// The raw body bytes.
  public let body: [UInt8]
  /// The body parsed as JSON, or `nil` when it is empty or not valid JSON.
  public let json: JSONValue?
  /// The 1-based position of this request among all requests the server received.
  public internal(set) var sequenceNumber: Int

  /// Creates a recorded request; the body is parsed as JSON when possible.
  public init(method: String, uri: String, headers: Headers, body: [UInt8], sequenceNumber: Int = 0) {
    self.method = method
    self.uri = uri
    if let queryStart = uri.firstIndex(of: "?") {
      self.path = String(uri[..<queryStart])
    } else {
      self.path = uri
    }
    self.headers = headers
    self.body = body
    self.json = body.isEmpty ? nil : try? JSONValue.parse(body)
    self.sequenceNumber = sequenceNumber
  }

  /// The body decoded as UTF-8 text.
  public var bodyText: String { String(decoding: body, as: UTF8.self) }

  /// The `model` field of a JSON body.
  public var model: String? { json?["model"]?.stringValue }

  /// The `messages` array of a chat request body (empty when absent).
  public var messages: [JSONValue] { json?["messages"]?.arrayValue ?? [] }

  /// The `tools` array of a chat request body (empty when absent).
  public var tools: [JSONValue] { json?["tools"]?.arrayValue ?? [] }

  /// The text of the last message with role `user`, joining the `text` parts of multi-part content.
  public var lastUserMessageText: String? {
    guard let message = messages.last(where: { $0["role"]?.stringValue == "user" }) else { return nil }
    return Self.text(of: message["content"])
  }

  /// The text of message content given as a string or as an array of `{"type":"text","text":…}` parts.
  static func text(of content: JSONValue?) -> String? {
    switch content {
    case .string(let text): return text
    case .array(let parts):
      return parts.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined()
    default: return nil
    }
  }

  /// The header `name` (case-insensitive), or `nil`.
  public func header(_ name: String) -> String? { headers[name] }

  /// HTTP headers in arrival order with case-insensitive lookup.
  public struct Headers: Sendable, Sequence {
    /// The name–value pairs in arrival order.
    public let fields: [(name: String, value: String)]

    /// Creates headers from pairs.
    public init(_ fields: [(name: String, value: String)]) { self.fields = fields }

    /// The first value for `name` (case-insensitive).
    public subscript(name: String) -> String? {
      fields.first(where: { $0.name.lowercased() == name.lowercased() })?.value
    }

    /// Every value for `name` (case-insensitive), in order.
    public func values(for name: String) -> [String] {
      fields.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// Iterates the pairs in order.
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }
  }
}
