import WireCore

/// A response an endpoint produced, before an injected fault shapes how it is delivered.
struct EndpointResponse {
  /// The HTTP status code.
  var status: Int
  /// Headers other than `Content-Length` (added for complete bodies when written).
  var headers: [(String, String)]
  /// The body.
  var body: Body
  /// What a `midStreamError` fault writes after the events already sent (nil: not a stream).
  var midStreamFailure: MidStreamFailure?
  /// Whether the request was `HEAD` (headers only).
  var isHead = false

  /// A body sent at once or as a stream of flushed events.
  enum Body {
    /// One body with a `Content-Length`.
    case complete([UInt8])
    /// Chunked transfer encoding, one flush per frame.
    case stream([[UInt8]])
  }

  /// How an endpoint's stream reports a failure after it has started (reference §4.2).
  enum MidStreamFailure {
    /// /v1: this pre-rendered empty-content chunk, then the stream ends; the message is lost.
    case openAIChunk([UInt8])
    /// Native: a final `{"error":message}` line.
    case nativeErrorLine
  }

  /// A JSON body.
  static func json(
    _ value: JSONValue, status: Int = 200, contentType: String = ContentType.nativeJSON
  ) -> EndpointResponse {
    EndpointResponse(status: status, headers: [("Content-Type", contentType)], body: .complete(value.jsonBytes))
  }

  /// A plain-text body.
  static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8")
    -> EndpointResponse
  {
    EndpointResponse(status: status, headers: [("Content-Type", contentType)], body: .complete(Array(text.utf8)))
  }

  /// Go's default 404 for an unknown route.
  static let notFound = text("404 page not found", status: 404, contentType: "text/plain")

  /// Gin's 405 for a known route with the wrong method.
  static let methodNotAllowed = text("405 method not allowed", status: 405, contentType: "text/plain")
}

/// The content types Ollama sends.
enum ContentType {
  /// Native JSON (gin `c.JSON`) and every JSON error body.
  static let nativeJSON = "application/json; charset=utf-8"
  /// Successful /v1 JSON bodies (set explicitly by Ollama's OpenAI middleware).
  static let openAIJSON = "application/json"
  /// Native streams.
  static let ndjson = "application/x-ndjson"
  /// /v1 streams.
  static let eventStream = "text/event-stream"
}

/// Ollama's two error body formats.
enum ErrorBody {
  /// Which format an endpoint uses.
  enum Family {
    /// `{"error":{"message":…,"type":…,"param":null,"code":null}}`.
    case openAI
    /// `{"error":"…"}`.
    case native
  }

  /// The OpenAI-style error body; `type` follows the status as in Ollama v0.18.0 and later.
  static func openAI(status: Int, message: String) -> [UInt8] {
    let type =
      switch status {
      case 400: "invalid_request_error"
      case 404: "not_found_error"
      default: "api_error"
      }
    let error: JSONValue = ["message": .string(message), "type": .string(type), "param": nil, "code": nil]
    return JSONValue.object(["error": error]).jsonBytes
  }

  /// The native error body.
  static func native(message: String) -> [UInt8] {
    JSONValue.object(["error": .string(message)]).jsonBytes
  }

  /// An error response in `family`'s format.
  static func response(
    _ family: Family, status: Int, message: String, extraHeaders: [(String, String)] = []
  ) -> EndpointResponse {
    let body =
      switch family {
      case .openAI: openAI(status: status, message: message)
      case .native: native(message: message)
      }
    return EndpointResponse(
      status: status, headers: [("Content-Type", ContentType.nativeJSON)] + extraHeaders, body: .complete(body)
    )
  }
}

/// Wire framing of stream events.
enum Framing {
  /// `data: <payload>\n\n`.
  static func sse(_ payload: [UInt8]) -> [UInt8] {
    var frame: [UInt8] = []
    frame.reserveCapacity(payload.count + 8)
    frame.append(contentsOf: "data: ".utf8)
    frame.append(contentsOf: payload)
    frame.append(contentsOf: [0x0A, 0x0A])
    return frame
  }

  /// `data: <json>\n\n`.
  static func sse(_ value: JSONValue) -> [UInt8] {
    var frame: [UInt8] = Array("data: ".utf8)
    value.write(into: &frame)
    frame.append(contentsOf: [0x0A, 0x0A])
    return frame
  }

  /// The terminating `data: [DONE]\n\n` event.
  static let sseDone: [UInt8] = Array("data: [DONE]\n\n".utf8)

  /// `<json>\n`.
  static func ndjson(_ value: JSONValue) -> [UInt8] {
    var line = value.jsonBytes
    line.append(0x0A)
    return line
  }
}
