@testable import Agents
import Foundation
import AgentsTesting
import Testing

@Suite struct SessionTests {
  @Test func inMemorySessionFollowsThePythonSemantics() async throws {
    let session = InMemorySession(sessionID: "s1")
    await session.addItems([.user("1"), .assistant("2"), .user("3")])
    #expect(await session.items(limit: nil) == [.user("1"), .assistant("2"), .user("3")])
    #expect(await session.items(limit: 2) == [.assistant("2"), .user("3")])
    #expect(await session.items(limit: 0) == [])
    #expect(await session.popItem() == .user("3"))
    #expect(await session.items(limit: nil) == [.user("1"), .assistant("2")])
    await session.clear()
    #expect(await session.items(limit: nil) == [])
    #expect(await session.popItem() == nil)
    #expect(session.sessionID == "s1")
  }

  @Test func runsLoadHistoryAndSaveTheirItems() async throws {
    let session = InMemorySession(items: [.user("My name is Ada."), .assistant("Hello Ada.")])
    let (agent, model) = scriptedAgent(steps: [.toolCall("get_weather", arguments: ["city": "Oslo"], id: "c"), .text("Ada, it is sunny.")],
      tools: [weatherTool()])
    let result = try await Runner().run(agent, input: "Weather?", session: session)
    #expect(model.calls[0].request.input == [.user("My name is Ada."), .assistant("Hello Ada."), .user("Weather?")])
    #expect(result.input.count == 3)
    #expect(await session.items(limit: nil) == result.history)
    #expect(await session.items(limit: nil).count == 6)
  }
}

@Suite struct ItemTests {
  @Test func itemsRoundTripThroughJSON() throws {
    let items: [Item] = [
      .user("hi"), .system("be kind"), .assistant("hello"), .reasoning("hmm"),
      .toolCall(ToolCall(id: "c1", name: "f", arguments: #"{"a":1}"#)),
      .toolOutput(ToolCallOutput(callID: "c1", output: "done")),
    ]
    let encoded = try JSONValue.parse(String(decoding: try JSONEncoder().encode(items), as: UTF8.self))
    #expect(encoded[0] == ["type": "message", "role": "user", "content": "hi"])
    #expect(encoded.arrayValue?[4] == ["type": "function_call", "call_id": "c1", "name": "f", "arguments": #"{"a":1}"#])
    #expect(encoded.arrayValue?[5] == ["type": "function_call_output", "call_id": "c1", "output": "done"])
    #expect(try JSONDecoder().decode([Item].self, from: try JSONEncoder().encode(items)) == items)
    let runItem = RunItem(kind: .handoffCall, item: items[4], agentName: "Triage")
    #expect(try JSONDecoder().decode(RunItem.self, from: try JSONEncoder().encode(runItem)) == runItem)
  }
}

extension JSONValue {
  fileprivate subscript(index: Int) -> JSONValue? { arrayValue?[index] }
}
