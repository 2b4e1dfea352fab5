@testable import Agents
import AgentsTesting
import Testing

/// The input-size limit and the validation of every model setting.
@Suite struct InputLimitTests {
  @Test func anInputOverTheLimitFailsBeforeAnyRequestSayingSizeLimitAndFix() async throws {
    let (agent, model) = scriptedAgent(steps: [.text("never")])
    let runner = Runner(configuration: .init(maxInputCharacters: 10))
    let error = await #expect(throws: AgentsError.self) { try await runner.run(agent, input: "eleven chars") }
    #expect(error?.code == .inputTooLarge)
    #expect(error?.message.contains("12 characters") == true)
    #expect(error?.message.contains("limit of 10") == true)
    #expect(error?.message.contains("maxInputCharacters") == true)
    #expect(model.calls.isEmpty)
  }

  @Test func anInputAtTheLimitRunsAndTheDefaultLimitIsGenerous() async throws {
    let (agent, _) = scriptedAgent(steps: [.text("ok"), .text("ok")])
    let runner = Runner(configuration: .init(maxInputCharacters: 10))
    _ = try await runner.run(agent, input: "ten chars!")
    #expect(Runner.Configuration().maxInputCharacters == Runner.defaultMaxInputCharacters)
    _ = try await Runner().run(agent, input: String(repeating: "a", count: 50_000))
  }

  @Test func onlyTheNewInputCounts() async throws {
    let (agent, _) = scriptedAgent(steps: [.text("ok")])
    let session = InMemorySession()
    try await session.addItems([.user(String(repeating: "old ", count: 100))])
    let runner = Runner(configuration: .init(maxInputCharacters: 20))
    let result = try await runner.run(agent, input: "short", session: session)
    #expect(result.finalOutputText == "ok")
  }

  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var settings: @Sendable () throws -> ModelSettings
    var expected: [String]
    var testDescription: String { name }
  }

  static let invalid: [Case] = [
    Case(name: "temperature", settings: { try ModelSettings(temperature: 2.5) }, expected: ["temperature is 2.5", "between 0.0 and 2.0"]),
    Case(name: "temperature NaN", settings: { try ModelSettings(temperature: .nan) }, expected: ["temperature is nan"]),
    Case(name: "topP", settings: { try ModelSettings(topP: -0.1) }, expected: ["topP is -0.1", "between 0.0 and 1.0"]),
    Case(name: "maxTokens", settings: { try ModelSettings(maxTokens: 0) }, expected: ["maxTokens is 0", "between 1 and 1000000"]),
    Case(name: "seed", settings: { try ModelSettings(seed: -5) }, expected: ["seed is -5", "between 0 and 4294967295"]),
    Case(name: "frequencyPenalty", settings: { try ModelSettings(frequencyPenalty: 3) }, expected: ["frequencyPenalty is 3.0", "-2.0 and 2.0"]),
    Case(name: "presencePenalty", settings: { try ModelSettings(presencePenalty: -2.5) }, expected: ["presencePenalty is -2.5"]),
    Case(name: "empty stop", settings: { try ModelSettings(stop: ["END", ""]) }, expected: ["empty sequence at position 2"]),
    Case(name: "too many stops", settings: { try ModelSettings(stop: (0..<17).map { "s\($0)" }) }, expected: ["17 sequences", "at most 16"]),
    Case(name: "empty effort", settings: { try ModelSettings(reasoningEffort: "") }, expected: ["reasoningEffort is empty"]),
  ]

  @Test(arguments: invalid) func everyInvalidSettingIsNamedWithItsValueAndRange(_ testCase: Case) {
    let error = #expect(throws: AgentsError.self) { _ = try testCase.settings() }
    #expect(error?.code == .userError)
    for fragment in testCase.expected {
      #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "") lacks \(fragment)")
    }
  }

  @Test func aSettingChangedAfterConstructionIsCaughtBeforeTheRequest() async throws {
    let (agent, model) = scriptedAgent(steps: [.text("never")])
    agent.modelSettings.seed = -1
    let error = await #expect(throws: AgentsError.self) { try await Runner().run(agent, input: "hi") }
    #expect(error?.message.contains("seed is -1") == true)
    #expect(model.calls.isEmpty)
  }

  @Test func validSettingsAtTheEdgesPass() throws {
    _ = try ModelSettings(
      temperature: 0, topP: 1, maxTokens: 1, seed: 4_294_967_295, stop: ["\n\n"], frequencyPenalty: -2,
      presencePenalty: 2)
  }
}
