import Tracing

/// One model call, fully prepared: the model, the request, and what to do with streamed events.
///
/// It is immutable and Sendable so it can run in a child task next to the input guardrails. It is a class so
/// that the turns and calls that hold it keep a pointer, not a copy, in their async frames: hundreds of runs
/// waiting at once each keep those frames alive.
final class ModelCall: Sendable {
  let agent: Agent
  let outputType: OutputType?
  let model: any Model
  let request: ModelRequest
  let hooks: [any RunHooks]
  let context: RunContext
  let sink: RunEventSink
  let strategy: StructuredOutputStrategy
  let formatMemory: OutputFormatMemory
  let tracing: AgentTracing

  init(
    agent: Agent, outputType: OutputType?, model: any Model, request: ModelRequest, hooks: [any RunHooks],
    context: RunContext, sink: RunEventSink, strategy: StructuredOutputStrategy, formatMemory: OutputFormatMemory,
    tracing: AgentTracing
  ) {
    self.agent = agent
    self.outputType = outputType
    self.model = model
    self.request = request
    self.hooks = hooks
    self.context = context
    self.sink = sink
    self.strategy = strategy
    self.formatMemory = formatMemory
    self.tracing = tracing
  }

  /// What one model call produced.
  struct Outcome: Sendable {
    var response: ModelResponse
    var record: ModelCallRecord
  }

  /// Sends the request; when the server rejects the structured output format, retries with the next weaker
  /// one and remembers that for this model.
  func send() async throws -> Outcome {
    var level = outputType.map { _ in formatMemory.level(for: model.name, strategy: strategy) }
    while true {
      let request = request(at: level)
      do {
        return try await tracing.span("agents.model_call") { span in
          span.attributes["agents.agent.name"] = agent.name
          span.attributes["agents.model"] = model.name
          span.attributes["agents.turn"] = context.turn + 1
          let outcome = try await sendOnce(request)
          span.attributes["agents.usage.input_tokens"] = outcome.record.usage.inputTokens
          span.attributes["agents.usage.output_tokens"] = outcome.record.usage.outputTokens
          return outcome
        }
      } catch let error as AgentsError where error.code == .responseFormatUnsupported {
        guard strategy == .automatic, let current = level, let next = current.fallback else {
          throw AgentsError(
            .responseFormatUnsupported,
            "\(error.message) Use Runner.Configuration.structuredOutput = .automatic to fall back to a format the "
              + "server accepts.", underlying: error.underlying ?? error)
        }
        formatMemory.record(next, for: model.name)
        level = next
      }
    }
  }

  /// The request with the output format (and, when needed, schema instructions) for `level`.
  private func request(at level: StructuredOutputLevel?) -> ModelRequest {
    guard let outputType, let level else { return request }
    var request = request
    request.outputFormat = level.format(for: outputType)
    if level.needsSchemaInstructions {
      let instructions = StructuredOutputPrompts.schemaInstructions(for: outputType)
      request.systemPrompt = request.systemPrompt.map { $0 + "\n\n" + instructions } ?? instructions
    }
    return request
  }

  private func sendOnce(_ request: ModelRequest) async throws -> Outcome {
    for hook in hooks { await hook.modelCallStarted(agent, request: request, context: context) }
    let clock = ContinuousClock()
    let start = clock.now
    let response: ModelResponse
    var firstToken: Duration?
    if sink.isStreaming {
      (response, firstToken) = try await streamedResponse(to: request, clock: clock, start: start)
    } else {
      response = try await model.response(to: request)
    }
    let latency = clock.now - start
    var usage = response.usage ?? Usage()
    usage.requests = max(usage.requests, 1)
    let record = ModelCallRecord(
      agentName: agent.name, modelName: model.name, streamed: sink.isStreaming, latency: latency,
      timeToFirstToken: firstToken ?? latency, usage: usage)
    return Outcome(response: response, record: record)
  }

  /// Streams the request, forwarding text and reasoning deltas to the sink; returns the whole response and
  /// the time to its first token. Kept out of line so whole-response calls do not carry the streaming state.
  @inline(never)
  private func streamedResponse(
    to request: ModelRequest, clock: ContinuousClock, start: ContinuousClock.Instant
  ) async throws -> (ModelResponse, Duration?) {
    var firstToken: Duration?
    var splitter = ThinkTagSplitter()
    var completed: ModelResponse?
    for try await event in model.streamResponse(to: request) {
      switch event {
      case .textDelta(let delta):
        if firstToken == nil { firstToken = clock.now - start }
        emit(splitter.feed(delta))
      case .reasoningDelta(let delta):
        if firstToken == nil { firstToken = clock.now - start }
        sink(.reasoningDelta(delta))
      case .completed(let value):
        completed = value
      }
    }
    emit(splitter.finish())
    try Task.checkCancellation()
    guard let completed else {
      throw AgentsError(
        .modelBehavior, "The stream from model '\(model.name)' ended before the response was complete. "
          + "The server may have failed mid-stream; check its logs and try again.")
    }
    return (completed, firstToken)
  }

  private func emit(_ pieces: (text: String, reasoning: String)) {
    if !pieces.reasoning.isEmpty { sink(.reasoningDelta(pieces.reasoning)) }
    if !pieces.text.isEmpty { sink(.textDelta(pieces.text)) }
  }
}
