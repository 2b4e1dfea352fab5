import AgentsMCP
import AgentsTesting
import Foundation
import MCP
import Testing
import TestSupport

/// The real `mcp-server-git` from PyPI against a temporary repository, with `require_approval: unless_read_only`:
/// its read tools run at once, its writing tools wait for a person's approval.
// Serialized: each test starts a Python server, and a dozen starting at once on a loaded 2-core machine can
// outlast the 30-second start limit.
@Suite(.enabled(if: MCPTestServers.isUsable, MCPTestServers.skipReason), .serialized, .timeLimit(.minutes(2)))
struct GitServerTests {
  /// A repository with one commit, "Add the greeting", and an uncommitted change.
  func repository() throws -> TemporaryDirectory {
    let directory = try TemporaryDirectory()
    try directory.write("greeting.txt", "hello\n")
    for arguments in [
      ["init", "-q", "-b", "main"], ["add", "greeting.txt"],
      ["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "Add the greeting"],
    ] {
      let git = Process()
      git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
      git.arguments = ["-C", directory.path] + arguments
      try git.run()
      git.waitUntilExit()
    }
    try directory.write("greeting.txt", "hello, world\n")
    return directory
  }

  func gitServer(_ repository: TemporaryDirectory) -> MCPServerStdio {
    MCPServerStdio(
      name: "git",
      parameters: .init(command: MCPTestServers.program("mcp-server-git"), arguments: ["--repository", repository.path]),
      configuration: .init(requireApproval: .unlessReadOnly))
  }

  @Test func aRunReadsTheLogAndTheDiffWithTheRealServer() async throws {
    let repository = try repository()
    let git = gitServer(repository)
    try await using(git) { _ async throws in
      try await withServer { fake async throws in
        fake.enqueue(.toolCall("git_log", arguments: ["repo_path": .string(repository.path)]))
        fake.enqueue(.toolCall("git_diff_unstaged", arguments: ["repo_path": .string(repository.path)]))
        fake.enqueue(quotingToolOutput("The diff: "))
        let agent = Agent(name: "Git", model: "llama3.2", toolProviders: [git])
        let result = try await runner(for: fake).run(agent, input: "What changed?")
        #expect(result.finalOutputText.hasPrefix("The diff: "))
        #expect(result.finalOutputText.contains("+hello, world"))
        let log = fake.requests(to: "/v1/chat/completions")[1].messages.last?["content"]?.stringValue ?? ""
        #expect(log.contains("Add the greeting"))
      }
    }
  }

  @Test func writingToolsWaitForApprovalAndARejectedOneNeverReachesTheServer() async throws {
    let repository = try repository()
    let git = gitServer(repository)
    try await using(git) { _ async throws in
      try await withServer { fake async throws in
        fake.enqueue(.toolCall("git_add", arguments: ["repo_path": .string(repository.path), "files": ["greeting.txt"]]))
        fake.enqueue(.toolCall("git_status", arguments: ["repo_path": .string(repository.path)]))
        fake.enqueue(quotingToolOutput("status: "))
        let agent = Agent(name: "Git", model: "llama3.2", toolProviders: [git])
        let paused = try await runner(for: fake).run(agent, input: "Stage it.")
        #expect(paused.interruptions.map(\.toolName) == ["git_add"])
        var state = try #require(paused.state)
        state.reject(try #require(paused.interruptions.first))
        let result = try await runner(for: fake).run(state)
        let refusal = fake.requests(to: "/v1/chat/completions")[1].messages.last?["content"]?.stringValue ?? ""
        #expect(refusal.contains("git_add"))
        #expect(result.finalOutputText.contains("Changes not staged for commit"))
      }
    }
  }
}
