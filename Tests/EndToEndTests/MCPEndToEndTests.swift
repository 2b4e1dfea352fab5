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
  @Test func theTimeServersToolAnswersWhatTimeItIsInTokyo() async throws {
    let time = MCPServerStdio(
      name: "time",
      parameters: .init(command: MCPTestServers.program("mcp-server-time"), arguments: ["--local-timezone", "Etc/UTC"]))
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
    var answer = ""
    try await withMCPServers([time]) {
      for try await event in runner.runStreamed(agent, input: "What time is it in Tokyo?", maxTurns: 4) {
        switch event {
        case .toolOutput(let call, let output) where call.name == "get_current_time": outputs.append(output)
        case .finished(let result): answer = result.finalOutputText
        default: break
        }
      }
    }
    let output = try #require(outputs.first, "the model did not call get_current_time")
    #expect(output.contains("Asia/Tokyo"))
    // The tool's datetime is "YYYY-MM-DDTHH:MM:SS+09:00"; the answer gives its hour and minute.
    let clock = try #require(output.firstMatch(of: /T(\d\d):(\d\d)/))
    let hour = Int(clock.1)!, minute = String(clock.2)
    let hours = ["\(hour)", String(format: "%02d", hour), "\(hour % 12 == 0 ? 12 : hour % 12)"]
    #expect(hours.contains { answer.contains("\($0):\(minute)") }, "answer: \(answer)")
  }
}
