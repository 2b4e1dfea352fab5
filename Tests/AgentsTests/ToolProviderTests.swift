@testable import Agents
import AgentsTesting
import Synchronization
import Testing

/// A provider that offers fixed tools and counts how often it was asked.
private final class StaticProvider: ToolProvider {
  let name: String
  private let offered: [any Tool]
  private let asked = Mutex(0)
  private let failure: (any Error)?

  init(_ name: String, tools: [any Tool], failure: (any Error)? = nil) {
    self.name = name
    self.offered = tools
    self.failure = failure
  }

  var timesAsked: Int { asked.withLock { $0 } }

  func tools(for agent: Agent, context: RunContext) async throws -> [any Tool] {
    asked.withLock { $0 += 1 }
    if let failure { throw failure }
    return offered
  }
}

/// A tool named `name` that answers `answer`.
private func fixedTool(_ name: String, answer: String) -> FunctionTool {
  FunctionTool(name: name, description: "Answers \(answer)", parameters: JSONSchema(["type": "object"])) { _, _ in
    answer
  }
}

@Suite struct ToolProviderTests {
  @Test func providedToolsAreOfferedEveryTurnAndRun() async throws {
    let provider = StaticProvider("clock", tools: [fixedTool("now", answer: "12:00")])
    let model = ScriptedModel(steps: [.toolCall("now", arguments: [:]), .text("It is noon.")])
    let agent = Agent(name: "A", model: .model(model), tools: [weatherTool()], toolProviders: [provider])
    let result = try await Runner().run(agent, input: "time?")
    #expect(result.text == "It is noon.")
    #expect(model.calls[0].request.tools.map(\.name) == ["get_weather", "now"])
    #expect(model.calls[1].request.toolOutputs == ["12:00"])
    #expect(provider.timesAsked == 2)
  }

  @Test func clashingNamesArePrefixedOnEveryProviderAndOwnToolsKeepTheirs() async throws {
    let first = StaticProvider("Time Server", tools: [fixedTool("lookup", answer: "from time"), fixedTool("get_weather", answer: "x")])
    let second = StaticProvider("git", tools: [fixedTool("lookup", answer: "from git"), fixedTool("log", answer: "commits")])
    let model = ScriptedModel(steps: [.toolCall("git_lookup", arguments: [:]), .text("done")])
    let agent = Agent(name: "A", model: .model(model), tools: [weatherTool()], toolProviders: [first, second])
    _ = try await Runner().run(agent, input: "x")
    #expect(
      model.calls[0].request.tools.map(\.name)
        == ["get_weather", "time_server_lookup", "time_server_get_weather", "git_lookup", "log"])
    #expect(model.calls[1].request.toolOutputs == ["from git"])
  }

  @Test func aPrefixedNameThatIsStillTakenGetsACounter() {
    let listings: [(provider: String, tools: [any Tool])] = [
      ("a", [fixedTool("x", answer: "1")]), ("a", [fixedTool("x", answer: "2")]),
    ]
    let names = ProvidedToolNames.resolve(listings, reserved: []).map(\.name)
    #expect(names == ["a_x", "a_x_2"])
  }

  @Test func prefixedNamesAreCutToSixtyFourCharacters() {
    let long = String(repeating: "n", count: 60)
    let listings: [(provider: String, tools: [any Tool])] = [("server", [fixedTool(long, answer: "1")])]
    let names = ProvidedToolNames.resolve(listings, reserved: [long]).map(\.name)
    #expect(names == [String(("server_" + long).prefix(64))])
  }

  @Test func aProviderThatFailsFailsTheRunWithItsError() async throws {
    let provider = StaticProvider("broken", tools: [], failure: ToolBroke())
    let model = ScriptedModel(steps: [.text("never")])
    let agent = Agent(name: "A", model: .model(model), toolProviders: [provider])
    await #expect(throws: ToolBroke.self) { try await Runner().run(agent, input: "x") }
    #expect(model.calls.isEmpty)
  }
}
