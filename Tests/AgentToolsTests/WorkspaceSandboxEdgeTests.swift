import Foundation
import Testing
import TestSupport

@testable import AgentTools

/// Edge cases of the coding assistant's file tools: escapes through tricky paths and links, huge, sparse and
/// binary files, in the sandbox and through the tools the model calls.
@Suite struct WorkspaceSandboxEdgeTests {
  typealias Fixture = WorkspaceSandboxTests.Fixture

  /// What the model reads for a call: the tool's output, or the error the runner reports to it.
  func outcome(_ tool: any Tool, _ arguments: String) async -> String {
    do {
      return try await call(tool, arguments)
    } catch {
      return "\(error)"
    }
  }

  @Test func dotDotAfterALinkNeverReachesOutsideFiles() throws {
    let fixture = try Fixture()
    try fixture.outer.link("root/docs", to: "Sources/Util")
    for path in ["docs/../../secret.txt", "docs/../../../secret.txt", "Sources/Util/../../../secret.txt"] {
      let error = #expect(throws: WorkspaceError.self) { try fixture.sandbox.readFile(path) }
      #expect(error?.code == .outsideRoot || error?.code == .notFound, "\(path): \(error?.message ?? "")")
    }
  }

  @Test func oddPathsAreRefusedClearly() throws {
    let fixture = try Fixture()
    let nul = #expect(throws: WorkspaceError.self) { try fixture.sandbox.readFile("README.md\u{0}../../secret.txt") }
    #expect(nul?.code == .invalidPath || nul?.code == .notFound || nul?.code == .outsideRoot)
    for path in ["//etc/passwd", "/", "~root/.ssh/id_rsa"] {
      let error = #expect(throws: WorkspaceError.self) { try fixture.sandbox.readFile(path) }
      #expect(error?.code == .absolutePath, "\(path)")
    }
  }

  @Test func linkLoopsEndWithAnErrorInsteadOfHanging() throws {
    let fixture = try Fixture()
    try fixture.outer.link("root/loop-a", to: "loop-b")
    try fixture.outer.link("root/loop-b", to: "loop-a")
    try fixture.outer.link("root/self", to: "self")
    for path in ["loop-a", "self", "self/file.txt"] {
      #expect(throws: WorkspaceError.self, "\(path)") { try fixture.sandbox.readFile(path) }
    }
    let listing = try fixture.sandbox.listFiles(recursive: true)
    #expect(listing.entries.contains { $0.path == "loop-a" })
    _ = try fixture.sandbox.search("anything")
  }

  @Test func searchingALinkThatPointsOutIsRefused() throws {
    let fixture = try Fixture()
    try fixture.outer.link("root/leak.txt", to: fixture.outer.path + "/secret.txt")
    let error = #expect(throws: WorkspaceError.self) { try fixture.sandbox.search("secret", in: "leak.txt") }
    #expect(error?.code == .outsideRoot)
    let everywhere = try fixture.sandbox.search("top secret")
    #expect(everywhere.matches.isEmpty)
  }

  @Test func aHugeSparseFileIsRefusedBySizeWithoutBeingRead() throws {
    let fixture = try Fixture()
    let path = fixture.outer.path + "/root/huge.log"
    #expect(FileManager.default.createFile(atPath: path, contents: Data("start\n".utf8)))
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: 8 << 30)
    try handle.close()
    let error = #expect(throws: WorkspaceError.self) { try fixture.sandbox.readFile("huge.log") }
    #expect(error?.code == .fileTooLarge)
    #expect(error?.message.contains("\(8 << 30) bytes") == true)
    // Search skips it instead of reading 8 GiB.
    let result = try fixture.sandbox.search("start")
    #expect(!result.matches.contains { $0.path == "huge.log" })
  }

  @Test func searchSkipsBinaryFilesAndFindsText() throws {
    let fixture = try Fixture()
    try fixture.outer.write("root/blob.bin", bytes: Array("needle".utf8) + [0x00, 0xFF, 0xFE] + Array("needle".utf8))
    try fixture.outer.write("root/notes.txt", "a needle in text\n")
    let result = try fixture.sandbox.search("needle")
    #expect(result.matches.map(\.path) == ["notes.txt"])
  }

  @Test func theFileToolsReportEscapesToTheModelWithoutContents() async throws {
    let fixture = try Fixture()
    try fixture.outer.link("root/leak.txt", to: fixture.outer.path + "/secret.txt")
    let tools = ToolCatalog(workspaceRoot: fixture.outer.path + "/root").tools(named: ["read_file", "search_text"])
    let readFile = try #require(tools.first { $0.name == "read_file" })
    let search = try #require(tools.first { $0.name == "search_text" })
    for arguments in [#"{"path":"../secret.txt"}"#, #"{"path":"leak.txt"}"#, #"{"path":"\#(fixture.outer.path)/secret.txt"}"#] {
      let output = await outcome(readFile, arguments)
      #expect(!output.contains("top secret"), "\(arguments) leaked: \(output)")
      #expect(output.lowercased().contains("workspace"), "\(arguments): \(output)")
    }
    let found = await outcome(search, #"{"query":"top secret"}"#)
    #expect(!found.contains("secret.txt:"))
  }
}
