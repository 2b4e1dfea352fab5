import Agents
import AgentsApp
import AgentsStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WireCore

/// `POST /v1/chat/completions`: runs the agent named by `model` on the request's messages, with its tools and
/// handoffs, and answers whole or as a stream of server-sent events.
///
/// Order of checks: shutting down (503), body size (413), the body itself (400, 413), the agent (404), the session
/// (400, 503), a stored answer for a retried turn, then a run slot (429 when the queue is full). A client that
/// disconnects cancels its run; the run's record and metrics are written by ``ConversationService``.
struct ChatCompletions: Sendable {
  let server: AgentServer
  let state: ServerState

  var backend: AgentServer.Backend { server.backend }
  private var limits: AgentServer.Configuration.Limits { server.configuration.limits }

  /// One request, checked and ready to run.
  struct PreparedRun: Sendable {
    let chat: ChatRequest
    let agent: Agent
    /// The session and turn key, for a server-side conversation.
    let conversation: Conversation?
    /// The stored history the run continues (empty when stateless).
    let storedCount: Int
    /// Everything before the user's message.
    let history: [Item]
    /// The user's message.
    let input: String
    let renderer: CompletionRenderer
  }

  /// A server-side conversation: the session id and the key its new turn is saved under.
  struct Conversation: Sendable {
    let sessionID: String
    /// The client's `Idempotency-Key`, or a fresh one.
    let key: String
    let sessions: any SessionStorage
  }

  func respond(to request: Request, context: ServerRequestContext) async throws -> Response {
    // Counted until the answer is written, so that a graceful shutdown waits for it (a stream hands it over).
    guard state.beginResponse() else { throw ServerError.shuttingDown }
    var handedOver = false
    defer { if !handedOver { state.endResponse() } }
    var request = request
    let body: ByteBuffer
    do {
      body = try await request.collectBody(upTo: limits.maximumBodyBytes)
    } catch is NIOTooManyBytesError {
      throw ServerError.tooLarge(
        "the request body is larger than \(limits.maximumBodyBytes) bytes, the most this server accepts "
          + "(--max-body-bytes); send less history, or keep the conversation on the server with \(AgentServer.sessionHeader)"
      )
    }
    let chat = try ChatRequest(
      body: Array(buffer: body),
      limits: .init(maximumMessages: limits.maximumMessages, maximumMessageCharacters: limits.maximumMessageCharacters))
    let definition = try Self.definition(chat.agent, in: backend.factory.catalog)
    let agent: Agent
    do {
      agent = try backend.factory.makeAgent(id: definition.id)
    } catch {
      throw ServerError.upstream(
        "the agent '\(definition.id)' cannot be built: \(error.description)", code: "agent_invalid")
    }
    agent.modelSettings = agent.modelSettings.resolved(with: chat.settings)
    let conversation = try conversation(for: request.headers)
    let renderer = CompletionRenderer(agent: definition.id)

    var stored: [Item] = []
    if let conversation {
      if let turn = try await storeCall({
        try await conversation.sessions.turn(conversation.key, in: conversation.sessionID)
      }) {
        return try replay(turn, stream: chat.stream, includeUsage: chat.includeUsage, sessionID: conversation.sessionID)
      }
      stored = try await storeCall {
        try StoredSession.decode(
          try await conversation.sessions.items(in: conversation.sessionID), for: conversation.sessionID)
      }
    }
    let turn = conversation == nil ? chat.items : Self.newTurn(of: chat.items)
    guard case .message(let last) = turn.last else {
      throw ServerError.badRequest("the last message must be the user's")
    }
    let run = PreparedRun(
      chat: chat, agent: agent, conversation: conversation, storedCount: stored.count,
      history: stored + turn.dropLast(), input: last.content, renderer: renderer)

    let permit = try await admit(context)
    if chat.stream {
      let response = try await streamed(run, permit: permit, context: context)
      handedOver = true
      return response
    }
    defer { permit.release() }
    return try await whole(run, context: context)
  }

  // MARK: Whole answers

