import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

/// Chat's `/save FILE` through the built binary: new files are written whole, an existing file is replaced only
/// with `/save!` (or a yes at a terminal), and links, FIFOs, devices and directories are refused untouched.
@Suite(.serialized) struct SaveCommandCLITests {
  /// Runs a piped chat that answers once and then types `command`; returns stderr.
  static func chat(_ agents: AgentsBinary, _ server: FakeOllamaServer, _ command: String) async throws -> String {
    server.enqueue(.text("An answer worth keeping."))
    let output = try await agents.run(
      ["chat", "--base-url", server.openAIBaseURL, "--agent", "creative"], stdin: "hello\n\(command)\n")
    #expect(output.status == 0, "\(output.stderr)")
    return output.stderr
  }

  static func leftovers(in directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".agents-save-") }
  }

  @Test func writesNewFilesAndReplacesOnlyWithConsent() async throws {
    try await withServer { server, agents in
      let directory = agents.home.path
      let path = directory + "/chat.md"
      #expect(try await Self.chat(agents, server, "/save \(path)").isEmpty)
      let saved = try String(contentsOfFile: path, encoding: .utf8)
      #expect(saved.contains("An answer worth keeping."))

      try Data("my notes".utf8).write(to: URL(fileURLWithPath: path))
      chmod(path, 0o640)
      let refused = try await Self.chat(agents, server, "/save \(path)")
      #expect(refused.contains("already exists; nothing was written"), "\(refused)")
      #expect(refused.contains("/save! "))
      #expect(try String(contentsOfFile: path, encoding: .utf8) == "my notes")

      #expect(try await Self.chat(agents, server, "/save! \(path)").isEmpty)
      #expect(try String(contentsOfFile: path, encoding: .utf8).contains("An answer worth keeping."))
      let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
      #expect(mode == 0o640, "the replaced file's permissions were not kept")
      #expect(try Self.leftovers(in: directory).isEmpty)
    }
  }

  @Test func refusesLinksFIFOsDevicesAndDirectories() async throws {
    try await withServer { server, agents in
      let directory = agents.home.path
      let original = directory + "/original.txt"
      try Data("keep me".utf8).write(to: URL(fileURLWithPath: original))
      try FileManager.default.createSymbolicLink(atPath: directory + "/link.md", withDestinationPath: original)
      #expect(mkfifo(directory + "/fifo", 0o600) == 0)
      try FileManager.default.createDirectory(atPath: directory + "/folder", withIntermediateDirectories: false)
      var cases = [("link.md", "a symbolic link"), ("fifo", "a FIFO (named pipe)"), ("folder", "a directory")]
      // A character device like /dev/full (1, 7); only root may create one.
      if mknod(directory + "/device", S_IFCHR | 0o600, dev_t((1 << 8) | 7)) == 0 { cases.append(("device", "a device")) }

      for (name, what) in cases {
        for command in ["/save", "/save!"] {
          let stderr = try await Self.chat(agents, server, "\(command) \(directory)/\(name)")
          #expect(stderr.contains("is \(what), not a regular file; nothing was written"), "\(command) \(name): \(stderr)")
        }
      }
      let link = try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/link.md")
      #expect(link == original)
      #expect(try String(contentsOfFile: original, encoding: .utf8) == "keep me")
      #expect(try SafeFileWriter.inspect(directory + "/fifo") == .other("a FIFO (named pipe)"))
      if cases.count == 4 { #expect(try SafeFileWriter.inspect(directory + "/device") == .other("a device")) }
      #expect(try Self.leftovers(in: directory).isEmpty)
    }
  }
}
