@testable import Agents
import AgentsTesting
import Testing

@Suite struct ErrorHandlerTests {
  private func runner(_ configure: (inout RunErrorHandlers) -> Void) -> Runner {
    var configuration = Runner.Configuration()
    configure(&configuration.errorHandlers)
    return Runner(configuration: configuration)
  }

  /// An agent that calls the weather tool forever.
  private func loopingAgent() -> (Agent, ScriptedModel) {
    scriptedAgent(
      steps: (0..<5).map { _ in .toolCall("get_weather", arguments: ["city": "Oslo"]) }, tools: [weatherTool()])
  }

  @Test func aMaxTurnsFallbackBecomesTheFinalOutputAndIsSaved() async throws {
    let seen = Recorder()
    let runner = runner { handlers in
      handlers.maxTurns = { input in
        seen.record("\(input.kind) \(input.error.code) turns=\(input.run.turns)")
        return RunErrorFallback("I could not finish; please narrow the question.")
      }
    }
    let session = InMemorySession()
    let (agent, _) = loopingAgent()
    let result = try await runner.run(agent, input: "Weather?", maxTurns: 2, session: session)
    #expect(result.text == "I could not finish; please narrow the question.")
    #expect(result.turns == 2)
    #expect(result.newItems.last?.item == .assistant("I could not finish; please narrow the question."))
    #expect(await session.items().last == .assistant("I could not finish; please narrow the question."))
    #expect(seen.all == ["maxTurns maxTurnsExceeded turns=2"])
  }

  @Test func aFallbackKeptOutOfHistoryIsOnlyTheFinalOutput() async throws {
    let runner = runner { $0.maxTurns = { _ in RunErrorFallback("Out of turns.", includeInHistory: false) } }
    let session = InMemorySession()
    let (agent, _) = loopingAgent()
    let result = try await runner.run(agent, input: "Weather?", maxTurns: 1, session: session)
    #expect(result.text == "Out of turns.")
    #expect(result.newItems.last?.kind == .toolOutput)
    #expect(!result.history.contains(.assistant("Out of turns.")))
    #expect(await session.items().contains(.assistant("Out of turns.")) == false)
    #expect(await session.items().first == .user("Weather?"))
  }

  @Test func aDecliningHandlerLetsTheErrorThrough() async throws {
    let runner = runner { $0.maxTurns = { _ in nil } }
    let (agent, _) = loopingAgent()
    let error = await #expect(throws: AgentsError.self) { try await runner.run(agent, input: "x", maxTurns: 1) }
    #expect(error?.code == .maxTurnsExceeded)
    #expect(error?.partialRun?.turns == 1)
  }

  @Test func anInvalidFinalOutputFallbackMustHaveTheOutputType() async throws {
    let steps: [ScriptedModel.Step] = [.text("not json"), .text("still not json")]
    let good = runner { $0.invalidFinalOutput = { _ in RunErrorFallback(Forecast(city: "unknown", celsius: 0)) } }
    let (agent, _) = scriptedAgent(steps: steps, outputType: Forecast.self)
    let result = try await good.run(agent, input: "x")
    #expect(try result.finalOutput(as: Forecast.self) == Forecast(city: "unknown", celsius: 0))
    #expect(result.finalOutputText == #"{"celsius":0,"city":"unknown"}"#)

    let json = runner { $0.invalidFinalOutput = { _ in RunErrorFallback(#"{"city":"Rome","celsius":20}"#) } }
    let (second, _) = scriptedAgent(steps: steps, outputType: Forecast.self)
    #expect(try await json.run(second, input: "x").finalOutput(as: Forecast.self) == Forecast(city: "Rome", celsius: 20))

    let wrong = runner { $0.invalidFinalOutput = { _ in RunErrorFallback(42) } }
    let (third, _) = scriptedAgent(steps: steps, outputType: Forecast.self)
    let error = await #expect(throws: AgentsError.self) { try await wrong.run(third, input: "x") }
    #expect(error?.code == .userError)
    #expect(error?.message.contains("not agent 'Assistant''s output type Forecast") == true)
  }

  @Test func aRefusalCanHaveAFallback() async throws {
    let runner = runner { $0.modelRefusal = { input in RunErrorFallback("Declined: \(input.error.message)") } }
    let (agent, _) = scriptedAgent(steps: [.response(ModelResponse(refusal: "I cannot help with that."))])
    let result = try await runner.run(agent, input: "x")
    #expect(result.text == "Declined: The model refused to answer: I cannot help with that.")
  }

  @Test func fallbacksPassTheOutputGuardrails() async throws {
    let runner = runner { $0.maxTurns = { _ in RunErrorFallback("forbidden fallback") } }
    let (agent, _) = loopingAgent()
    agent.outputGuardrails = [
      OutputGuardrail(name: "no_forbidden") { _, _, output in
        GuardrailOutput(tripwireTriggered: (output as? String)?.contains("forbidden") == true)
      }
    ]
    let error = await #expect(throws: AgentsError.self) { try await runner.run(agent, input: "x", maxTurns: 1) }
    #expect(error?.code == .outputGuardrailTripped)
  }

  @Test func aTextAgentNeedsATextFallback() async throws {
    let runner = runner { $0.maxTurns = { _ in RunErrorFallback(3.5) } }
    let (agent, _) = loopingAgent()
    let error = await #expect(throws: AgentsError.self) { try await runner.run(agent, input: "x", maxTurns: 1) }
    #expect(error?.code == .userError)
    #expect(error?.message.contains("return a String") == true)
  }
}
