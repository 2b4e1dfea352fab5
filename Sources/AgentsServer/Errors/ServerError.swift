import Agents
import AgentsApp
import AgentsStore
import Foundation
import HTTPTypes
import Hummingbird
import WireCore

/// An error answered in OpenAI's shape, `{"error": {"message", "type", "param", "code"}}`, with the HTTP status
/// that says whose problem it is: 400 bad request, 401 missing or wrong key, 404 unknown agent or path, 413 too
/// large, 429 the queue is full (with `Retry-After`), 502 the model server failed, 503 the store is unusable or
/// the server is shutting down, 504 the model server timed out.
///
/// The message says what happened and what to do, like the CLI's errors; it never contains a key.
public struct ServerError: Error, Sendable, Hashable, HTTPResponseError {
  /// The HTTP status.
  public var status: HTTPResponse.Status
  /// OpenAI's error `type` (`invalid_request_error`, `authentication_error`, `rate_limit_error`, `server_error`).
  public var type: String
  /// A stable snake_case code (`model_not_found`, `model_server_timeout`, …).
  public var code: String
  /// What happened and what to do.
  public var message: String
  /// The request field at fault, when one is.
  public var param: String?
  /// Seconds after which a retry may succeed (sent as `Retry-After`).
  public var retryAfter: Int?

  /// Creates an error.
  public init(
    _ status: HTTPResponse.Status, type: String, code: String, _ message: String, param: String? = nil,
    retryAfter: Int? = nil
  ) {
    self.status = status
    self.type = type
    self.code = code
    self.message = message
    self.param = param
    self.retryAfter = retryAfter
  }

  /// A 400 about the request.
  public static func badRequest(
    _ message: String, param: String? = nil, code: String = "invalid_request"
  ) -> ServerError {
    ServerError(.badRequest, type: "invalid_request_error", code: code, message, param: param)
  }

  /// A 413: the body, a message or the number of messages is over its limit.
  public static func tooLarge(_ message: String, param: String? = nil) -> ServerError {
    ServerError(.contentTooLarge, type: "invalid_request_error", code: "request_too_large", message, param: param)
  }

  /// The `{"error": …}` document.
  public var json: JSONValue {
    [
      "error": [
        "message": .string(message), "type": .string(type), "param": param.map(JSONValue.string) ?? .null,
        "code": .string(code),
      ]
    ]
  }

  /// The response: the JSON document, `Retry-After` when set, and `WWW-Authenticate` on a 401.
  public func response(from request: Request, context: some RequestContext) throws -> Response {
    response()
  }

  /// The response, without a request (for errors found before routing).
  public func response() -> Response {
    var headers: HTTPFields = [.contentType: "application/json"]
    if let retryAfter { headers[.retryAfter] = String(retryAfter) }
    if status == .unauthorized { headers[.wwwAuthenticate] = #"Bearer realm="agents""# }
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json.jsonBytes)))
  }

  /// The error as one SSE event, for a failure after a stream has started.
  public var sseEvent: [UInt8] { Array("data: ".utf8) + json.jsonBytes + Array("\n\n".utf8) }
}

extension ServerError {
  /// The error for a failed run: the status follows the failure's cause, the message is the CLI's sentence.
  ///
  /// - Parameters:
  ///   - cause: What the SDK threw.
  ///   - described: The same failure as the CLI words it.
  static func run(_ cause: (any Error)?, described: AppError) -> ServerError {
    let message = described.description
    switch cause {
    case let error as ModelServerError:
      return modelServer(error, message: message)
    case let error as AgentsError:
      if let underlying = error.underlying as? ModelServerError { return modelServer(underlying, message: message) }
      if error.underlying is StoreError { return storeUnavailable(message) }
      switch error.code {
      case .inputTooLarge: return .tooLarge(message, param: "messages")
      case .contextLengthExceeded: return .badRequest(message, param: "messages", code: "context_length_exceeded")
      case .inputGuardrailTripped: return .badRequest(message, param: "messages", code: "input_guardrail_tripped")
      case .maxTurnsExceeded: return upstream(message, code: "max_turns_exceeded")
      case .outputGuardrailTripped: return upstream(message, code: "output_guardrail_tripped")
      default: return upstream(message, code: "agent_run_failed")
      }
    case is StoreError:
      return storeUnavailable(message)
    default:
      return upstream(message, code: "agent_run_failed")
    }
  }

  private static func modelServer(_ error: ModelServerError, message: String) -> ServerError {
    switch error.code {
    case .timedOut:
      ServerError(.gatewayTimeout, type: "server_error", code: "model_server_timeout", message)
    case .contextOverflow:
      .badRequest(message, param: "messages", code: "context_length_exceeded")
    default:
      upstream(message, code: "model_server_error")
    }
  }

  /// A 502: the model server (or the agent's run on it) failed.
  static func upstream(_ message: String, code: String) -> ServerError {
    ServerError(.badGateway, type: "server_error", code: code, message)
  }

  /// A 503: the store cannot save or read sessions.
  static func storeUnavailable(_ message: String) -> ServerError {
    ServerError(.serviceUnavailable, type: "server_error", code: "store_unavailable", message, retryAfter: 5)
  }

  /// A 503: the server is shutting down; another replica (or this one, restarted) can take the request.
  static let shuttingDown = ServerError(
    .serviceUnavailable, type: "server_error", code: "shutting_down",
    "the server is shutting down and did not finish this request; retry it (another replica can take it)",
    retryAfter: 1)
}
