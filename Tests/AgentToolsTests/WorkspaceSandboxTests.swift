import Foundation
import Testing
import TestSupport

@testable import AgentTools

@Suite struct WorkspaceSandboxTests {
  /// A workspace `root/` next to a `secret.txt` that must stay unreachable.
  struct Fixture {
    let outer: TemporaryDirectory
    let sandbox: WorkspaceSandbox

    init(configuration: WorkspaceSandbox.Configuration = .init()) throws {
      outer = try TemporaryDirectory()
      try outer.write("secret.txt", "top secret\n")
      try outer.write("root/README.md", "# Demo\nHello world\n")
      try outer.write("root/Sources/main.swift", "let greeting = \"hello\"\nprint(greeting)\n")
      try outer.write("root/Sources/Util/Helpers.swift", "func helper() {}\n// HELLO again\n")
      try outer.write("root/.build/debug/cache.txt", "hello from build output\n")
      sandbox = try WorkspaceSandbox(root: outer.path + "/root", configuration: configuration)
    }
  }

  @Test func refusesParentDirectoryEscapes() throws {
    let fixture = try Fixture()
    for path in ["../secret.txt", "Sources/../../secret.txt", "./../root/../secret.txt", "..", "../missing.txt"] {
      let error = #expect(throws: WorkspaceError.self) { try fixture.sandbox.readFile(path) }
      #expect(error?.code == .outsideRoot, "\(path)")
    }
    // `..` that stays inside the root is fine.
    #expect(try fixture.sandbox.readFile("Sources/../README.md").path == "README.md")
  }

  @Test func refusesAbsolutePaths() throws {
    let fixture = try Fixture()
    for path in [fixture.outer.path + "/secret.txt", "/etc/passwd", "~/secret.txt"] {
      let error = #expect(throws: WorkspaceError.self) { try fixture.sandbox.readFile(path) }
      #expect(error?.code == .absolutePath)
      #expect(error?.message.contains("relative to the workspace root") == true)
    }
  }

  @Test func refusesSymbolicLinksOutOfTheRoot() throws {
    let fixture = try Fixture()
    try fixture.outer.link("root/leak.txt", to: fixture.outer.path + "/secret.txt")
    try fixture.outer.link("root/updir", to: "..")
    try fixture.outer.link("root/Sources/etc", to: "/etc")
    for path in ["leak.txt", "updir/secret.txt", "Sources/etc/passwd", "Sources/etc/no-such-file", "updir", "updir/missing"] {
      let error = #expect(throws: WorkspaceError.self) { try fixture.sandbox.readFile(path) }
      #expect(error?.code == .outsideRoot, "\(path)")
    }
    let listing = #expect(throws: WorkspaceError.self) { try fixture.sandbox.listFiles("updir") }
    #expect(listing?.code == .outsideRoot)
    let search = #expect(throws: WorkspaceError.self) { try fixture.sandbox.search("secret", in: "updir") }
    #expect(search?.code == .outsideRoot)
  }

  @Test func followsSymbolicLinksThatStayInside() throws {
    let fixture = try Fixture()
    try fixture.outer.link("root/docs", to: "Sources/Util")
    let file = try fixture.sandbox.readFile("docs/Helpers.swift")
    #expect(file.path == "Sources/Util/Helpers.swift")
    #expect(file.lines == ["func helper() {}", "// HELLO again"])
  }

  @Test func walksNeverFollowLinksOut() throws {
    let fixture = try Fixture()
    try fixture.outer.link("root/updir", to: "..")
    let listing = try fixture.sandbox.listFiles(recursive: true)
    #expect(listing.entries.contains(WorkspaceEntry(path: "updir", kind: .symbolicLink)))
    #expect(!listing.entries.contains { $0.path.contains("secret") })
    let result = try fixture.sandbox.search("top secret")
    #expect(result.matches.isEmpty)
  }

  @Test func listsDirectories() throws {
    let fixture = try Fixture()
    let top = try fixture.sandbox.listFiles()
    #expect(top.entries.map(\.path) == [".build", "README.md", "Sources"])
    #expect(top.entries[1] == WorkspaceEntry(path: "README.md", kind: .file, size: 19))
    let all = try fixture.sandbox.listFiles("Sources", recursive: true)
    #expect(all.entries.map(\.path) == ["Sources/Util", "Sources/Util/Helpers.swift", "Sources/main.swift"])
    let recursiveRoot = try fixture.sandbox.listFiles(recursive: true)
    #expect(recursiveRoot.entries.contains { $0.path == ".build" })
    #expect(!recursiveRoot.entries.contains { $0.path.hasPrefix(".build/") })
    let notDirectory = #expect(throws: WorkspaceError.self) { try fixture.sandbox.listFiles("README.md") }
    #expect(notDirectory?.code == .notADirectory)
  }

