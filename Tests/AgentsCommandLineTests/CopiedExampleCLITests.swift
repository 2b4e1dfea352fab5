import AgentsTesting
import Foundation
import Testing
import TestSupport

/// Session 11's transcript through the `agents` binary and the built-in agents, against the fake server: a small
/// model that copies the math tutor's example call instead of the user's numbers.
@Suite(.serialized) struct CopiedExampleCLITests {
  /// `triage> What is 12% of 850?` went to the math tutor, whose model called the calculator with its instructions'
  /// example `(12.5 * 4) / 3` without the parentheses and answered "approximately 16.67". The copy is asked again
  /// without the examples, and the user's own numbers reach the calculator.
  @Test func theTutorsExampleIsNotCalculatedForTheUsersQuestion() async throws {
    try await withServer { server, agents in
      let copied =
        #"{"question": "What is 12% of 850?", "name": "calculator", "arguments": {"expression": "12.5 * 4 / 3"}}"#
      server.setDefaultReply { request in
        let messages = request.json?["messages"]?.arrayValue ?? []
        let system = messages.first { $0["role"] == "system" }?["content"]?.stringValue ?? ""
        switch request.json?["response_format"]?["json_schema"]?["name"]?.stringValue {
        case "route"?: return .text(#"{"topic": "Math Tutor"}"#)
        case "tool_call"?: return .text(copied)
        // Like the real model: it copies the example for as long as it sees one.
        case "tool_call_plain"?:
          return .text(
            system.contains("12.5") ? copied : #"{"name": "calculator", "arguments": {"expression": "12% of 850"}}"#)
        default:
          let result = messages.last { $0["role"] == "tool" }?["content"]?.stringValue ?? "no result"
          return .text("The calculator says: \(result)")
        }
      }
      let output = try await agents.run([
        "ask", "--agent", "triage", "--json", "--tool-calling", "constrained", "--base-url", server.openAIBaseURL,
        "--provider", "openai", "--model", "llama3.2", "What is 12% of 850?",
      ])
      #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
      let json = try JSONValue.parse(output.lastLine)
      #expect(json["final_output"] == "The calculator says: 12% of 850 = 102", "\(output.stdout)")
      #expect(json["agent"] == "math")
      let plain = server.requests(to: "/v1/chat/completions").first {
        $0.json?["response_format"]?["json_schema"]?["name"] == "tool_call_plain"
      }
      let system = plain?.json?["messages"]?.arrayValue?.first?["content"]?.stringValue ?? ""
      #expect(system.hasPrefix("You are a math tutor.") && !system.contains("for example"), "\(system)")
    }
  }
}