  private func whole(_ run: PreparedRun, context: ServerRequestContext) async throws -> Response {
    let backend = self.backend
    let maxTurns = server.configuration.maxTurns
    let approvals = server.configuration.toolApprovals.conversationApprovals
    let outcome = try await cancellingOnDisconnect(context.channel, watchedBy: state.connections) {
      await backend.prepare(run.agent)
      return await backend.conversation.ask(
        run.agent, input: run.input, history: run.history, maxTurns: maxTurns, streamed: false, approvals: approvals)
    }
    if let error = outcome.error {
      throw error.code == .interrupted ? ServerError.shuttingDown : ServerError.run(outcome.cause, described: error)
    }
    let completion = run.renderer.completion(outcome.result, sessionID: run.conversation?.sessionID)
    if let conversation = run.conversation,
      let earlier = try await save(outcome, of: run, in: conversation, completion: completion)
    {
      return try replay(earlier, stream: false, includeUsage: false, sessionID: conversation.sessionID)
    }
    var response = json(completion)
    if let conversation = run.conversation { response.headers[Self.sessionField] = conversation.sessionID }
    return response
  }

  // MARK: Streams

  private enum StreamItem: Sendable {
    case event(RunEvent)
    case done(ConversationOutcome)

    /// Whether the client should see this before the server commits to a 200: text, a step, or the end.
    var isVisible: Bool {
      switch self {
      case .done, .event(.textDelta), .event(.toolCalled), .event(.toolOutput), .event(.handoff): true
      default: false
      }
    }
  }

  /// Starts the run and waits for its first visible event: a run that fails before showing anything gets a proper
  /// error status; otherwise the answer streams as `chat.completion.chunk` events.
  private func streamed(
    _ run: PreparedRun, permit: RunAdmission.Permit, context: ServerRequestContext
  ) async throws
    -> Response
  {
    let backend = self.backend
    let maxTurns = server.configuration.maxTurns
    let approvals = server.configuration.toolApprovals.conversationApprovals
    let (items, continuation) = AsyncStream<StreamItem>.makeStream()
    let task = Task {
      defer { permit.release() }
      await backend.prepare(run.agent)
      let outcome = await backend.conversation.ask(
        run.agent, input: run.input, history: run.history, maxTurns: maxTurns, streamed: true, approvals: approvals,
        onEvent: { continuation.yield(.event($0)) })
      continuation.yield(.done(outcome))
      continuation.finish()
    }
    let connections = state.connections
    let watch = connections.watch(context.channel) { task.cancel() }
    var bodyEndsWatch = false  // once the body is handed over, it ends the watch when the stream ends
    defer { if !bodyEndsWatch { connections.end(watch) } }
    let reader = StreamReader(items.makeAsyncIterator())
    var first: [StreamItem] = []
    while let item = await withTaskCancellationHandler(operation: { await reader.next() }, onCancel: { task.cancel() })
    {
      first.append(item)
      if item.isVisible { break }
    }
    if case .done(let outcome)? = first.last, let error = outcome.error {
      throw error.code == .interrupted ? ServerError.shuttingDown : ServerError.run(outcome.cause, described: error)
    }
    let pending = first
    var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
    headers[Self.bufferingField] = "no"
    if let conversation = run.conversation { headers[Self.sessionField] = conversation.sessionID }
    bodyEndsWatch = true
    return Response(
      status: .ok, headers: headers,
      body: ResponseBody { [state] writer in
        defer {
          connections.end(watch)
          state.endResponse()
        }
        try await withTaskCancellationHandler {
          var finished = false
          var hold = CallTextHold()
          do {
            try await writer.write(ByteBuffer(bytes: run.renderer.roleChunk()))
            for item in pending { finished = try await write(item, of: run, holding: &hold, to: &writer) || finished }
            while !finished, let item = await reader.next() {
              finished = try await write(item, of: run, holding: &hold, to: &writer)
            }
            if !finished {
              // Cancelled: the grace period after a shutdown ran out (a gone client reads nothing).
              task.cancel()
              try await writer.write(ByteBuffer(bytes: ServerError.shuttingDown.sseEvent))
            }
          } catch {
            task.cancel()
            throw error
          }
          try await writer.finish(nil)
        } onCancel: {
          task.cancel()
        }
      })
  }