  @Test func limitsListings() throws {
    let fixture = try Fixture(configuration: .init(maximumListEntries: 2))
    let listing = try fixture.sandbox.listFiles(recursive: true)
    #expect(listing.entries.count == 2)
    #expect(listing.truncated)
  }

  @Test func readsLineRanges() throws {
    let fixture = try Fixture()
    try fixture.outer.write("root/lines.txt", "one\r\ntwo\nthree\nfour")
    let middle = try fixture.sandbox.readFile("lines.txt", startLine: 2, endLine: 3)
    #expect(middle.lines == ["two", "three"])
    #expect(middle.firstLine == 2)
    #expect(middle.totalLines == 4)
    #expect(try fixture.sandbox.readFile("lines.txt", startLine: 3, endLine: 99).lines == ["three", "four"])
    let inverted = #expect(throws: WorkspaceError.self) { try fixture.sandbox.readFile("lines.txt", startLine: 3, endLine: 2) }
    #expect(inverted?.code == .invalidArgument)
    let past = #expect(throws: WorkspaceError.self) { try fixture.sandbox.readFile("lines.txt", startLine: 9) }
    #expect(past?.code == .invalidArgument)
  }

  @Test func refusesLargeBinaryAndSpecialFiles() throws {
    let fixture = try Fixture(configuration: .init(maximumFileBytes: 64))
    try fixture.outer.write("root/big.txt", String(repeating: "a", count: 65))
    try fixture.outer.write("root/image.png", bytes: [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01])
    try fixture.outer.write("root/latin1.txt", bytes: [0x63, 0x61, 0x66, 0xE9])
    let big = #expect(throws: WorkspaceError.self) { try fixture.sandbox.readFile("big.txt") }
    #expect(big?.code == .fileTooLarge)
    #expect(big?.message.contains("65 bytes") == true)
    for path in ["image.png", "latin1.txt"] {
      let binary = #expect(throws: WorkspaceError.self) { try fixture.sandbox.readFile(path) }
      #expect(binary?.code == .binaryFile)
    }
    let directory = #expect(throws: WorkspaceError.self) { try fixture.sandbox.readFile("Sources") }
    #expect(directory?.code == .notAFile)
    let missing = #expect(throws: WorkspaceError.self) { try fixture.sandbox.readFile("nope.txt") }
    #expect(missing?.code == .notFound)
    let empty = #expect(throws: WorkspaceError.self) { try fixture.sandbox.readFile("  ") }
    #expect(empty?.code == .invalidPath)
  }

  @Test func searchesCaseInsensitivelyAndSkipsBuildOutput() throws {
    let fixture = try Fixture()
    let result = try fixture.sandbox.search("hello")
    #expect(
      result.matches == [
        WorkspaceSearchMatch(path: "README.md", line: 2, text: "Hello world"),
        WorkspaceSearchMatch(path: "Sources/Util/Helpers.swift", line: 2, text: "// HELLO again"),
        WorkspaceSearchMatch(path: "Sources/main.swift", line: 1, text: "let greeting = \"hello\""),
      ])
    #expect(!result.truncated)
    let exact = try fixture.sandbox.search("HELLO", caseSensitive: true)
    #expect(exact.matches.map(\.path) == ["Sources/Util/Helpers.swift"])
    let oneFile = try fixture.sandbox.search("greeting", in: "Sources/main.swift")
    #expect(oneFile.matches.map(\.line) == [1, 2])
    let empty = #expect(throws: WorkspaceError.self) { try fixture.sandbox.search("") }
    #expect(empty?.code == .invalidArgument)
  }

  @Test func limitsSearchResults() throws {
    let fixture = try Fixture(configuration: .init(maximumSearchResults: 2))
    let result = try fixture.sandbox.search("e")
    #expect(result.matches.count == 2)
    #expect(result.truncated)
  }

  @Test func rejectsAMissingRoot() {
    let error = #expect(throws: WorkspaceError.self) { try WorkspaceSandbox(root: "/definitely/not/here") }
    #expect(error?.code == .rootUnavailable)
  }
}
