import Synchronization
import WireCore

/// The fake server's shared state and request dispatch, used by every connection.
final class ServerCore: Sendable {
  /// The mutable state.
  let state: Mutex<ServerState>

  /// Creates the core from a configuration.
  init(_ configuration: FakeOllamaServer.Configuration) {
    state = Mutex(
      ServerState(
        models: configuration.models,
        pullCatalog: configuration.pullCatalog,
        pullProgressSteps: configuration.pullProgressSteps,
        version: configuration.version,
        streamLayout: configuration.streamLayout,
        toolCallIndexing: configuration.toolCallIndexing,
        recordingLimit: configuration.recordingLimit
      )
    )
  }

  /// Records the request, applies any injected fault and routes it; returns how to deliver the answer.
  func handle(method: String, uri: String, headers: RecordedRequest.Headers, body: [UInt8]) -> [DeliveryStep] {
    let arrived = RecordedRequest(method: method, uri: uri, headers: headers, body: body)
    let (request, fault, waiters) = state.withLock { state in
      state.requestCount += 1
      var request = arrived
      request.sequenceNumber = state.requestCount
      if state.recordingLimit != 0 {
        state.recorded.append(request)
        if let limit = state.recordingLimit, state.recorded.count > limit { state.recorded.removeFirst() }
      }
      let ready = state.requestWaiters.filter { $0.count <= state.requestCount }
      state.requestWaiters.removeAll { $0.count <= state.requestCount }
      return (request, state.takeFault(for: request.path), ready)
    }
    for waiter in waiters { waiter.continuation.resume() }

    let endpoint = Endpoint(method: method, path: request.path)
    if let fault, fault.replacesResponse {
      return DeliveryPlan.steps(for: replacement(for: fault, endpoint: endpoint, request: request), fault: fault, family: endpoint.family)
    }
    var response = route(endpoint, request)
    response.isHead = method == "HEAD"
    return DeliveryPlan.steps(for: response, fault: fault, family: endpoint.family)
  }

  /// Dispatches to the endpoint.
  private func route(_ endpoint: Endpoint, _ request: RecordedRequest) -> EndpointResponse {
    switch endpoint {
    case .root: .text("Ollama is running")
    case .version: .json(["version": .string(state.withLock { $0.version })])
    case .tags: tags()
    case .show: show(request)
    case .processes: processes()
    case .delete: delete(request)
    case .pull: pull(request)
    case .nativeChat: nativeChat(request)
    case .openAIModels: openAIModels()
    case .openAIModel(let id): openAIModel(id)
    case .chatCompletions: chatCompletions(request)
    case .embeddings: embeddings(request)
    case .applyTemplate: applyTemplate(request)
    case .tokenize: tokenize(request)
    case .props: llamaServerProperties()
    case .methodNotAllowed: .methodNotAllowed
    case .notFound: .notFound
    }
  }

  /// The response a response-replacing fault sends instead of the endpoint's.
  private func replacement(for fault: FakeOllamaServer.Fault, endpoint: Endpoint, request: RecordedRequest)
    -> EndpointResponse
  {
    let streaming = endpoint.streamingKind(for: request)
    switch fault {
    case .respond(let status, let headers, let body):
      return EndpointResponse(status: status, headers: headers, body: .complete(body))
    case .error(let status, let message, let headers):
      return ErrorBody.response(endpoint.family, status: status, message: message, extraHeaders: headers)
    case .malformedJSON:
      let garbage = Array(#"{"id":"chatcmpl-0","model":"llama3.2","choices":[{"#.utf8)
      switch streaming {
      case .sse: return EndpointResponse(status: 200, headers: [("Content-Type", ContentType.eventStream)], body: .stream([Framing.sse(garbage), Framing.sseDone]))
      case .ndjson: return EndpointResponse(status: 200, headers: [("Content-Type", ContentType.ndjson)], body: .stream([garbage + [0x0A]]))
      case nil: return EndpointResponse(status: 200, headers: [("Content-Type", endpoint.jsonContentType)], body: .complete(garbage))
      }
    case .wrongShape(let value):
      switch streaming {
      case .sse: return EndpointResponse(status: 200, headers: [("Content-Type", ContentType.eventStream)], body: .stream([Framing.sse(value), Framing.sseDone]))
      case .ndjson: return EndpointResponse(status: 200, headers: [("Content-Type", ContentType.ndjson)], body: .stream([Framing.ndjson(value)]))
      case nil: return .json(value, contentType: endpoint.jsonContentType)
      }
    case .closeConnection:
      // Nothing is written: the delivery plan closes the connection. Not routing keeps the scripted
      // reply queued for the retry, as the fault's documentation promises.
      return EndpointResponse(status: 500, headers: [], body: .complete([]))
    case .delay, .stallBeforeHeaders, .stallAfterEvents, .holdAfterEvents, .keepAliveAfterEvents, .cutAfterEvents,
      .endAfterEvents, .midStreamError:
      return route(endpoint, request)
    }
  }

  /// The next scripted reply for `request`, or the default reply.
  func nextReply(for request: RecordedRequest) -> FakeOllamaServer.Reply {
    let (scripted, fallback) = state.withLock { state in
      (state.replies.isEmpty ? nil : state.replies.removeFirst(), state.defaultReply)
    }
    switch scripted {
    case .fixed(let reply): return reply
    case .dynamic(let handler): return handler(request)
    case nil: return fallback?(request) ?? .echo(of: request)
    }
  }

  /// Marks `model` as loaded for `/api/ps` (most recently used last).
  func markLoaded(_ model: FakeOllamaServer.Model) {
    let expiry = FakeOllamaServer.Timestamp.now().adding(seconds: 300)
    state.withLock { state in
      state.loadedModels.removeAll { $0.model.name == model.name }
      state.loadedModels.append(LoadedModel(model: model, expiresAt: expiry))
    }
  }
}
