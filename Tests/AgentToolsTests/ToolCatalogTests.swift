import Foundation
import Testing
import TestSupport

@testable import AgentTools

/// Calls `tool` directly with JSON arguments, as the runner would.
func call(_ tool: any Tool, _ arguments: String) async throws -> String {
  let context = ToolContext(
    run: RunContext(), agent: Agent(name: "caller"), call: ToolCall(id: "call_1", name: tool.name, arguments: arguments),
    runner: Runner())
  return try await tool.call(arguments: arguments, context: context)
}

/// The catalogue's tools as the model calls them: arguments in, text out, failures explained.
@Suite struct ToolCatalogTests {
  @Test func calculatorToolEvaluatesAndExplainsErrors() async throws {
    let tool = ToolCatalog(workspaceRoot: ".").tool(.calculator)
    #expect(try await call(tool, #"{"expression":"(12.5 * 4) / 3"}"#) == "(12.5 * 4) / 3 = 16.6666666667")
    #expect(try await call(tool, #"{"expression":"2^10 % 1000"}"#) == "2^10 % 1000 = 24")
    let error = try await call(tool, #"{"expression":"1/0"}"#)
    #expect(error == "Error: error at position 2: division by zero. Fix the expression and call the calculator again.")
    await #expect(throws: ToolArgumentsError.self) { try await call(tool, #"{"expr":"1+1"}"#) }
    let schema = tool.definition.parameters.value
    #expect(schema["required"] == ["expression"])
    #expect(schema["properties"]?["expression"]?["type"] == "string")
  }

  @Test func workspaceToolsStayInTheWorkspace() async throws {
    let outer = try TemporaryDirectory()
    try outer.write("secret.txt", "do not read\n")
    try outer.write("project/Sources/main.swift", "print(\"hello\")\n")
    try outer.link("project/escape", to: outer.path + "/secret.txt")
    let catalog = ToolCatalog(workspaceRoot: outer.path + "/project")
    let tools = Dictionary(uniqueKeysWithValues: catalog.tools(named: BuiltInTool.allNames).map { ($0.name, $0) })

    let listing = try await call(tools["list_files"]!, #"{"recursive":true}"#)
    #expect(listing == "Sources/\nSources/main.swift  (15 bytes)\nescape  (symbolic link)")
    let file = try await call(tools["read_file"]!, #"{"path":"Sources/main.swift"}"#)
    #expect(file == "Sources/main.swift (lines 1-1 of 1)\n1  print(\"hello\")\n")
    let search = try await call(tools["search_text"]!, #"{"query":"HELLO"}"#)
    #expect(search == "Sources/main.swift:1: print(\"hello\")")

    for path in ["../secret.txt", "escape", outer.path + "/secret.txt"] {
      let refused = try await call(tools["read_file"]!, JSONValue.object(["path": .string(path)]).jsonString)
      #expect(refused.hasPrefix("Error: "), "\(path)")
      #expect(!refused.contains("do not read"))
    }
    let missingRoot = ToolCatalog(workspaceRoot: outer.path + "/nope")
    let unusable = try await call(missingRoot.tool(.listFiles), "{}")
    #expect(unusable.hasPrefix("Error: the workspace root"))
  }
}
