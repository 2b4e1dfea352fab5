import Agents
import Foundation
import WireCore

extension CacheKey {
  /// The key of a model request: the model's name plus everything that shapes the answer (system prompt,
  /// input items, tools, settings, output format). The agent's name is left out: the same request from two
  /// agents gets the same answer.
  public init(model: String, request: ModelRequest) throws {
    self.init(request: try CacheKey.requestDescription(model: model, request: request))
  }

  /// The request as JSON, for hashing.
  static func requestDescription(model: String, request: ModelRequest) throws -> JSONValue {
    let encoder = JSONEncoder()
    let input = try request.input.map { try JSONValue.parse(try encoder.encode($0)) }
    let tools: [JSONValue] = request.tools.map { tool in
      [
        "name": .string(tool.name), "description": .string(tool.description), "parameters": tool.parameters.value,
        "strict": .bool(tool.strict),
      ]
    }
    return [
      "model": .string(model),
      "system": request.systemPrompt.map(JSONValue.string) ?? .null,
      "input": .array(input),
      "tools": .array(tools),
      "settings": settingsDescription(request.settings),
      "output_format": formatDescription(request.outputFormat),
    ]
  }

  /// Every field of the settings; `RequestCacheKeyTests` checks that none is missing.
  static func settingsDescription(_ settings: ModelSettings) -> JSONValue {
    let toolChoice: JSONValue =
      switch settings.toolChoice {
      case nil: .null
      case .auto: "auto"
      case .required: "required"
      case .disabled: "none"
      case .function(let name): ["function": .string(name)]
      }
    return [
      "temperature": settings.temperature.map(JSONValue.double) ?? .null,
      "top_p": settings.topP.map(JSONValue.double) ?? .null,
      "max_tokens": settings.maxTokens.map(JSONValue.int) ?? .null,
      "tool_choice": toolChoice,
      "parallel_tool_calls": settings.parallelToolCalls.map(JSONValue.bool) ?? .null,
      "seed": settings.seed.map(JSONValue.int) ?? .null,
      "stop": settings.stop.map { .array($0.map(JSONValue.string)) } ?? .null,
      "reasoning_effort": settings.reasoningEffort.map { .string($0.rawValue) } ?? .null,
      "frequency_penalty": settings.frequencyPenalty.map(JSONValue.double) ?? .null,
      "presence_penalty": settings.presencePenalty.map(JSONValue.double) ?? .null,
      "include_usage": settings.includeUsage.map(JSONValue.bool) ?? .null,
      "extra_body": settings.extraBody.map(JSONValue.object) ?? .null,
    ]
  }

  private static func formatDescription(_ format: OutputFormat) -> JSONValue {
    switch format {
    case .text: "text"
    case .jsonObject: "json_object"
    case .jsonSchema(let name, let schema, let strict):
      ["json_schema": ["name": .string(name), "schema": schema.value, "strict": .bool(strict)]]
    }
  }
}

/// The stored form of a ``ModelResponse`` in the response cache. Usage is not kept: a cached answer costs no
/// tokens.
struct CachedModelResponse: Codable {
  struct Call: Codable {
    var id: String
    var name: String
    var arguments: String
  }

  var text: String?
  var reasoning: String?
  var toolCalls: [Call]
  var responseID: String?
  var finishReason: String?
  var refusal: String?

  init(_ response: ModelResponse) {
    text = response.text
    reasoning = response.reasoning
    toolCalls = response.toolCalls.map { Call(id: $0.id, name: $0.name, arguments: $0.arguments) }
    responseID = response.responseID
    finishReason = response.finishReason
    refusal = response.refusal
  }

  /// The response, marked as served from the cache.
  var modelResponse: ModelResponse {
    ModelResponse(
      text: text, reasoning: reasoning,
      toolCalls: toolCalls.map { ToolCall(id: $0.id, name: $0.name, arguments: $0.arguments) }, usage: nil,
      responseID: responseID, finishReason: finishReason, refusal: refusal, servedFromCache: true)
  }
}
