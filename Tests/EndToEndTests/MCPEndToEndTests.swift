import Agents
import AgentsMCP
import Foundation
import Testing
import TestSupport

/// A real model using a real MCP server: the time server's tool answers "what time is it in Tokyo?".
@Suite(
  .enabled(if: EndToEndEnvironment.isEnabled, EndToEndEnvironment.skipReason),
  .enabled(if: MCPTestServers.isUsable, MCPTestServers.skipReason), .timeLimit(.minutes(3)))
struct MCPEndToEndTests {
  /// The model must call `get_current_time` for Asia/Tokyo and get the real server's answer (the hour in Tokyo,
  /// `+09:00`); what the 0.5B model then writes is recorded, not judged (it sometimes repeats the call until the
  /// turn limit).
  @Test func theTimeServersToolAnswersWhatTimeItIsInTokyo() async throws {
    let time = MCPServerStdio(
      name: "time",
      parameters: .init(command: MCPTestServers.program("mcp-server-time"), arguments: ["--local-timezone", "Etc/UTC"]),
      configuration: .init(toolFilter: .allowing(["get_current_time"])))
    let agent = Agent(
      name: "Clock",
      instructions: .text(
        "You answer questions about the current time. Always call get_current_time with the IANA time zone of the "
          + "place asked about, then say the time it returned."),
      model: .named(EndToEndEnvironment.model), modelSettings: try ModelSettings(temperature: 0, maxTokens: 120),
      toolProviders: [time])
    let runner = Runner(
      configuration: Runner.Configuration(modelProvider: OpenAICompatibleProvider(config: try RealServer.config())))
    var outputs: [String] = []
    var answer = "(no final answer)"
    try await withMCPServers([time]) {
      do {
        for try await event in runner.runStreamed(agent, input: "What time is it in Tokyo?", maxTurns: 3) {
          switch event {
          case .toolOutput(let call, let output) where call.name == "get_current_time": outputs.append(output)
          case .finished(let result): answer = result.finalOutputText
          default: break
          }
        }
      } catch let error as AgentsError where error.code == .maxTurnsExceeded {
        answer = "(turn limit: \(error.message))"
      }
    }
    let output = try #require(outputs.first, "the model did not call get_current_time")
    #expect(output.contains("\"timezone\": \"Asia/Tokyo\""))
    #expect(output.contains("+09:00"))
    print("MCPEndToEndTests: the model answered: \(answer)")
  }
}
