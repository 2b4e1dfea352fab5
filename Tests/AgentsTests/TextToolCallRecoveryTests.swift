@testable import Agents
import Testing

@Suite struct TextToolCallRecoveryTests {
  /// `get_weather` (needs a city) and a handoff to the Billing Agent.
  static let offered = TextToolCallRecovery.Offered(
    tools: ["get_weather"], handoffsByAgent: ["billing_agent": "transfer_to_billing_agent"],
    accepts: { name, arguments in
      name != "get_weather" || (try? JSONValue.parse(arguments))?["city"]?.stringValue != nil
    })

  static func recover(_ text: String) -> [TextToolCallRecovery.Call]? {
    TextToolCallRecovery.recover(from: text, offered: offered)?.calls
  }

  @Test(arguments: [
    #"{"name": "get_weather", "arguments": {"city": "Paris"}}"#,
    #"{"name": "get_weather", "parameters": {"city": "Paris"}}"#,
    #"{"name": "get_weather", "args": {"city": "Paris"}}"#,
    #"{"type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}"#,
    #"{"tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]}"#,
    #"{"name": "get_weather", "arguments": {"city": "Paris"}, "note": "extra"}"#,
    "```json\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n```",
    "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>",
    "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}",
  ])
  func wholeRepliesInEveryShape(text: String) throws {
    let recovered = try #require(TextToolCallRecovery.recover(from: text, offered: Self.offered))
    #expect(recovered.wholeReply)
    #expect(recovered.calls.count == 1)
    #expect(recovered.calls[0].name == "get_weather")
    #expect(try JSONValue.parse(recovered.calls[0].arguments) == ["city": "Paris"])
  }

  @Test func aCallInsideProseIsRecoveredWhenItsArgumentsAreUsable() throws {
    let text = """
      To find the weather we use the tool:
      ```json
      {"name": "get_weather", "arguments": {"city": "Lima"}}
      ```
      The weather in Lima is 31 degrees.
      """
    let recovered = try #require(TextToolCallRecovery.recover(from: text, offered: Self.offered))
    #expect(!recovered.wholeReply)
    #expect(recovered.calls == [.init(name: "get_weather", arguments: #"{"city":"Lima"}"#)])
    // An example call with unusable arguments inside an answer stays part of the answer.
    #expect(Self.recover(#"For example {"name": "get_weather", "arguments": {"town": 3}} would fail."#) == nil)
  }

