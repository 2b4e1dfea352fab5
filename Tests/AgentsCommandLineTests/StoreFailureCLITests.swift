import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

/// A session the user asked for is never silently lost: when the data directory's store cannot be written,
/// `ask --session` and `chat --session` refuse before any model call with exit 73 and the real cause, `stats`
/// names it, and a chat without `--session` warns that it is not saved. Each broken store is real: a data
/// directory that is a file, an `agents.sqlite` that is a directory or random bytes, and (where this process
/// may create a mount namespace, as root in CI) a read-only file system and a full disk.
@Suite(.serialized) struct StoreFailureCLITests {
  /// Whether `unshare -m` works here (root, or a user namespace): needed for the read-only and full-disk cases.
  static let canMount: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
    process.arguments = ["-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
  }()

  /// Asks with a session and checks the refusal: exit 73, the cause on stderr, no model request (beyond the one
  /// a launcher's setup makes), then the same cause from `stats`.
  static func expectRefused(
    _ agents: AgentsBinary, _ server: FakeOllamaServer, cause: String, launcher: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws {
    let setupRequests = launcher.isEmpty ? 0 : 1
    server.clearRecordedRequests()
    let ask = ["ask", "--base-url", server.openAIBaseURL, "--session", "s", "remember this"]
    let asked = launcher.isEmpty ? try await agents.run(ask) : try await agents.run(ask, launcher: launcher)
    #expect(asked.status == 73, "\(asked.stderr)", sourceLocation: sourceLocation)
    #expect(asked.stderr.contains("session 's' cannot be saved"), "\(asked.stderr)", sourceLocation: sourceLocation)
    #expect(asked.stderr.contains(cause), "\(asked.stderr)", sourceLocation: sourceLocation)
    #expect(asked.stdout.isEmpty, sourceLocation: sourceLocation)
    #expect(
      server.requests(to: "/v1/chat/completions").count == setupRequests, "the model was called",
      sourceLocation: sourceLocation)

    server.clearRecordedRequests()
    let chat = ["chat", "--base-url", server.openAIBaseURL, "--session", "s"]
    let chatted = launcher.isEmpty
      ? try await agents.run(chat, stdin: "hello\n") : try await agents.run(chat, launcher: launcher, stdin: "hello\n")
    #expect(chatted.status == 73, "\(chatted.stderr)", sourceLocation: sourceLocation)
    #expect(chatted.stderr.contains(cause), "\(chatted.stderr)", sourceLocation: sourceLocation)
    #expect(
      server.requests(to: "/v1/chat/completions").count == setupRequests, "the model was called",
      sourceLocation: sourceLocation)

    let stats = launcher.isEmpty ? try await agents.run(["stats"]) : try await agents.run(["stats"], launcher: launcher)
    #expect(stats.status == 73 || stats.status == 0, "\(stats.stderr)", sourceLocation: sourceLocation)
    #expect(stats.stderr.contains(cause), "stats does not name the cause: \(stats.stderr)", sourceLocation: sourceLocation)
  }

  @Test func aDataDirectoryThatIsAFile() async throws {
    try await withServer { server, agents in
      try Data("not a directory".utf8).write(to: URL(fileURLWithPath: agents.home.path + "/data"))
      try await Self.expectRefused(agents, server, cause: "exists but is a file")
    }
  }

  @Test func aDatabaseThatIsADirectory() async throws {
    try await withServer { server, agents in
      try FileManager.default.createDirectory(
        atPath: agents.home.path + "/data/agents.sqlite", withIntermediateDirectories: true)
      try await Self.expectRefused(agents, server, cause: "is a directory, not a database")
    }
  }

  @Test func aDatabaseOfRandomBytes() async throws {
    try await withServer { server, agents in
      try FileManager.default.createDirectory(atPath: agents.home.path + "/data", withIntermediateDirectories: true)
      var generator = SystemRandomNumberGenerator()
      let bytes = (0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }
      try Data(bytes).write(to: URL(fileURLWithPath: agents.home.path + "/data/agents.sqlite"))
      try await Self.expectRefused(agents, server, cause: "is not a readable SQLite database")
    }
  }

  /// A launcher that mounts a small tmpfs as the data directory in a private mount namespace, makes one
  /// successful `ask --session s` there (so the store exists and works), runs `breakage`, then runs the binary.
  static func brokenMountLauncher(_ agents: AgentsBinary, _ server: FakeOllamaServer, breakage: String) throws
    -> [String]
  {
    let data = agents.home.path + "/data"
    try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
    server.setDefaultReply { _ in .text("first answer") }
    let script = """
      set -e
      mount -t tmpfs -o size=4m tmpfs '\(data)'
      "$0" ask --base-url '\(server.openAIBaseURL)' --session s first > /dev/null
      \(breakage.replacing("DATA", with: "'\(data)'"))
      exec "$0" "$@"
      """
    return ["/usr/bin/unshare", "-m", "sh", "-c", script]
  }

  /// A store that worked, on a file system remounted read-only.
  @Test(.enabled(if: canMount, "needs `unshare -m` (root or user namespaces)"))
  func aReadOnlyFileSystem() async throws {
    try await withServer { server, agents in
      let launcher = try Self.brokenMountLauncher(agents, server, breakage: "mount -o remount,ro DATA")
      try await Self.expectRefused(agents, server, cause: "read-only", launcher: launcher)
    }
  }

  /// A store that worked, then the disk filled up.
  @Test(.enabled(if: canMount, "needs `unshare -m` (root or user namespaces)"))
  func aFullDisk() async throws {
    try await withServer { server, agents in
      let launcher = try Self.brokenMountLauncher(
        agents, server, breakage: "dd if=/dev/zero of=DATA/filler bs=4096 2> /dev/null || true")
      try await Self.expectRefused(agents, server, cause: "is full", launcher: launcher)
    }
  }

  /// Without `--session` nothing was asked to be kept: the answer comes, and a chat says it is not saved.
  @Test func withoutASessionTheAnswerComesAndChatWarns() async throws {
    try await withServer { server, agents in
      try Data("not a directory".utf8).write(to: URL(fileURLWithPath: agents.home.path + "/data"))
      server.enqueue(.text("The answer."), .text("Hi."))
      let asked = try await agents.run(["ask", "--base-url", server.openAIBaseURL, "question"])
      #expect(asked.status == 0, "\(asked.stderr)")
      #expect(asked.stdout == "The answer.\n")
      let chatted = try await agents.run(["chat", "--base-url", server.openAIBaseURL], stdin: "hello\n")
      #expect(chatted.status == 0, "\(chatted.stderr)")
      #expect(chatted.stdout == "Hi.\n")
      #expect(chatted.stderr.contains("this conversation is not saved"))
      #expect(chatted.stderr.contains("exists but is a file"))
    }
  }
}
