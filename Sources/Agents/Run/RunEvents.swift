/// An event of a streamed run, in the order things happen.
public enum RunEvent: Sendable {
  /// The agent running now: sent first, and after each handoff.
  case agentChanged(Agent)
  /// A piece of the assistant's message as it arrives (reasoning already removed).
  case textDelta(String)
  /// A piece of reasoning as it arrives.
  case reasoningDelta(String)
  /// The model called a function tool; it is about to run.
  case toolCalled(ToolCall)
  /// The model's arguments for a tool call did not fit the tool's schema and were repaired before it ran
  /// (unknown properties dropped, scalars converted); `changes` says what changed, in words.
  case toolArgumentsRepaired(ToolCall, changes: [String])
  /// A function tool finished; `output` is what the model reads (an error message if the tool failed).
  case toolOutput(ToolCall, output: String)
  /// The conversation passed from one agent to another.
  case handoff(from: Agent, to: Agent)
  /// Older history was left out of the next model call to fit the model's context length; sent when the
  /// number of items left out changes.
  case contextTrimmed(ContextTrimming)
  /// The server said a request did not fit its model's context; the run trimmed the history further (with what
  /// the error taught it about the tokenizer and context) and sent the request once more.
  case contextOverflowRetried(ContextOverflowRetry)
  /// The reply just streamed was taken back and the model is asked again without tools: it read as an answer,
  /// but `reason` (in words that follow "the reply above") says why it is not one: it called something the agent
  /// does not have (`called 'print', which this agent does not have`), repeated a tool's description or a message
  /// the run wrote to the model. The reply leaves the transcript; a display should mark the text it already showed.
  case replyDiscarded(reason: String)
  /// The reply is a final answer and the agent draws it `count` times in all to keep the one the samples agree on
  /// most (``Agent/Configuration/answerSamples``): sent when the further samples start. Such a turn's reply is
  /// not streamed as it arrives; the chosen answer follows as one ``textDelta(_:)``. A display can say that it
  /// is comparing answers.
  case samplingAnswers(count: Int)
  /// The final answer is incomplete: cut at a token limit or stopped for repeating itself; sent just before
  /// ``finished(_:)``.
  case answerTruncated(ResponseTruncation)
  /// A complete assistant message (reasoning removed).
  case messageDone(String)
  /// The run finished; always the last event of a successful run.
  case finished(RunResult)
}

/// The events of a streamed run, as an `AsyncSequence`; iterating throws the run's error, if any.
///
/// The run starts when the stream is created and is cancelled when the stream is dropped or the iterating
/// task is cancelled (stopping the model's HTTP stream and any running tools). A stream has one consumer.
public struct RunStream: AsyncSequence, Sendable {
  /// The element type.
  public typealias Element = RunEvent
  private let events: AsyncThrowingStream<RunEvent, any Error>

  init(_ events: AsyncThrowingStream<RunEvent, any Error>) { self.events = events }

  /// Iterates the events.
  public struct AsyncIterator: AsyncIteratorProtocol {
    var base: AsyncThrowingStream<RunEvent, any Error>.AsyncIterator
    /// The next event, `nil` after ``RunEvent/finished(_:)``.
    public mutating func next() async throws -> RunEvent? { try await base.next() }
  }

  /// An iterator over the events.
  public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: events.makeAsyncIterator()) }

  /// Consumes the remaining events and returns the run's result.
  public func result() async throws -> RunResult {
    for try await event in self {
      if case .finished(let result) = event { return result }
    }
    try Task.checkCancellation()
    throw AgentsError(.modelBehavior, "The run's event stream ended without a result.")
  }
}

/// Where the run loop sends events; a no-op for non-streamed runs.
///
/// A streamed run's events go straight to a handler on the run's own task: a ``RunStream``'s continuation, or the
/// caller's closure (``Runner/run(_:input:context:maxTurns:session:hooks:onEvent:)``).
struct RunEventSink: Sendable {
  let handler: (@Sendable (RunEvent) -> Void)?

  static let none = RunEventSink(handler: nil)

  /// Streams without showing anything: the call's stream is read (so a reply that keeps repeating itself is
  /// stopped as it happens, see ``RepetitionWatch``) and its events are dropped. For answers drawn several times.
  static let silent = RunEventSink(handler: { _ in })

  init(handler: (@Sendable (RunEvent) -> Void)?) { self.handler = handler }

  init(continuation: AsyncThrowingStream<RunEvent, any Error>.Continuation) {
    handler = { continuation.yield($0) }
  }

  var isStreaming: Bool { handler != nil }

  func callAsFunction(_ event: @autoclosure () -> RunEvent) {
    handler?(event())
  }
}