  @Test func repeatedCallsAreKeptOnceAndCapped() throws {
    let same = String(repeating: #"{"name": "get_weather", "arguments": {"city": "Lima"}}"# + "\n", count: 50)
    #expect(Self.recover(same)?.count == 1)
    let different = (1...20).map { #"{"name": "get_weather", "arguments": {"city": "C\#($0)"}}"# }
      .joined(separator: "\n")
    #expect(Self.recover(different)?.count == TextToolCallRecovery.maximumCalls)
  }

  @Test func severalCallsInAnArrayOrInTags() throws {
    let array = #"[{"name":"get_weather","arguments":{"city":"A"}},{"name":"get_weather","arguments":{"city":"B"}}]"#
    #expect(Self.recover(array)?.count == 2)
    let tags = "<tool_call>{\"name\":\"get_weather\",\"arguments\":{\"city\":\"A\"}}</tool_call>\n"
      + "<tool_call>{\"name\":\"transfer_to_billing_agent\",\"arguments\":{}}</tool_call>"
    #expect(Self.recover(tags)?.map(\.name) == ["get_weather", "transfer_to_billing_agent"])
  }

  @Test(arguments: [
    #"{"name": "billing Agent"}"#,
    #"{"name": "Billing Agent", "arguments": {"type": "object", "properties": {"invoice": 12}}}"#,
    #"{"assistant": "Billing Agent"}"#,
    #"{"name": "transfer_to_billing_agent", "arguments": {}}"#,
    #"{"name": "transfer_to_Billing Agent"}"#,
    "transfer_to_billing_agent",
    "I will pass you on: transfer_to_billing_agent()",
  ])
  func handoffsWrittenAsText(text: String) throws {
    let calls = try #require(Self.recover(text))
    #expect(calls.map(\.name) == ["transfer_to_billing_agent"])
  }

  @Test(arguments: [
    #"{"name": "get_forecast", "arguments": {"city": "Paris"}}"#,
    #"{"name": "get_weather"}"#,
    #"{"name": "get_weather", "arguments": "not json"}"#,
    #"{"city": "Paris", "celsius": 3}"#,
    #"{"name": "Support Agent"}"#,
    "The weather is nice.",
    "transfer_to_support",
    "",
  ])
  func otherTextIsNotACall(text: String) {
    #expect(Self.recover(text) == nil)
  }

  @Test func callsInDisguiseAreSpotted() {
    #expect(TextToolCallRecovery.looksLikeACall(#"{"name": "math Tutor"}"#) == "math Tutor")
    #expect(TextToolCallRecovery.looksLikeACall("```json\n{\"name\": \"add\", \"arguments\": {\"a\": 1}}\n```") == "add")
    #expect(TextToolCallRecovery.looksLikeACall("transfer_to_math_tutor") == "transfer_to_math_tutor")
    #expect(TextToolCallRecovery.looksLikeACall(#"Use {"name": "x"} as the payload."#) == nil)
    #expect(TextToolCallRecovery.looksLikeACall(#"{"name": "Ada", "age": 36, "city": "London", "job": "maths"}"#) == nil)
    #expect(TextToolCallRecovery.looksLikeACall("The answer is 4.") == nil)
  }

  @Test func aReplyThatIsOnlyABrokenCallIsSpottedToo() {
    // Measured on Qwen2.5-Coder-0.5B, asked what `print([1, 2, 3].map { $0 * 2 })` prints.
    let broken = "```json\n" + #"{"name": "print", "arguments": "[1, 2, 3].map { $0 * 2 }"]"# + "\n```"
    #expect(TextToolCallRecovery.looksLikeACall(broken) == "print")
    #expect(TextToolCallRecovery.looksLikeACall(#"{"name": "map", "arguments": {"f": { $0 * 2}}}"#) == "map")
    // Prose around it, or JSON that is not a call, is not.
    #expect(TextToolCallRecovery.looksLikeACall("It prints this:\n" + broken) == nil)
    #expect(TextToolCallRecovery.looksLikeACall(#"{"title": "x", "body": oops}"#) == nil)
    #expect(TextToolCallRecovery.looksLikeACall(#"{"name": "Ada Lovelace", "born": 1815,}"#) == nil)
  }

  @Test func namesAreNormalised() {
    #expect(TextToolCallRecovery.normalised("Math  Tutor!") == "math_tutor")
    #expect(TextToolCallRecovery.normalised("transfer_to_Math-Tutor") == "transfer_to_math_tutor")
  }
}

@Suite struct ArgumentRepairTests {
  static let schema = JSONSchema([
    "type": "object",
    "properties": ["expression": ["type": "string"], "digits": ["type": "integer"]],
    "required": ["expression"], "additionalProperties": false,
  ])

  @Test func unknownPropertiesAreDropped() throws {
    let repair = try #require(
      ArgumentRepair.repair(
        #"{"expression": "2^10 + 5", "display_steps": true, "calculator": true}"#, schema: Self.schema))
    #expect(try JSONValue.parse(repair.arguments) == ["expression": "2^10 + 5"])
    #expect(repair.changes == ["dropped unknown properties 'display_steps', 'calculator'"])
  }

  @Test func schemaEchoesAreUnwrappedAndScalarsConverted() throws {
    let wrapped = try #require(
      ArgumentRepair.repair(#"{"type": "object", "properties": {"expression": 144}}"#, schema: Self.schema))
    #expect(try JSONValue.parse(wrapped.arguments) == ["expression": "144"])
    let digits = try #require(ArgumentRepair.repair(#"{"expression": "pi", "digits": "3"}"#, schema: Self.schema))
    #expect(try JSONValue.parse(digits.arguments) == ["expression": "pi", "digits": 3])
  }

  @Test func fittingOrHopelessArgumentsAreLeftAlone() {
    #expect(ArgumentRepair.repair(#"{"expression": "1 + 1"}"#, schema: Self.schema) == nil)
    #expect(ArgumentRepair.repair(#"{"formula": "1 + 1"}"#, schema: Self.schema) == nil)  // still lacks 'expression'
    #expect(ArgumentRepair.repair("not json", schema: Self.schema) == nil)
    let open = JSONSchema(["type": "object", "properties": ["a": ["type": "string"]]])
    #expect(ArgumentRepair.repair(#"{"a": "x", "b": 1}"#, schema: open) == nil)
  }
}

@Suite struct ModelSizeTests {
  @Test(arguments: [
    ("qwen2.5-coder-0.5b", 500_000_000), ("qwen2.5:0.5b", 500_000_000), ("llama3.2:1b", 1_000_000_000),
    ("SmolLM2-135M-Instruct", 135_000_000), ("gemma3-270m", 270_000_000), ("mixtral:8x7b", 56_000_000_000),
    ("qwen3:30b-a3b", 30_000_000_000), ("phi3:3.8b", 3_800_000_000),
  ])
  func sizesInNames(name: String, count: Int) {
    #expect(ModelSize.parameterCount(inName: name) == count)
    #expect(ChatCompletionsModel(name: name).parameterCount == count)
  }

  @Test(arguments: ["llama3.2", "gpt-4o", "qwen2.5", "mistral:latest", "b", "-m"])
  func namesWithoutSizes(name: String) {
    #expect(ModelSize.parameterCount(inName: name) == nil)
    #expect(ChatCompletionsModel(name: name).parameterCount == nil)
  }

  /// What a server reports is used only where the name states no size, so the strategy follows the model, not the
  /// spelling of its name: `llama3.2` gets the same as `llama3.2:3b`.
  @Test func aProviderUsesTheSizeTheServerReportedForANameWithoutOne() {
    var provider = OpenAICompatibleProvider()
    provider.reportedParameterCount = { name in name == "llama3.2" || name == "qwen2.5:0.5b" ? 3_212_749_888 : nil }
    #expect(provider.model(named: "llama3.2").parameterCount == 3_212_749_888)
    #expect(ToolCallingStrategy.automatic.resolved(for: provider.model(named: "llama3.2")) == .constrained)
    #expect(provider.model(named: "qwen2.5:0.5b").parameterCount == 500_000_000, "the name's size wins")
    #expect(provider.model(named: "mistral").parameterCount == nil)
    #expect(ToolCallingStrategy.automatic.resolved(for: provider.model(named: "mistral")) == .native)
    #expect(OpenAICompatibleProvider().model(named: "llama3.2").parameterCount == nil)
  }
}
