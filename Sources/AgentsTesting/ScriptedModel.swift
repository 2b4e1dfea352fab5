import Agents
import Synchronization

/// A ``Model`` that replays a script of responses, for testing agents without a model server.
///
/// Each model call takes the next step of the script: a response (text, tool calls, reasoning, usage), an
/// error, a stream of deltas, or a pause that lasts until the call is cancelled. Every call is recorded, so a
/// test can check what the runner sent, and ``verifyAllStepsUsed()`` checks the run used the whole script.
///
/// ```swift
/// let model = ScriptedModel(steps: [
///   .toolCall("get_weather", arguments: ["city": "Paris"]),
///   .text("It is sunny in Paris."),
/// ])
/// let agent = Agent(name: "Weather", model: .model(model), tools: [weatherTool])
/// let result = try await Runner().run(agent, input: "Weather in Paris?")
/// #expect(result.finalOutput(as: String.self) == "It is sunny in Paris.")
/// #expect(model.calls[1].request.input.count == 3)  // user message, tool call, tool output
/// try model.verifyAllStepsUsed()
/// ```
///
/// A step written as a whole response is streamed as one text delta (and one reasoning delta) when the runner
/// streams; a ``Step/stream(_:response:)`` step is assembled into one response when it does not.
public final class ScriptedModel: Model {
  /// One scripted model call.
  public enum Step: Sendable {
    /// Return this response.
    case response(ModelResponse)
    /// Throw this error (for a streamed call: before any event).
    case failure(any Error)
    /// Stream these pieces, then complete with `response` (or, when `nil`, with the pieces' text and reasoning).
    case stream([StreamPiece], response: ModelResponse? = nil)
    /// Compute the response from the request.
    case dynamic(@Sendable (ModelRequest) async throws -> ModelResponse)
    /// Wait until the call is cancelled, then throw `CancellationError`.
    case waitForCancellation

    /// A text reply.
    public static func text(_ text: String, reasoning: String? = nil, usage: Usage? = nil) -> Step {
      .response(ModelResponse(text: text, reasoning: reasoning, usage: usage))
    }

    /// A reply that calls one tool with JSON arguments.
    public static func toolCall(
      _ name: String, arguments: JSONValue = [:], id: String? = nil, text: String? = nil, usage: Usage? = nil
    ) -> Step {
      .response(
        ModelResponse(
          text: text, toolCalls: [ToolCall(id: id ?? "call_\(name)", name: name, arguments: arguments.jsonString)],
          usage: usage))
    }

    /// A reply that calls several tools.
    public static func toolCalls(_ calls: [ToolCall], text: String? = nil, usage: Usage? = nil) -> Step {
      .response(ModelResponse(text: text, toolCalls: calls, usage: usage))
    }
  }

  /// One piece of a scripted stream.
  public enum StreamPiece: Sendable {
    /// A text delta.
    case text(String)
    /// A reasoning delta.
    case reasoning(String)
    /// Fail the stream with this error.
    case failure(any Error)
    /// Wait until the stream is cancelled.
    case waitForCancellation
  }

  /// A call the model received.
  public struct Call: Sendable {
    /// The request.
    public var request: ModelRequest
    /// Whether the runner asked for a stream.
    public var streamed: Bool
  }

  private struct State {
    var steps: [Step]
    var next = 0
    var calls: [Call] = []
    var cancelledCalls = 0
  }

  /// The model's name.
  public let name: String
  private let state: Mutex<State>

  /// Creates a model that replays `steps` in order.
  public init(name: String = "scripted", steps: [Step]) {
    self.name = name
    state = Mutex(State(steps: steps))
  }

  /// Every call received so far, in order.
  public var calls: [Call] { state.withLock { $0.calls } }

  /// The number of steps not used yet.
  public var remainingSteps: Int { state.withLock { $0.steps.count - $0.next } }

  /// The number of calls that ended because they were cancelled.
  public var cancelledCalls: Int { state.withLock { $0.cancelledCalls } }

  /// Adds steps to the end of the script.
  public func append(_ steps: [Step]) { state.withLock { $0.steps += steps } }

  /// Throws unless every step was used.
  public func verifyAllStepsUsed() throws(ScriptedModelError) {
    let (used, total) = state.withLock { ($0.next, $0.steps.count) }
    guard used == total else {
      throw ScriptedModelError(
        message: "ScriptedModel '\(name)' used \(used) of its \(total) steps; the run made fewer model calls "
          + "than the script expects.")
    }
  }

