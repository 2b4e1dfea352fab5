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

  /// Creates a model on a client.
  public init(
    name: String, client: ChatCompletionsClient = ChatCompletionsClient(), configuration: Configuration = Configuration()
  ) {
    self.name = name
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

  /// Streams one request; cancelling the consumer cancels the HTTP request.
  public func streamResponse(to request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
    let (events, continuation) = AsyncThrowingStream.makeStream(of: ModelStreamEvent.self)
    let task = Task {
      do {
        let stream = try await client.stream(chatRequest(for: request, streaming: true))
        var iterator = stream.makeAsyncIterator()
        while let event = try await iterator.next() {
          switch event {
          case .contentDelta(let text): continuation.yield(.textDelta(text))
          case .reasoningDelta(let text): continuation.yield(.reasoningDelta(text))
          case .toolCallDelta, .toolCall, .usage, .finished: break
          }
        }
        continuation.yield(.completed(try Self.response(from: iterator.accumulator.completion)))
        continuation.finish()
      } catch {
        continuation.finish(throwing: translate(error, request: request))
      }
    }
    continuation.onTermination = { _ in task.cancel() }
    return events
  }
}
