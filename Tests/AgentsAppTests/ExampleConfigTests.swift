import Foundation
import Testing

@testable import AgentsApp

/// The sample configuration the README points people at stays valid.
@Suite struct ExampleConfigTests {
  @Test func theSampleAgentsFileLoadsWithEveryAgentUsable() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let file = try AgentsConfigLoader.load(path: root.appendingPathComponent("Examples/agents.yaml").path)
    #expect(file.agents.map(\.id) == ["reviewer", "editor", "desk"])
    #expect(file.defaults.model == "llama3.2")
    let catalog = AgentCatalog(configFile: file)
    let factory = AgentFactory(catalog: catalog)
    let desk = try factory.makeAgent(id: "desk")
    #expect(desk.handoffs.count == 3)
    #expect(
      try factory.makeAgent(id: "reviewer").tools.map(\.name).sorted() == ["list_files", "read_file", "search_text"])
  }
}
