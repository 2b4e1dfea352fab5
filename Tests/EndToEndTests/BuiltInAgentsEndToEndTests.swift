import Agents
import AgentsApp
import Foundation
import Testing

/// The built-in agents doing their jobs on the real small model (issue 11): the math tutor computes with its
/// calculator and reports the tool's result, and triage hands each request to the right specialist.
///
/// Sampling is fixed (temperature 0, seed 42, at most 256 answer tokens, laid over every agent's settings) so the runs are repeatable;
/// the agents are the built-in definitions the CLI uses, through ``AgentFactory``.
@Suite(
  .enabled(if: EndToEndEnvironment.isEnabled, EndToEndEnvironment.skipReason), .serialized,
  .timeLimit(.minutes(5)))
struct BuiltInAgentsEndToEndTests {
  func runner() throws -> Runner {
    var settings = ModelSettings()
    settings.temperature = 0
    settings.seed = 42
    // Bounded answers: these runs are not streamed, so a long poem on a slow CPU would outlast the first-byte timeout.
    settings.maxTokens = 256
    return Runner(
      configuration: Runner.Configuration(
        modelProvider: OpenAICompatibleProvider(config: try RealServer.config()), modelSettings: settings,
        repetitionDetection: RepetitionDetector.Configuration()))
  }

  /// The outputs of the run's calls to `tool`, in order.
  func outputs(of tool: String, in result: RunResult) -> [String] {
    let ids = Set(result.newItems.compactMap { item -> String? in
      guard item.kind == .toolCall, case .toolCall(let call) = item.item, call.name == tool else { return nil }
      return call.id
    })
    return result.newItems.compactMap { item in
      guard item.kind == .toolOutput, case .toolOutput(let output) = item.item, ids.contains(output.callID) else {
        return nil
      }
      return output.output
    }
  }

  @Test func mathTutorCallsTheCalculatorAndAnswersWithItsResult() async throws {
    let tutor = AgentFactory.createMathTutor(model: EndToEndEnvironment.model)
    let result = try await runner().run(tutor, input: "What is 23 * 47?")
    #expect(result.toolCallNames.contains("calculator"), "\(result.newItems)")
    let outputs = outputs(of: "calculator", in: result)
    #expect(outputs.contains { $0.contains("1081") }, "calculator outputs: \(outputs)")
    #expect(result.finalOutputText.contains("1081"), "answer: \(result.finalOutputText)")
    #expect(result.truncation == nil)
  }

  // The requests of `agents test`'s triage scenarios, whose routing is measured (docs/small-models.md). Routing is
  // decoded at temperature 0, so a request the model misroutes misroutes every time: "Write a short poem about
  // the moon." goes to the Math Tutor on Qwen2.5-Coder-0.5B.
  @Test(arguments: [
    ("What is 12 * 12?", "Math Tutor"),
    ("Write a JavaScript function that adds two numbers.", "Coding Assistant"),
    ("Write a short poem about autumn.", "Creative Writer"),
  ])
  func triageHandsOffToTheRightSpecialist(request: String, specialist: String) async throws {
    let triage = AgentFactory.createTriageAgent(model: EndToEndEnvironment.model)
    let result = try await runner().run(triage, input: request, maxTurns: 6)
    #expect(result.lastAgent.name == specialist, "answered by \(result.lastAgent.name): \(result.finalOutputText)")
    #expect(result.newItems.contains { $0.kind == .handoffCall }, "\(result.newItems)")
    #expect(!result.finalOutputText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
  }
}
