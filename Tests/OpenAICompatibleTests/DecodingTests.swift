import OpenAICompatible
import Testing
import WireCore

@Suite struct DecodingTests {
  @Test func llamaServerCompletionWithNullContentTimingsAndLongIDs() throws {
    let completion = try ChatCompletion(json: Fixture.json("llamacpp-completion.json"))
    #expect(completion.message.content == nil)
    #expect(completion.message.reasoning == nil)
    #expect(completion.message.toolCalls.first?.id.count == 32)
    #expect(completion.message.toolCalls.first?.function.argumentsObject?["query"] == "swift nio")
    #expect(completion.finishReason == .toolCalls)
    #expect(completion.usage == Usage(promptTokens: 214, completionTokens: 20))
    #expect(completion.raw["timings"]?["predicted_n"] == 61)
  }

  @Test func ollamaToolCallsKeepTheirExtraIndexOutOfTheWay() throws {
    let completion = try ChatCompletion(json: Fixture.json("ollama-completion-toolcalls.json"))
    #expect(completion.message.text == "Let me check.")
    #expect(completion.message.toolCalls.map(\.id) == ["call_k3n9x0qa", "call_p2m7v1zd"])
    #expect(completion.id == "chatcmpl-88")
    #expect(completion.model == "qwen3:8b")
  }

  @Test func tolerantOfMissingUsageUnknownFieldsAndObjectArguments() throws {
    let json = try JSONValue.parse(
      #"{"id":"x","choices":[{"message":{"role":"assistant","content":"","reasoning_content":"hmm","#
        + #""tool_calls":[{"function":{"name":"f","arguments":{"a":1}}}],"extra":1},"finish_reason":null}],"#
        + #""usage":null,"surprise":{"a":[1]}}"#)
    let completion = try ChatCompletion(json: json)
    #expect(completion.usage == nil)
    #expect(completion.finishReason == nil)
    #expect(completion.message.reasoning == "hmm")
    #expect(completion.message.toolCalls == [ToolCall(id: "call_0", name: "f", arguments: #"{"a":1}"#)])
  }

  @Test func chunksWithContentAndFinishTogetherAndEmptyChoices() throws {
    let chunk = try ChatCompletionChunk(
      json: JSONValue.parse(#"{"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"end"},"finish_reason":"length"}]}"#))
    #expect(chunk.choices.first?.delta.content == "end")
    #expect(chunk.choices.first?.finishReason == .length)
    let usage = try ChatCompletionChunk(
      json: JSONValue.parse(#"{"id":"c","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3,"prompt_tokens_details":{"cached_tokens":0}}}"#))
    #expect(usage.choices.isEmpty)
    #expect(usage.usage?.details["prompt_tokens_details"] == ["cached_tokens": 0])
  }

  @Test func wrongShapesAreMalformedResponses() {
    #expect(throws: ModelServerError.self) { try ChatCompletion(json: ["choices": "no"]) }
    #expect(throws: ModelServerError.self) { try ChatCompletion(json: ["choices": [["index": 0]]]) }
    #expect(throws: ModelServerError.self) { try ChatCompletion(json: [1, 2]) }
  }
}