  /// Replays the next step as a whole response.
  public func response(to request: ModelRequest) async throws -> ModelResponse {
    let step = try take(request, streamed: false)
    do {
      return try await wholeResponse(for: step, request: request)
    } catch {
      // A plain `catch` with a type check: `catch is CancellationError` around this switch miscompiles in
      // Swift 6.3.1 debug builds (a bad pointer dereference when the step's error is rethrown).
      if error is CancellationError { state.withLock { $0.cancelledCalls += 1 } }
      throw error
    }
  }

  private func wholeResponse(for step: Step, request: ModelRequest) async throws -> ModelResponse {
    switch step {
    case .response(let response): return response
    case .failure(let error): throw error
    case .dynamic(let respond): return try await respond(request)
    case .waitForCancellation: try await Self.sleepUntilCancelled()
    case .stream(let pieces, let response):
      var text = ""
      var reasoning = ""
      for piece in pieces {
        switch piece {
        case .text(let delta): text += delta
        case .reasoning(let delta): reasoning += delta
        case .failure(let error): throw error
        case .waitForCancellation: try await Self.sleepUntilCancelled()
        }
      }
      return response ?? ModelResponse(text: text, reasoning: reasoning.isEmpty ? nil : reasoning)
    }
  }

  /// Replays the next step as a stream of events.
  public func streamResponse(to request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: ModelStreamEvent.self)
    let step: Step
    do {
      step = try take(request, streamed: true)
    } catch {
      continuation.finish(throwing: error)
      return stream
    }
    let task = Task {
      do {
        try await self.play(step, request: request, into: continuation)
        continuation.finish()
      } catch {
        if error is CancellationError { self.state.withLock { $0.cancelledCalls += 1 } }
        continuation.finish(throwing: error)
      }
    }
    continuation.onTermination = { _ in task.cancel() }
    return stream
  }

  private func play(
    _ step: Step, request: ModelRequest, into continuation: AsyncThrowingStream<ModelStreamEvent, any Error>.Continuation
  ) async throws {
    switch step {
    case .response(let response):
      Self.yieldWhole(response, into: continuation)
    case .dynamic(let respond):
      Self.yieldWhole(try await respond(request), into: continuation)
    case .failure(let error):
      throw error
    case .waitForCancellation:
      try await Self.sleepUntilCancelled()
    case .stream(let pieces, let response):
      var text = ""
      var reasoning = ""
      for piece in pieces {
        try Task.checkCancellation()
        switch piece {
        case .text(let delta):
          text += delta
          continuation.yield(.textDelta(delta))
        case .reasoning(let delta):
          reasoning += delta
          continuation.yield(.reasoningDelta(delta))
        case .failure(let error): throw error
        case .waitForCancellation: try await Self.sleepUntilCancelled()
        }
      }
      continuation.yield(.completed(response ?? ModelResponse(text: text, reasoning: reasoning.isEmpty ? nil : reasoning)))
    }
  }

  private static func yieldWhole(
    _ response: ModelResponse, into continuation: AsyncThrowingStream<ModelStreamEvent, any Error>.Continuation
  ) {
    if let reasoning = response.reasoning, !reasoning.isEmpty { continuation.yield(.reasoningDelta(reasoning)) }
    if let text = response.text, !text.isEmpty { continuation.yield(.textDelta(text)) }
    continuation.yield(.completed(response))
  }

  private func take(_ request: ModelRequest, streamed: Bool) throws(ScriptedModelError) -> Step {
    let step: Step? = state.withLock { state in
      state.calls.append(Call(request: request, streamed: streamed))
      guard state.next < state.steps.count else { return nil }
      defer { state.next += 1 }
      return state.steps[state.next]
    }
    guard let step else {
      let count = calls.count
      throw ScriptedModelError(
        message: "ScriptedModel '\(name)' has no step for call #\(count) (agent '\(request.agentName)'). "
          + "Add a step for every model call the run makes.")
    }
    return step
  }

  private static func sleepUntilCancelled() async throws -> Never {
    while true { try await Task.sleep(for: .seconds(3600)) }
  }
}

/// A ``ScriptedModel`` ran out of steps, or did not use them all.
public struct ScriptedModelError: Error, Sendable, CustomStringConvertible {
  /// What went wrong.
  public var message: String
  /// The message.
  public var description: String { message }
}
