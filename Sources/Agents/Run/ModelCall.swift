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
  /// When set, a response that keeps repeating itself is stopped.
  let repetition: RepetitionDetector.Configuration?

  init(
    agent: Agent, outputType: OutputType?, model: any Model, request: ModelRequest, hooks: [any RunHooks],
    context: RunContext, sink: RunEventSink, strategy: StructuredOutputStrategy, formatMemory: OutputFormatMemory,
    tracing: AgentTracing, repetition: RepetitionDetector.Configuration? = nil
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
    self.repetition = repetition
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
          span.setAttribute("agents.agent.name", agent.name)
          span.setAttribute("agents.model", model.name)
          span.setAttribute("agents.turn", context.turn + 1)
          let outcome = try await sendOnce(request)
          span.setAttribute("agents.usage.input_tokens", outcome.record.usage.inputTokens)
          span.setAttribute("agents.usage.output_tokens", outcome.record.usage.outputTokens)
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
      // Read where the model's bytes arrive (its network thread, for a ChatCompletionsModel): each chunk then
      // reaches the sink without waking another thread.
      (response, firstToken) = try await withTaskExecutorPreference(model.streamingExecutor) {
        try await streamedResponse(to: request, clock: clock, start: start)
      }
    } else if let repetition {
      response = Self.stoppingRepetition(in: try await model.response(to: request), configuration: repetition)
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
  /// With repetition detection on, a stream that keeps repeating itself is dropped (which cancels the request)
  /// and the response ends after the repeated block's first occurrence.
  @inline(never)
  private func streamedResponse(
    to request: ModelRequest, clock: ContinuousClock, start: ContinuousClock.Instant
  ) async throws -> (ModelResponse, Duration?) {
    // A ChatCompletionsModel's events are read directly, without the `AsyncThrowingStream` of its `streamResponse`.
    if let chat = model as? ChatCompletionsModel {
      return try await streamedResponse(chat.events(for: request), clock: clock, start: start)
    }
    return try await streamedResponse(model.streamResponse(to: request), clock: clock, start: start)
  }

  private func streamedResponse<Events: AsyncSequence>(
    _ events: Events, clock: ContinuousClock, start: ContinuousClock.Instant
  ) async throws -> (ModelResponse, Duration?) where Events.Element == ModelStreamEvent {
    var firstToken: Duration?
    var splitter = ThinkTagSplitter()
    var completed: ModelResponse?
    var watch = repetition.map(RepetitionWatch.init)
    for try await event in events {
      switch event {
      case .textDelta(let delta):
        if firstToken == nil { firstToken = clock.now - start }
        let pieces = splitter.feed(delta)
        emit(pieces)
        if let stopped = watch?.feed(text: pieces.text, reasoning: pieces.reasoning) { return (stopped, firstToken) }
      case .reasoningDelta(let delta):
        if firstToken == nil { firstToken = clock.now - start }
        sink(.reasoningDelta(delta))
        if let stopped = watch?.feed(text: "", reasoning: delta) { return (stopped, firstToken) }
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

  /// `response` with a degenerate repetition at the end of its text cut after the block's first occurrence.
  static func stoppingRepetition(
    in response: ModelResponse, configuration: RepetitionDetector.Configuration
  ) -> ModelResponse {
    guard let text = response.text, !text.isEmpty else { return response }
    let split = ReasoningExtraction.split(text)
    guard let report = RepetitionDetector.check(split.text, configuration: configuration) else { return response }
    var cut = response
    cut.text = report.keptText
    cut.reasoning = [response.reasoning, split.reasoning].compactMap { $0 }.joined(separator: "\n").nilIfEmpty
    cut.stoppedByRepetition = report
    return cut
  }

  private func emit(_ pieces: (text: String, reasoning: String)) {
    if !pieces.reasoning.isEmpty { sink(.reasoningDelta(pieces.reasoning)) }
    if !pieces.text.isEmpty { sink(.textDelta(pieces.text)) }
  }
}

/// Watches a stream's visible text and reasoning for degenerate repetition.
struct RepetitionWatch {
  var text: RepetitionDetector
  var reasoning: RepetitionDetector

  init(_ configuration: RepetitionDetector.Configuration) {
    text = RepetitionDetector(configuration)
    reasoning = RepetitionDetector(configuration)
  }

  /// Adds the pieces; once either part repeats, the response to end the stream with.
  mutating func feed(text delta: String, reasoning reasoningDelta: String) -> ModelResponse? {
    if !delta.isEmpty, let report = text.feed(delta) {
      return ModelResponse(text: report.keptText, reasoning: reasoning.text.nilIfEmpty, stoppedByRepetition: report)
    }
    if !reasoningDelta.isEmpty, let report = reasoning.feed(reasoningDelta) {
      return ModelResponse(text: text.text, reasoning: report.keptText, stoppedByRepetition: report)
    }
    return nil
  }
}

extension String {
  /// `nil` for the empty string.
  var nilIfEmpty: String? { isEmpty ? nil : self }
}
