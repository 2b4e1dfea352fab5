import AgentsApp
import AgentsStore
import Foundation
import HTTPTypes
import Hummingbird
import WireCore

/// The server's endpoints.
struct Routes: Sendable {
  let server: AgentServer
  let state: ServerState

  func register(on router: Router<ServerRequestContext>) {
    let chat = ChatCompletions(server: server, state: state)
    router.post("/v1/chat/completions") { request, context in try await chat.respond(to: request, context: context) }
    router.get("/v1/models") { _, _ in json(models()) }
    router.get("/v1/models/{id}") { _, context in try json(model(context.parameters.require("id"))) }
    router.get("/v1/sessions/{id}") { _, context in try await json(session(context.parameters.require("id"))) }
    router.delete("/v1/sessions/{id}") { _, context in try await json(deleteSession(context.parameters.require("id"))) }
    router.get("/health") { _, _ in health() }
    router.get("/metrics") { _, _ in try metrics() }
  }

  // MARK: Models

  /// `{"object": "list", "data": [...]}`: one entry per agent with its id, display name and summary.
  func models() -> JSONValue {
    ["object": "list", "data": .array(server.backend.factory.catalog.definitions.map(Self.entry))]
  }

  func model(_ id: String) throws(ServerError) -> JSONValue {
    Self.entry(try ChatCompletions.definition(id, in: server.backend.factory.catalog))
  }

  private static func entry(_ definition: AgentDefinition) -> JSONValue {
    [
      "id": .string(definition.id), "object": "model", "created": 0, "owned_by": "ollama-agents",
      "name": .string(definition.name), "summary": .string(definition.summary),
    ]
  }

  // MARK: Sessions

  func session(_ id: String) async throws -> JSONValue {
    let sessions = try ChatCompletions.sessionStore(server.backend.sessions)
    try ChatCompletions.validateSessionID(id)
    guard let summary = try await sessions.summary(of: id) else { throw Self.unknownSession(id) }
    var items: [JSONValue] = []
    for item in try await sessions.items(in: id) { items.append(try JSONValue.parse(item.json)) }
    return [
      "id": .string(id), "object": "session", "created_at": .int(Int(summary.createdAt.timeIntervalSince1970)),
      "updated_at": .int(Int(summary.updatedAt.timeIntervalSince1970)), "items": .array(items),
    ]
  }

  func deleteSession(_ id: String) async throws -> JSONValue {
    let sessions = try ChatCompletions.sessionStore(server.backend.sessions)
    try ChatCompletions.validateSessionID(id)
    guard try await sessions.deleteSession(id) else { throw Self.unknownSession(id) }
    return ["id": .string(id), "object": "session.deleted", "deleted": true]
  }

  private static func unknownSession(_ id: String) -> ServerError {
    ServerError(
      .notFound, type: "invalid_request_error", code: "session_not_found", "no session '\(id)' is stored here")
  }

  // MARK: Operations

  /// 200 with what the server is doing, or 503 once it is shutting down (so load balancers stop sending).
  func health() -> Response {
    let admission = state.admission
    let body: JSONValue = [
      "status": state.isShuttingDown ? "shutting_down" : "ok", "agents": .int(server.backend.factory.catalog.ids.count),
      "running": .int(admission.running), "queued": .int(admission.queued), "store": .string(server.backend.storeKind),
    ]
    var response = json(body)
    if state.isShuttingDown { response.status = .serviceUnavailable }
    return response
  }

  func metrics() throws(ServerError) -> Response {
    guard let exporter = server.backend.metrics else {
      throw ServerError(
        .notFound, type: "invalid_request_error", code: "not_found", "metrics are not collected by this server")
    }
    ServerMetrics.update(state.admission, exporter: exporter)
    return Response(
      status: .ok, headers: [.contentType: PrometheusExporter.contentType],
      body: .init(byteBuffer: ByteBuffer(string: exporter.render())))
  }
}

/// A JSON response with status 200.
func json(_ value: JSONValue) -> Response {
  Response(
    status: .ok, headers: [.contentType: "application/json"],
    body: .init(byteBuffer: ByteBuffer(bytes: value.jsonBytes)))
}
