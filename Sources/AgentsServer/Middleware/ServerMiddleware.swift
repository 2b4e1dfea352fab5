import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Answers every failure in OpenAI's error shape: the server's own ``ServerError``s as they are, Hummingbird's
/// (no such route, wrong method, body too large) translated, anything else as a 500 that reveals nothing.
struct OpenAIErrorMiddleware: RouterMiddleware {
  typealias Context = ServerRequestContext

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    do {
      return try await next(request, context)
    } catch let error as ServerError {
      return error.response()
    } catch let error as HTTPError {
      return Self.translate(error, request: request).response()
    } catch let error as any HTTPResponseError {
      return Self.translate(HTTPError(error.status), request: request).response()
    } catch {
      context.logger.error("request failed unexpectedly", metadata: ["error": "\(error)"])
      return ServerError(
        .internalServerError, type: "server_error", code: "internal_error",
        "the server failed while handling this request; the log has the details"
      ).response()
    }
  }

  static func translate(_ error: HTTPError, request: Request) -> ServerError {
    let path = request.uri.path
    switch error.status {
    case .notFound:
      return ServerError(
        .notFound, type: "invalid_request_error", code: "not_found",
        "no endpoint \(request.method) \(path); this server has GET /v1/models, POST /v1/chat/completions, "
          + "GET and DELETE /v1/sessions/{id}, GET /health and GET /metrics")
    case .methodNotAllowed:
      return ServerError(
        .methodNotAllowed, type: "invalid_request_error", code: "method_not_allowed",
        "\(request.method) is not allowed on \(path)")
    case .contentTooLarge:
      return .tooLarge("the request body is larger than this server accepts")
    default:
      return ServerError(
        error.status, type: error.status.code < 500 ? "invalid_request_error" : "server_error",
        code: error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"),
        error.body ?? error.status.reasonPhrase)
    }
  }
}

/// Checks the bearer token (every path except `/health`, which load balancers probe without one) and logs each
/// request's method, path, status and duration, never its headers or body.
struct AccessMiddleware: RouterMiddleware {
  typealias Context = ServerRequestContext

  let keys: APIKeys
  let logger: Logger

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let start = ContinuousClock.now
    let response: Response
    if keys.isEmpty || request.uri.path == "/health" || authorized(request) {
      response = try await next(request, context)
    } else {
      response = ServerError(
        .unauthorized, type: "invalid_request_error", code: "invalid_api_key",
        request.headers[.authorization] == nil
          ? "this server needs an API key: send the header 'Authorization: Bearer KEY'"
          : "the API key is not one this server accepts; check the key (the server's AGENTS_SERVE_API_KEYS or --api-keys-file)"
      ).response()
    }
    let elapsed = ContinuousClock.now - start
    logger.info(
      "request",
      metadata: [
        "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
        "ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
      ])
    return response
  }

  private func authorized(_ request: Request) -> Bool {
    guard let header = request.headers[.authorization] else { return false }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
    return keys.accepts(String(parts[1]).trimmingCharacters(in: .whitespaces))
  }
}
