import OpenAICompatible

extension ChatCompletionsModel {
  /// The chat request for a model request.
  func chatRequest(for request: ModelRequest, streaming: Bool) -> ChatCompletionRequest {
    let settings = request.settings
    let hasTools = !request.tools.isEmpty
    var chat = ChatCompletionRequest(
      model: name, messages: messages(for: request),
      tools: hasTools ? request.tools.map(chatTool) : nil,
      toolChoice: hasTools ? settings.toolChoice.map(Self.wireToolChoice) : nil,
      parallelToolCalls: hasTools ? settings.parallelToolCalls : nil,
      responseFormat: Self.responseFormat(request.outputFormat),
      temperature: settings.temperature, topP: settings.topP, maxTokens: settings.maxTokens, seed: settings.seed,
      stop: settings.stop, frequencyPenalty: settings.frequencyPenalty, presencePenalty: settings.presencePenalty,
      reasoningEffort: settings.reasoningEffort?.rawValue,
      includeUsage: streaming ? (settings.includeUsage ?? true) : nil)
    if let extra = settings.extraBody { chat.extra = extra }
    return chat
  }

  /// The conversation as chat messages: the system prompt first; an assistant text followed by tool calls
  /// becomes one assistant message carrying them.
  func messages(for request: ModelRequest) -> [ChatMessage] {
    var messages: [ChatMessage] = []
    messages.reserveCapacity(request.input.count + 1)
    if let system = request.systemPrompt, !system.isEmpty { messages.append(.system(system)) }
    var openAssistant: Int?
    var reasoning: String?
    for item in request.input {
      switch item {
      case .message(let message):
        switch message.role {
        case .system: messages.append(.system(message.content))
        case .user: messages.append(.user(message.content))
        case .assistant:
          messages.append(.assistant(message.content, reasoning: configuration.replaysReasoning ? reasoning : nil))
          reasoning = nil
          openAssistant = messages.count - 1
          continue
        }
      case .reasoning(let text):
        reasoning = text
        continue
      case .toolCall(let call):
        let wireCall = OpenAICompatible.ToolCall(id: call.id, name: call.name, arguments: call.arguments)
        if let index = openAssistant {
          messages[index].toolCalls.append(wireCall)
        } else {
          messages.append(
            .assistant(nil, toolCalls: [wireCall], reasoning: configuration.replaysReasoning ? reasoning : nil))
          reasoning = nil
          openAssistant = messages.count - 1
        }
        continue
      case .toolOutput(let output):
        messages.append(.tool(callID: output.callID, content: output.output))
      }
      openAssistant = nil
    }
    return messages
  }

  private func chatTool(_ definition: ToolDefinition) -> ChatTool {
    .function(
      name: definition.name, description: definition.description, parameters: definition.parameters.value,
      strict: configuration.sendsStrictFlag && definition.strict ? true : nil)
  }

  private static func wireToolChoice(_ choice: Agents.ToolChoice) -> OpenAICompatible.ToolChoice {
    switch choice {
    case .auto: .auto
    case .required: .required
    case .disabled: .none
    case .function(let name): .function(name)
    }
  }

  private static func responseFormat(_ format: OutputFormat) -> ResponseFormat? {
    switch format {
    case .text: nil
    case .jsonObject: .jsonObject
    case .jsonSchema(let name, let schema, let strict): .jsonSchema(name: name, schema: schema.value, strict: strict)
    }
  }

  /// The model response for a chat completion.
  static func response(from completion: ChatCompletion) throws -> ModelResponse {
    guard let choice = completion.choices.first else {
      throw AgentsError(
        .modelBehavior, "The server answered without any choice. Check that the model name is right and the "
          + "server is healthy.")
    }
    let message = choice.message
    let text = message.content?.text
    let refusal = completion.raw["choices"]?.arrayValue?.first?["message"]?["refusal"]?.stringValue
    return ModelResponse(
      text: text, reasoning: message.reasoning,
      toolCalls: message.toolCalls.map {
        Agents.ToolCall(id: $0.id, name: $0.function.name, arguments: $0.function.arguments)
      },
      usage: completion.usage.map(Self.usage), responseID: completion.id, finishReason: choice.finishReason?.rawValue,
      refusal: refusal)
  }