  /// Writes one stream item; returns whether the stream is complete. Text that may be a call written as text waits
  /// in `hold` until the run says what it was.
  private func write(
    _ item: StreamItem, of run: PreparedRun, holding hold: inout CallTextHold, to writer: inout any ResponseBodyWriter
  ) async throws -> Bool {
    let renderer = run.renderer
    switch item {
    case .event(.textDelta(let text)) where !text.isEmpty:
      let now = hold.pass(text)
      if !now.isEmpty { try await writer.write(ByteBuffer(bytes: renderer.textChunk(now))) }
    case .event(.messageDone):
      let rest = hold.release()
      if !rest.isEmpty { try await writer.write(ByteBuffer(bytes: renderer.textChunk(rest))) }
    case .event(.replyDiscarded):
      hold.drop()
    case .event(.toolCalled(let call)):
      hold.drop()
      try await writer.write(
        ByteBuffer(
          bytes: renderer.eventChunk(
            [
              "type": "tool_call", "call_id": .string(call.id), "name": .string(call.name),
              "arguments": .string(call.arguments),
            ])))
    case .event(.toolOutput(let call, let output)):
      try await writer.write(
        ByteBuffer(
          bytes: renderer.eventChunk(
            ["type": "tool_output", "call_id": .string(call.id), "name": .string(call.name), "output": .string(output)])
        ))
    case .event(.handoff(let from, let to)):
      hold.drop()
      try await writer.write(
        ByteBuffer(bytes: renderer.eventChunk(["type": "handoff", "from": .string(from.name), "to": .string(to.name)])))
    case .event:
      break
    case .done(let outcome):
      if let error = outcome.error {
        let failure =
          error.code == .interrupted ? ServerError.shuttingDown : ServerError.run(outcome.cause, described: error)
        try await writer.write(ByteBuffer(bytes: failure.sseEvent))
        return true
      }
      let rest = hold.release()  // an answer that ended without its messageDone (never expected; nothing is lost)
      if !rest.isEmpty { try await writer.write(ByteBuffer(bytes: renderer.textChunk(rest))) }
      if let conversation = run.conversation {
        let completion = renderer.completion(outcome.result, sessionID: conversation.sessionID)
        do {
          _ = try await save(outcome, of: run, in: conversation, completion: completion)
        } catch let error as ServerError {
          try await writer.write(ByteBuffer(bytes: error.sseEvent))
          return true
        }
      }
      var bytes = renderer.finishChunk()
      if run.chat.includeUsage { bytes += renderer.usageChunk(outcome.result) }
      bytes += renderer.summaryChunk(outcome.result, sessionID: run.conversation?.sessionID) + CompletionRenderer.done
      try await writer.write(ByteBuffer(bytes: bytes))
      return true
    }
    return false
  }

  // MARK: Agents and admission

  static func definition(_ id: String, in catalog: AgentCatalog) throws(ServerError) -> AgentDefinition {
    do {
      return try catalog.definition(id: id)
    } catch {
      throw ServerError(
        .notFound, type: "invalid_request_error", code: "model_not_found",
        "there is no agent '\(id)' on this server; use one of: \(catalog.ids.joined(separator: ", ")) (GET /v1/models)",
        param: "model")
    }
  }

  private func admit(_ context: ServerRequestContext) async throws -> RunAdmission.Permit {
    let admission = state.admission
    do {
      return try await cancellingOnDisconnect(context.channel, watchedBy: state.connections) {
        () async throws(RunAdmission.Refusal) in
        try await admission.admit()
      }
    } catch RunAdmission.Refusal.queueFull(let seconds) {
      ServerMetrics.recordRejection(exporter: backend.metrics)
      throw ServerError(
        .tooManyRequests, type: "rate_limit_error", code: "rate_limit_exceeded",
        "the server is busy: \(admission.maximumRunning) runs are going and \(admission.maximumQueued) requests "
          + "wait; retry after \(seconds) s", retryAfter: seconds)
    }
  }
}

/// The run's event stream, read first by the handler (up to the first visible event) and then by the response
/// body, never by both at once; hence the unchecked `Sendable`.
private final class StreamReader<Element: Sendable>: @unchecked Sendable {
  private var iterator: AsyncStream<Element>.Iterator

  init(_ iterator: AsyncStream<Element>.Iterator) { self.iterator = iterator }

  func next() async -> Element? { await iterator.next() }
}
