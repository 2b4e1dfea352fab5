import OpenAICompatible

/// A ``Model`` backed by an OpenAI-compatible Chat Completions server: Ollama, llama.cpp's llama-server,
/// vLLM or OpenAI.
///
/// It maps the conversation to chat messages (an assistant text and the tool calls after it become one
/// assistant message), sends `stream_options.include_usage` when streaming, reads reasoning from Ollama's
/// `reasoning` and DeepSeek-style `reasoning_content`, and turns two server rejections into errors the runner
/// acts on: a rejected `response_format` (``AgentsError/Code/responseFormatUnsupported``, so the runner falls
/// back to a weaker format) and a model without tool support (``AgentsError/Code/toolsUnsupported``).
public struct ChatCompletionsModel: Model {
  /// How the model talks to the server.
  public struct Configuration: Sendable, Hashable {
    /// Whether reasoning from earlier turns is sent back on assistant messages (most chat templates drop it).
    public var replaysReasoning: Bool
    /// Whether the `strict` flag of tools is sent (some servers reject the field).
    public var sendsStrictFlag: Bool

    /// Creates a configuration.
    public init(replaysReasoning: Bool = false, sendsStrictFlag: Bool = false) {
      self.replaysReasoning = replaysReasoning
      self.sendsStrictFlag = sendsStrictFlag
    }
  }

  /// The model name sent to the server.
  public let name: String
  /// The client requests go through.
  public var client: ChatCompletionsClient
  /// How requests are built.
  public var configuration: Configuration
  /// The size written in ``name`` (``ModelSize/parameterCount(inName:)``), else the one given when it was created
  /// (what its server reported), read once: the runner asks for it on every turn.
  public let parameterCount: Int?

  /// Creates a model on a client; `parameterCount` is the model's size as its server reports it, used when `name`
  /// states none (a llama.cpp server started with an alias such as `local`).
  public init(
    name: String, client: ChatCompletionsClient = ChatCompletionsClient(), configuration: Configuration = Configuration(),
    parameterCount: Int? = nil
  ) {
    self.name = name
    self.parameterCount = ModelSize.parameterCount(inName: name) ?? parameterCount
    self.client = client
    self.configuration = configuration
  }

  /// Sends one request and returns the whole response.
  public func response(to request: ModelRequest) async throws -> ModelResponse {
    do {
      return try Self.response(from: try await client.complete(chatRequest(for: request, streaming: false)))
    } catch {
      throw translate(error, request: request)
    }
  }

  /// The prompt tokens `request` takes, counted by the server (llama.cpp's `llama-server` and vLLM can; Ollama
  /// and OpenAI cannot, which gives `nil`).
  public func promptTokens(for request: ModelRequest) async -> Int? {
    await client.countPromptTokens(chatRequest(for: request, streaming: false))
  }

  /// The network thread of the client's transport (``HTTPTransport/responseExecutor``): the runner reads streamed
  /// responses there.
  public var streamingExecutor: (any TaskExecutor)? { client.transport.responseExecutor }

  /// Streams one request; cancelling the consumer, or dropping the stream, cancels the HTTP request.
  ///
  /// The request is sent when the consumer first asks for an event, and each event is read on the consumer's
  /// own task: no task of its own and no hand-over per event (each one costs a thread wake-up).
  public func streamResponse(to request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
    let source = StreamSource(events(for: request).makeAsyncIterator())
    return AsyncThrowingStream { try await source.next() }
  }

  /// The events of one streamed request, as ``streamResponse(to:)`` gives them, without the stream around them:
  /// the runner iterates this directly (one iterator fewer per event, and no copy of the iterator across each
  /// wait, as a class holding it needs).
  func events(for request: ModelRequest) -> StreamedEvents { StreamedEvents(model: self, request: request) }
}

/// The events of one streamed request of a ``ChatCompletionsModel``, read when asked for; the request is sent on the
/// first ``AsyncIterator/next()``. Errors are the model's (``ChatCompletionsModel/translate(_:request:)``).
struct StreamedEvents: AsyncSequence, Sendable {
  typealias Element = ModelStreamEvent
  let model: ChatCompletionsModel
  let request: ModelRequest

  struct AsyncIterator: AsyncIteratorProtocol {
    let model: ChatCompletionsModel
    let request: ModelRequest
    private var events: ChatCompletionStream.AsyncIterator?
    private var done = false

    init(model: ChatCompletionsModel, request: ModelRequest) {
      self.model = model
      self.request = request
    }

    mutating func next() async throws -> ModelStreamEvent? {
      guard !done else { return nil }
      do {
        if events == nil {
          events = try await model.client.stream(model.chatRequest(for: request, streaming: true)).makeAsyncIterator()
        }
        while let event = try await events!.next() {
          switch event {
          case .contentDelta(let text): return .textDelta(text)
          case .reasoningDelta(let text): return .reasoningDelta(text)
          case .toolCallDelta, .toolCall, .usage, .finished: continue
          }
        }
        done = true
        let completion = events!.accumulator.completion
        events = nil
        return .completed(try ChatCompletionsModel.response(from: completion))
      } catch {
        done = true
        events = nil  // ends the request now, not when the iterator is dropped
        throw model.translate(error, request: request)
      }
    }
  }

  func makeAsyncIterator() -> AsyncIterator { AsyncIterator(model: model, request: request) }
}

/// The events of one streamed request inside an `AsyncThrowingStream`, for ``ChatCompletionsModel/streamResponse(to:)``.
///
/// `AsyncThrowingStream(unfolding:)` calls ``next()`` once at a time, never concurrently, so the mutable state
/// needs no lock.
private final class StreamSource: @unchecked Sendable {
  private var iterator: StreamedEvents.AsyncIterator

  init(_ iterator: StreamedEvents.AsyncIterator) { self.iterator = iterator }

  func next() async throws -> ModelStreamEvent? { try await iterator.next() }
}
