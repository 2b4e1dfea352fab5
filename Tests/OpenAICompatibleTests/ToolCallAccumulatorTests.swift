import OpenAICompatible
import Testing

@Suite struct ToolCallAccumulatorTests {
  func assemble(_ deltas: [ToolCallDelta]) -> [ToolCall] {
    var accumulator = ToolCallAccumulator()
    for delta in deltas { accumulator.add(delta) }
    return accumulator.toolCalls
  }

  @Test func concatenatesFragmentsByIndex() {
    let calls = assemble([
      ToolCallDelta(index: 0, id: "a", name: "f", arguments: ""),
      ToolCallDelta(index: 0, arguments: "{\"x\":"),
      ToolCallDelta(index: 1, id: "b", name: "g", arguments: "{}"),
      ToolCallDelta(index: 0, arguments: "1}"),
    ])
    #expect(calls == [ToolCall(id: "a", name: "f", arguments: "{\"x\":1}"), ToolCall(id: "b", name: "g", arguments: "{}")])
  }

  @Test func aNewIDAtAnOccupiedIndexStartsANewCall() {
    let calls = assemble([
      ToolCallDelta(index: 0, id: "a", name: "write_file", arguments: "{\"p\":1}"),
      ToolCallDelta(index: 0, id: "b", name: "write_file", arguments: "{\"p\":2}"),
      ToolCallDelta(index: 0, arguments: ""),
    ])
    #expect(calls.map(\.id) == ["a", "b"])
    #expect(calls.map(\.function.name) == ["write_file", "write_file"])
    #expect(calls.map(\.function.arguments) == ["{\"p\":1}", "{\"p\":2}"])
  }

  @Test func deltasWithoutIndexContinueTheLatestCallOrStartOneWithANewID() {
    let calls = assemble([
      ToolCallDelta(id: "a", name: "f", arguments: "{"),
      ToolCallDelta(arguments: "}"),
      ToolCallDelta(id: "b", name: "g", arguments: "{}"),
    ])
    #expect(calls.map(\.id) == ["a", "b"])
    #expect(calls[0].function.arguments == "{}")
  }

  @Test func callsWithoutIDsGetPositionalOnesAndRepeatedNamesAreNotDoubled() {
    let calls = assemble([
      ToolCallDelta(index: 0, name: "f", arguments: "{"),
      ToolCallDelta(index: 0, name: "f", arguments: "}"),
    ])
    #expect(calls == [ToolCall(id: "call_0", name: "f", arguments: "{}")])
  }
}
