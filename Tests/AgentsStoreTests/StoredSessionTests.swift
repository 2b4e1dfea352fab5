import AgentsStore
import AgentsTesting
import Foundation
import Testing

@Suite("Stored session (SQLiteSession and the PostgreSQL store)")
struct StoredSessionTests {
  static let everyKind: [Item] = [
    .system("be brief"), .user("weather in Paris?"), .reasoning("need the tool"),
    .toolCall(ToolCall(id: "call_1", name: "get_weather", arguments: #"{"city":"Paris"}"#)),
    .toolOutput(ToolCallOutput(callID: "call_1", output: "Sunny")), .assistant("Sunny in Paris."),
  ]

  @Test("every item kind round-trips; limit, pop and clear follow the Python SDK")
  func sessionSemantics() async throws {
    let store = try TemporaryStore()
    let session = SQLiteSession(sessionID: "chat", database: store.database)
    try await session.addItems(Self.everyKind)
    #expect(try await session.items() == Self.everyKind)
    #expect(try await session.items(limit: 2) == Array(Self.everyKind.suffix(2)))
    #expect(try await session.popItem() == .assistant("Sunny in Paris."))
    #expect(try await session.items().count == 5)

    let sameFile = SQLiteSession(sessionID: "chat", database: try AgentsDatabase.open(at: store.database.path))
    #expect(try await sameFile.items() == Array(Self.everyKind.prefix(5)))

    try await session.clear()
    #expect(try await session.items().isEmpty)
    #expect(try await session.popItem() == nil)
    #expect(try await SessionStore(database: store.database).sessions().isEmpty)
  }

  @Test("the default limit applies when no limit is given, and an explicit limit wins", arguments: StoreBackend.available)
  func defaultLimit(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let session = StoredSession(sessionID: "chat", store: stores.sessions(), defaultLimit: 2)
      try await session.addItems([.user("1"), .assistant("2"), .user("3")])
      #expect(try await session.items() == [.assistant("2"), .user("3")])
      #expect(try await session.items(limit: 3).count == 3)
    }
  }

  @Test("a stored row that is not a conversation item is a clear error", arguments: StoreBackend.available)
  func corruptItem(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      try await stores.sessions().addItems([json(#"{"type":"hologram"}"#)], to: "chat")
      await #expect {
        try await StoredSession(sessionID: "chat", store: stores.sessions()).items()
      } throws: { error in
        (error as? StoreError)?.code == .corruptItem && "\(error)".contains("chat")
      }
    }
  }

  @Test("the runner loads history from and saves each turn to a stored session", arguments: StoreBackend.available)
  func withRunner(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let model = ScriptedModel(steps: [
        .toolCall("get_weather", arguments: ["city": "Paris"]), .text("Sunny in Paris."), .text("You asked about Paris."),
      ])
      let agent = Agent(name: "Assistant", model: .model(model), tools: [weatherTool])
      let session = StoredSession(sessionID: "chat", store: stores.sessions())

      _ = try await Runner().run(agent, input: "Weather in Paris?", session: session)
      #expect(try await session.items().count == 4)  // user, tool call, tool output, answer
      let second = try await Runner().run(agent, input: "What did I ask?", session: session)
      #expect(second.finalOutputText == "You asked about Paris.")
      #expect(model.calls[2].request.input.first == .user("Weather in Paris?"))
      #expect(model.calls[2].request.input.count == 5)
      #expect(try await session.items().last == .assistant("You asked about Paris."))
    }
  }
}

/// A tool that always reports sunny weather.
let weatherTool = FunctionTool(
  name: "get_weather", description: "Current weather in a city", parameters: JSONSchema(["type": "object"])
) { _, _ in "Sunny" }
