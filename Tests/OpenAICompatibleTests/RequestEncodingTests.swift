import OpenAICompatible
import Testing
import WireCore

@Suite struct RequestEncodingTests {
  /// The request fixture of the protocol reference (§1.1), built with the typed API.
  @Test func encodesTheReferenceRequest() throws {
    let schema: JSONValue = ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]]
    let request = ChatCompletionRequest(
      model: "qwen3:8b",
      messages: [
        .system("You are terse."),
        .user("Weather in Paris?"),
        .assistant("", toolCalls: [ToolCall(id: "call_a1b2c3d4", name: "get_weather", arguments: #"{"city":"Paris"}"#)]),
        .tool(callID: "call_a1b2c3d4", content: #"{"temp_c":21}"#),
      ],
      tools: [.function(name: "get_weather", description: "Get weather", parameters: schema)],
      responseFormat: .jsonSchema(name: "r", schema: schema, strict: true),
      temperature: 0.2, topP: 0.9, maxTokens: 512, seed: 42, stop: ["\n\nUser:"],
      reasoningEffort: "none", includeUsage: true
    )
    let expected = try JSONValue.parse(
      #"""
      {"model":"qwen3:8b","stream":true,"stream_options":{"include_usage":true},
       "temperature":0.2,"top_p":0.9,"max_tokens":512,"seed":42,"stop":["\n\nUser:"],
       "reasoning_effort":"none",
       "response_format":{"type":"json_schema","json_schema":{"name":"r","strict":true,
         "schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
       "tools":[{"type":"function","function":{"name":"get_weather","description":"Get weather",
         "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
       "messages":[
        {"role":"system","content":"You are terse."},
        {"role":"user","content":"Weather in Paris?"},
        {"role":"assistant","content":"","tool_calls":[{"id":"call_a1b2c3d4","type":"function",
           "function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
        {"role":"tool","tool_call_id":"call_a1b2c3d4","content":"{\"temp_c\":21}"}]}
      """#)
    let encoded = try JSONValue.parse(request.jsonBytes(stream: true, defaultModel: "llama3.2"))
    #expect(encoded == expected)
  }

  @Test func omitsNilFieldsAndDefaultsTheModel() {
    let body = ChatCompletionRequest(messages: [.user("hi")]).jsonObject(stream: false, defaultModel: "llama3.2")
    #expect(body.keys == ["model", "messages", "stream"])
    #expect(body["model"] == "llama3.2")
    #expect(body["stream"] == false)
  }

  @Test func streamOptionsOnlyWhenStreaming() {
    let request = ChatCompletionRequest(messages: [.user("hi")], includeUsage: true)
    #expect(request.jsonObject(stream: false, defaultModel: "m")["stream_options"] == nil)
    #expect(request.jsonObject(stream: true, defaultModel: "m")["stream_options"] == ["include_usage": true])
  }

  @Test func neverSendsNullContentOrNonObjectArguments() {
    let messages: [ChatMessage] = [
      .assistant(nil),
      .assistant(nil, toolCalls: [
        ToolCall(id: "a", name: "f", arguments: ""),
        ToolCall(id: "b", name: "f", arguments: #"{""#),
        ToolCall(id: "c", name: "f", arguments: "[1,2]"),
        ToolCall(id: "d", name: "f", arguments: #"{"x": 1}"#),
      ]),
    ]
    let body = ChatCompletionRequest(messages: messages).jsonObject(stream: false, defaultModel: "m")
    let encoded = body["messages"]?.arrayValue ?? []
    #expect(encoded[0]["content"] == "")
    #expect(encoded[1]["content"] == "")
    let arguments = (encoded[1]["tool_calls"]?.arrayValue ?? []).map { $0["function"]?["arguments"]?.stringValue }
    #expect(arguments == ["{}", "{}", "{}", #"{"x": 1}"#])
    #expect(body.jsonStringContains("max_completion_tokens") == false)
  }

  @Test func encodesToolChoiceFormatsPartsAndExtra() {
    let request = ChatCompletionRequest(
      messages: [.user(parts: [.text("What is this?"), .image([0x89, 0x50, 0x4E, 0x47], mimeType: "image/png")])],
      toolChoice: .function("get_weather"), parallelToolCalls: false, responseFormat: .jsonObject,
      maxTokens: 8, frequencyPenalty: 0.5, presencePenalty: -0.5,
      extra: ["top_k": 20, "max_tokens": 16]
    )
    let body = request.jsonObject(stream: false, defaultModel: "m")
    #expect(body["tool_choice"] == ["type": "function", "function": ["name": "get_weather"]])
    #expect(body["parallel_tool_calls"] == false)
    #expect(body["response_format"] == ["type": "json_object"])
    #expect(body["frequency_penalty"] == 0.5)
    #expect(body["presence_penalty"] == -0.5)
    #expect(body["top_k"] == 20)
    #expect(body["max_tokens"] == 16)  // extra overrides
    let parts = body["messages"]?.arrayValue?.first?["content"]?.arrayValue ?? []
    #expect(parts[0] == ["type": "text", "text": "What is this?"])
    #expect(parts[1]["image_url"]?["url"] == "data:image/png;base64,iVBORw==")
    #expect(ToolChoice.none.jsonValue == "none")
    #expect(ToolChoice.required.jsonValue == "required")
    #expect(ResponseFormat.text.jsonValue == ["type": "text"])
  }

  @Test func sendsReasoningNameAndStrictWhenSet() {
    let message = ChatMessage(role: .tool, content: .text("21"), name: "get_weather", toolCallID: "c1")
    #expect(message.jsonValue["name"] == "get_weather")
    let assistant = ChatMessage.assistant("ok", reasoning: "thinking…")
    #expect(assistant.jsonValue["reasoning"] == "thinking…")
    let tool = ChatTool.function(name: "f", parameters: ["type": "object"], strict: true)
    #expect(tool.jsonValue["function"]?["strict"] == true)
    #expect(tool.jsonValue["function"]?["description"] == nil)
  }
}

extension JSONObject {
  func jsonStringContains(_ text: String) -> Bool { JSONValue.object(self).jsonString.contains(text) }
}
