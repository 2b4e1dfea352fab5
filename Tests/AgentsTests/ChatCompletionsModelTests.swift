@testable import Agents
import OpenAICompatible
import Testing

@Suite struct ChatCompletionsModelTests {
  let model = ChatCompletionsModel(name: "llama3.2")

  @Test func itemsBecomeChatMessagesWithToolCallsOnTheAssistantMessage() {
    let request = ModelRequest(systemPrompt: "Be brief.", input: [
      .user("Weather?"), .reasoning("I should call the tool"), .assistant("Checking."),
      .toolCall(Agents.ToolCall(id: "a", name: "get_weather", arguments: #"{"city":"Oslo"}"#)),
      .toolCall(Agents.ToolCall(id: "b", name: "get_time", arguments: "{}")),
      .toolOutput(ToolCallOutput(callID: "a", output: "sunny")), .toolOutput(ToolCallOutput(callID: "b", output: "noon")),
      .toolCall(Agents.ToolCall(id: "c", name: "get_weather", arguments: "{}")),
      .toolOutput(ToolCallOutput(callID: "c", output: "rain")), .assistant("Sunny at noon."),
    ])
    let messages = model.messages(for: request)
    #expect(messages.map(\.role) == [.system, .user, .assistant, .tool, .tool, .assistant, .tool, .assistant])
    #expect(messages[2].text == "Checking.")
    #expect(messages[2].toolCalls.map(\.id) == ["a", "b"])
    #expect(messages[2].reasoning == nil)
    #expect(messages[3].toolCallID == "a")
    #expect(messages[5].content == nil)
    #expect(messages[5].toolCalls.map(\.function.name) == ["get_weather"])
    let replaying = ChatCompletionsModel(name: "m", configuration: .init(replaysReasoning: true))
    #expect(replaying.messages(for: request)[2].reasoning == "I should call the tool")
  }

  @Test func settingsToolsAndFormatsMapToTheRequestBody() throws {
    let request = ModelRequest(
      systemPrompt: nil, input: [.user("x")],
      tools: [ToolDefinition(name: "get_weather", description: "Weather", parameters: JSONSchema(["type": "object"]), strict: true)],
      settings: try ModelSettings(
        temperature: 0.2, topP: 0.9, maxTokens: 64, toolChoice: .function("get_weather"), parallelToolCalls: false,
        seed: 1, stop: ["END"], reasoningEffort: .disabled, extraBody: ["top_k": 20]),
      outputFormat: .jsonSchema(name: "Forecast", schema: JSONSchema(["type": "object"]), strict: true))
    let body = JSONValue.object(model.chatRequest(for: request, streaming: true).jsonObject(stream: true, defaultModel: "d"))
    #expect(body["model"] == "llama3.2")
    #expect(body["temperature"] == 0.2)
    #expect(body["top_p"] == 0.9)
    #expect(body["max_tokens"] == 64)
    #expect(body["seed"] == 1)
    #expect(body["stop"] == ["END"])
    #expect(body["reasoning_effort"] == "none")
    #expect(body["top_k"] == 20)
    #expect(body["parallel_tool_calls"] == false)
    #expect(body["tool_choice"] == ["type": "function", "function": ["name": "get_weather"]])
    #expect(body["stream_options"] == ["include_usage": true])
    #expect(body["response_format"]?["type"] == "json_schema")
    #expect(body["response_format"]?["json_schema"]?["name"] == "Forecast")
    #expect(body["tools"]?.arrayValue?.first?["function"]?["name"] == "get_weather")
    #expect(body["tools"]?.arrayValue?.first?["function"]?["strict"] == nil)
  }

  @Test func toolSettingsAreOmittedWithoutToolsAndUsageCanBeTurnedOff() throws {
    let request = ModelRequest(
      systemPrompt: nil, input: [.user("x")],
      settings: try ModelSettings(toolChoice: .required, parallelToolCalls: true, includeUsage: false),
      outputFormat: .jsonObject)
    let body = JSONValue.object(model.chatRequest(for: request, streaming: true).jsonObject(stream: true, defaultModel: "d"))
    #expect(body["tool_choice"] == nil)
    #expect(body["parallel_tool_calls"] == nil)
    #expect(body["stream_options"] == ["include_usage": false])
    #expect(body["response_format"] == ["type": "json_object"])
    let plain = JSONValue.object(
      model.chatRequest(for: ModelRequest(systemPrompt: nil, input: []), streaming: false).jsonObject(stream: false, defaultModel: "d"))
    #expect(plain["response_format"] == nil)
    #expect(plain["stream_options"] == nil)
  }

  @Test func responseFormatRejectionsAreRecognised() {
    let rejected = ModelServerError(
      code: .httpStatus, summary: "HTTP 400", recoverySuggestion: "", status: 400,
      serverMessage: "'response_format.type' : value is not one of the allowed values ['text','json_object']")
    #expect(ChatCompletionsModel.isResponseFormatRejection(rejected))
    var other = rejected
    other.serverMessage = "model 'x' not found"
    #expect(!ChatCompletionsModel.isResponseFormatRejection(other))
    var serverSide = rejected
    serverSide.status = 500
    #expect(!ChatCompletionsModel.isResponseFormatRejection(serverSide))
  }
}