  private static func usage(_ usage: OpenAICompatible.Usage) -> Agents.Usage {
    let details = JSONValue.object(usage.details)
    return Agents.Usage(
      requests: 1, inputTokens: usage.promptTokens, outputTokens: usage.completionTokens, totalTokens: usage.totalTokens,
      cachedInputTokens: details["prompt_tokens_details"]?["cached_tokens"]?.intValue ?? 0,
      reasoningTokens: details["completion_tokens_details"]?["reasoning_tokens"]?.intValue ?? 0)
  }

  /// Turns the server errors the runner acts on into ``AgentsError``s; everything else passes through.
  func translate(_ error: any Error, request: ModelRequest) -> any Error {
    guard let serverError = error as? ModelServerError else { return error }
    if serverError.code == .toolsUnsupported {
      return AgentsError(
        .toolsUnsupported, "Model '\(name)' does not support tools, but agent '\(request.agentName)' offers "
          + "\(request.tools.count) tools or handoffs (\(request.tools.map(\.name).joined(separator: ", "))). Use a "
          + "model with tool support (`ollama show \(name)` lists its capabilities) or remove the tools.",
        underlying: serverError)
    }
    if request.outputFormat != .text, Self.isResponseFormatRejection(serverError) {
      return AgentsError(
        .responseFormatUnsupported, "The server rejected the structured output format for model '\(name)': "
          + "\(serverError.serverMessage ?? serverError.summary).", underlying: serverError)
    }
    return error
  }

  /// Whether a server error says the `response_format` is not supported.
  static func isResponseFormatRejection(_ error: ModelServerError) -> Bool {
    guard error.code == .httpStatus, let status = error.status, (400..<500).contains(status) else { return false }
    let message = (error.serverMessage ?? "").lowercased()
    return ["response_format", "response format", "json_schema", "json_object"].contains { message.contains($0) }
  }
}

/// A ``ModelProvider`` for an OpenAI-compatible server: every model name becomes a ``ChatCompletionsModel``
/// on the same client, and `nil` becomes the configuration's default model.
public struct OpenAICompatibleProvider: ModelProvider {
  /// The client every model uses.
  public var client: ChatCompletionsClient
  /// How the models build requests.
  public var modelConfiguration: ChatCompletionsModel.Configuration
  /// The size the server reported for a model, asked for models whose name states none, so that
  /// ``ToolCallingStrategy/automatic`` treats a 0.5B model served under the alias `local` as it treats
  /// `qwen2.5-coder-0.5b`; `nil` (the default) uses names only. The CLI answers from what it looked up before the
  /// run (llama.cpp's `meta.n_params` in `/v1/models`).
  public var reportedParameterCount: (@Sendable (String) -> Int?)?

  /// Creates a provider for the server `config` describes (by default Ollama on localhost, or `OLLAMA_HOST`).
  public init(config: OllamaConfig = OllamaConfig(), modelConfiguration: ChatCompletionsModel.Configuration = .init()) {
    self.client = ChatCompletionsClient(config: config)
    self.modelConfiguration = modelConfiguration
  }

  /// Creates a provider on an existing client.
  public init(client: ChatCompletionsClient, modelConfiguration: ChatCompletionsModel.Configuration = .init()) {
    self.client = client
    self.modelConfiguration = modelConfiguration
  }

  /// A model named `name`, or the configuration's default model.
  public func model(named name: String?) -> any Model {
    let name = name ?? client.config.defaultModel
    // The model keeps the size its name states; the reported one counts only when the name states none.
    return ChatCompletionsModel(
      name: name, client: client, configuration: modelConfiguration, parameterCount: reportedParameterCount?(name))
  }
}

extension OpenAICompatibleProvider {
  /// The provider for the server the environment names (`OPENAI_BASE_URL`, else `OLLAMA_HOST`, else local
  /// Ollama), created once per process; runners without a provider use it.
  static let environmentDefault = Result { () throws(ModelServerError) in
    OpenAICompatibleProvider(config: try OllamaConfig.fromEnvironment())
  }
}
