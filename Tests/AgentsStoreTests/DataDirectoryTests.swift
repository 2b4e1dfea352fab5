import AgentsStore
import Foundation
import Testing
import TestSupport

@Suite("Data directory")
struct DataDirectoryTests {
  @Test("AGENTS_HOME wins over XDG_DATA_HOME and HOME, with ~ expanded")
  func agentsHomeWins() throws {
    let explicit = try DataDirectory.resolve(
      environment: ["AGENTS_HOME": "/srv/agents", "XDG_DATA_HOME": "/xdg", "HOME": "/home/u"])
    #expect(explicit.path == "/srv/agents")
    #expect(explicit.databasePath == "/srv/agents/agents.sqlite")
    #expect(explicit.source == .agentsHome)
    let tilde = try DataDirectory.resolve(environment: ["AGENTS_HOME": "~/agents-data", "HOME": "/home/u"])
    #expect(tilde.path == "/home/u/agents-data")
  }

  @Test("XDG_DATA_HOME is used when absolute and ignored when relative")
  func xdgDataHome() throws {
    #expect(try DataDirectory.resolve(environment: ["XDG_DATA_HOME": "/xdg", "HOME": "/home/u"]).path
      == "/xdg/ollama-agents")
    let relative = try DataDirectory.resolve(environment: ["XDG_DATA_HOME": "relative", "HOME": "/home/u"])
    #expect(relative.path == "/home/u/.local/share/ollama-agents")
    #expect(relative.source == .home)
    #expect(try DataDirectory.resolve(environment: ["XDG_DATA_HOME": "/xdg"]).source == .xdgDataHome)
  }

  @Test("HOME gives ~/.local/share/ollama-agents; empty values count as unset")
  func homeDefault() throws {
    #expect(try DataDirectory.resolve(environment: ["HOME": "/home/u", "AGENTS_HOME": ""]).path
      == "/home/u/.local/share/ollama-agents")
  }

  @Test("no variables at all is a clear error")
  func noDirectory() {
    #expect {
      try DataDirectory.resolve(environment: [:])
    } throws: { error in
      (error as? StoreError)?.code == .noDataDirectory && "\(error)".contains("AGENTS_HOME")
    }
  }

  @Test("create makes the directory private and refuses a file in its place")
  func create() throws {
    let temporary = try TemporaryDirectory()
    let directory = DataDirectory(path: temporary.file("nested/data"))
    try directory.create()
    let attributes = try FileManager.default.attributesOfItem(atPath: directory.path)
    #expect((attributes[.posixPermissions] as? Int) == 0o700)
    try directory.create()  // idempotent

    #expect(FileManager.default.createFile(atPath: temporary.file("plain"), contents: Data()))
    #expect {
      try DataDirectory(path: temporary.file("plain")).create()
    } throws: { error in
      (error as? StoreError)?.code == .cannotCreateDirectory
    }
  }
}
