/// A language model the runner can call: one request in, one response (or a stream of events) out.
///
/// The run loop depends only on this protocol, so any backend works: ``ChatCompletionsModel`` for Ollama and
/// other OpenAI-compatible servers, `ScriptedModel` from `AgentsTesting` in tests, or your own.
///
/// Implementations throw ``AgentsError`` with code ``AgentsError/Code/responseFormatUnsupported`` when the
/// server rejects the requested ``OutputFormat``, so the runner can fall back to a weaker one.
public protocol Model: Sendable {
  /// The model's name, for tracing and run records.
  var name: String { get }

  /// The model's size in parameters, when known; ``ToolCallingStrategy/automatic`` treats models under 4B as
  /// small. The default reads it from the name (``ModelSize/parameterCount(inName:)``).
  var parameterCount: Int? { get }

  /// Sends one request and returns the whole response.
  func response(to request: ModelRequest) async throws -> ModelResponse

  /// Sends one request and streams the response; the last event is ``ModelStreamEvent/completed(_:)``.
  ///
  /// Cancelling the consuming task (or dropping the stream) must stop the underlying request.
  func streamResponse(to request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error>

  /// The prompt tokens `request` takes, counted by the server's own tokenizer and chat template, or `nil` when
  /// the server cannot count (the default). The runner asks when a request comes close to the agent's context
  /// length, so history is trimmed by real counts rather than estimates.
  func promptTokens(for request: ModelRequest) async -> Int?

  /// The executor a streamed response is best read on, or `nil` (the default) for none.
  ///
  /// The runner reads ``streamResponse(to:)`` with this executor preferred, and hands each event to the run's
  /// event handler there. ``ChatCompletionsModel`` gives its transport's network thread, so each chunk reaches the
  /// run without waking another thread.
  var streamingExecutor: (any TaskExecutor)? { get }
}

extension Model {
  /// No server-side counting: `nil`.
  public func promptTokens(for request: ModelRequest) async -> Int? { nil }

  /// No preference: `nil`.
  public var streamingExecutor: (any TaskExecutor)? { nil }
}

/// Everything a model needs for one call.
@MemberwiseInit
public struct ModelRequest: Sendable {
  /// The system prompt (the agent's instructions), if any.
  public var systemPrompt: String?
  /// The conversation so far.
  public var input: [Item]
  /// The tools (including handoffs) the model may call.
  public var tools: [ToolDefinition] = []
  /// Sampling and tool settings.
  public var settings: ModelSettings = ModelSettings()
  /// The reply format the model must follow.
  public var outputFormat: OutputFormat = .text
  /// The name of the agent making the call.
  public var agentName: String = ""
}

/// The reply format a model call asks for.
public enum OutputFormat: Sendable, Hashable {
  /// Free text.
  case text
  /// JSON that matches a schema (`response_format: {"type":"json_schema", …}`).
  case jsonSchema(name: String, schema: JSONSchema, strict: Bool)
  /// Any JSON object (`response_format: {"type":"json_object"}`); the schema goes in the system prompt.
  case jsonObject
}

/// A tool as the model sees it: name, description and parameter schema.
@MemberwiseInit
public struct ToolDefinition: Sendable, Hashable {
  /// The name the model calls the tool by.
  public var name: String
  /// What the tool does, for the model.
  public var description: String
  /// The JSON Schema of the arguments object.
  public var parameters: JSONSchema
  /// Whether the server should enforce the schema strictly (OpenAI `strict`).
  public var strict: Bool = false
}

/// What a model returned for one call.
@MemberwiseInit
public struct ModelResponse: Sendable, Hashable {
  /// The assistant message text, if any (may still contain `<think>` blocks; the runner splits them off).
  public var text: String?
  /// Reasoning the server returned separately (`reasoning` / `reasoning_content`).
  public var reasoning: String?
  /// The tool calls, in order.
  public var toolCalls: [ToolCall] = []
  /// Token usage, or `nil` when the server reported none (counted as one request).
  public var usage: Usage?
  /// The server's response identifier, if any.
  public var responseID: String?
  /// Why generation stopped (`stop`, `length`, `tool_calls`…), if reported.
  public var finishReason: String?
  /// A refusal message, if the model refused.
  public var refusal: String?
  /// Whether this response was answered from a local cache instead of the model server (an earlier answer to
  /// an identical request, used because the server was unreachable).
  public var servedFromCache: Bool = false
  /// When the runner stopped this response because it kept repeating itself: what repeated. ``text`` then ends
  /// after the block's first occurrence.
  public var stoppedByRepetition: RepetitionDetector.Report?
}

/// One event of a streamed model response.
public enum ModelStreamEvent: Sendable, Hashable {
  /// A piece of the assistant message text.
  case textDelta(String)
  /// A piece of reasoning text.
  case reasoningDelta(String)
  /// The whole response; always the last event of a successful stream.
  case completed(ModelResponse)
}

/// An agent's model: a name the runner's ``ModelProvider`` resolves, or a ready ``Model``.
public enum ModelReference: Sendable, ExpressibleByStringLiteral {
  /// A model name such as `"llama3.2"`, resolved by the runner's model provider.
  case named(String)
  /// A model value, used as is (so agents in one run can use different servers).
  case model(any Model)

  /// A named model.
  public init(stringLiteral value: String) { self = .named(value) }

  /// The model's name.
  public var name: String {
    switch self {
    case .named(let name): name
    case .model(let model): model.name
    }
  }
}

/// Turns model names into models; the runner asks it for every agent whose model is a name (or unset).
public protocol ModelProvider: Sendable {
  /// The model for `name`, or the provider's default model when `name` is `nil`.
  func model(named name: String?) throws -> any Model
}
