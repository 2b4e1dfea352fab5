import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

/// The coding assistant's `run_code` from the `agents` binary: `agents test` refuses it unless `--approve run_code`
/// says otherwise, and records which tools it approved; `agents ask` stops before it like before any call that
/// needs approval.
@Suite(.serialized, .enabled(if: CodeRunner().interpreters[.python] != nil, "python3 is not installed"))
struct RunCodeCLITests {
  static let runSixTimesSeven = FakeOllamaServer.Reply.toolCall(
    "run_code", arguments: ["language": "python", "code": "print(6 * 7)"], id: "call_run")

  @Test func testApprovesRunCodeOnlyWhenToldAndSaysSo() async throws {
    let workspace = try TemporaryDirectory()
    let file = workspace.path + "/scenarios.yaml"
    try """
    scenarios:
      - {name: six, agent: coding, prompt: "What does this print? print(6 * 7)", checks: {contains_any: ["42"]}}
    """.write(toFile: file, atomically: true, encoding: .utf8)
    for approving in [true, false] {
      try await ApprovalCLITests.inWorkspace(replies: [Self.runSixTimesSeven, .text("It prints 42.")]) {
        workspace, server, agents in
        let output = try await ApprovalCLITests.run(
          agents, in: workspace,
          ["test", "--scenarios", file, "--json", "--results", workspace.path + "/r.json"]
            + (approving ? ["--approve", "run_code"] : []), server: server)
        #expect(output.status == 0)
        let json = try JSONValue.parse(output.lastLine)
        #expect(json["approved_tools"] == (approving ? ["run_code"] : []))
        let outputs = ApprovalCLITests.toolOutputs(server)
        if approving {
          #expect(outputs == ["exit status: 0\nstdout:\n42"])
        } else {
          #expect(outputs.count == 1)
          #expect(outputs.first?.contains("needs a person's approval, and nobody can approve it in this run") == true)
        }
        let table = try await ApprovalCLITests.run(
          agents, in: workspace, ["test", "--scenarios", file, "--approve", "run_code"], server: server)
        #expect(table.stdout.hasPrefix("approved without asking (--approve): run_code\n"))
      }
    }
  }

  @Test func askStopsBeforeRunningCodeAndShowsIt() async throws {
    try await ApprovalCLITests.inWorkspace(replies: [Self.runSixTimesSeven]) { workspace, server, agents in
      let output = try await ApprovalCLITests.run(
        agents, in: workspace, ["ask", "--agent", "coding", "What does this print? print(6 * 7)"], server: server)
      #expect(output.status == 3)
      #expect(output.stderr.contains("python code to run (no network, 10 s limit):\nprint(6 * 7)"))
      #expect(output.stderr.contains("--approve run_code"))
    }
  }
}
