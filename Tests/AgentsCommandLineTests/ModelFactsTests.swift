import AgentsTesting
import Foundation
import OpenAICompatible
import Testing
import TestSupport

@testable import AgentsCommandLine

/// What the CLI learns from the server about a model before a run: its context length and, for a name that states no
/// size, its size, which picks the tool-calling strategy (``ToolCallingStrategy/automatic``).
@Suite(.serialized) struct ModelFactsTests {
  /// Ollama's untagged names (`llama3.2`, 3B) keep the native strategy they always had: its sizes are not looked up.
  @Test func ollamaGivesContextLengthsButNoSizes() async throws {
    let server = try await FakeOllamaServer.start()
    defer { Task { try await server.shutdown() } }
    let facts = ModelFactsSource.ollama(OllamaClient(config: OllamaConfig(baseURL: server.openAIBaseURL)))
    #expect(try await facts.facts(of: "llama3.2") == ModelFacts(contextLength: 4096))
    #expect(facts.reportedParameterCount(of: "llama3.2") == nil)
    let agent = Agent(name: "Set", model: "llama3.2")
    agent.contextLength = 2048
    try await ModelFactsSource.ollama(OllamaClient(config: OllamaConfig(baseURL: server.openAIBaseURL))).apply(
      to: agent)
    #expect(server.requests(to: "/api/show").count == 1, "a context length already set needs no lookup on Ollama")
  }

  @Test func llamaCppReportsItsModelsSizeAndApplyLooksItUpForNamesWithoutOne() async throws {
    let server = try await FakeOllamaServer.start()
    defer { Task { try await server.shutdown() } }
    server.llamaServer = .init()
    let client = ChatCompletionsClient(config: OllamaConfig(baseURL: server.openAIBaseURL))
    let facts = ModelFactsSource.openAICompatible(client)
    let agent = Agent(name: "Sized", model: "llama3.2")
    agent.contextLength = 2048
    try await facts.apply(to: agent)
    #expect(agent.contextLength == 2048, "a context length already set is kept")
    #expect(facts.reportedParameterCount(of: "llama3.2") == 630_167_424)
    #expect(server.requests(to: "/v1/models").count == 1)

    let named = Agent(name: "Named", model: "qwen2.5:0.5b")
    named.contextLength = 2048
    try await facts.apply(to: named)
    #expect(server.requests(to: "/v1/models").count == 1, "a name that states its size needs no lookup")
  }

  /// The math tutor requires its calculator: with the constrained strategy the call is asked for as JSON with a
  /// schema (`response_format`); natively, with the tools offered.
  static func firstRequest(
    ofMathTutorOn server: FakeOllamaServer, agents: AgentsBinary, options: [String] = [],
    environment: [String: String] = [:]
  ) async throws -> JSONValue? {
    let before = server.requests(to: "/v1/chat/completions").count
    server.setDefaultReply { request in
      if request.json?["response_format"] != nil {
        return .text(#"{"question": "What is 6 * 7?", "name": "calculator", "arguments": {"expression": "6 * 7"}}"#)
      }
      let sawResult = request.json?["messages"]?.arrayValue?.contains { $0["role"] == "tool" } == true
      return sawResult ? .text("6 times 7 is 42.") : .toolCall("calculator", arguments: ["expression": "6 * 7"])
    }
    let output = try await agents.run(
      [
        "ask", "--agent", "math", "--base-url", server.openAIBaseURL, "--provider", "openai", "--model", "llama3.2",
      ] + options + ["What is 6 * 7?"], environment: environment)
    #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
    #expect(output.stdout.contains("42"))
    return server.requests(to: "/v1/chat/completions").dropFirst(before).first?.json
  }

  @Test func aSmallModelWhoseNameStatesNoSizeGetsTheSmallModelStrategy() async throws {
    try await withServer { server, agents in
      server.llamaServer = .init()  // lists llama3.2 with meta.n_params 630M
      let first = try #require(try await Self.firstRequest(ofMathTutorOn: server, agents: agents))
      #expect(first["response_format"]?["type"] == "json_schema")
      #expect(first["response_format"]?["json_schema"]?["name"] == "tool_call")

      // `agents test` looks the size up as ask does.
      let before = server.requests(to: "/v1/chat/completions").count
      let tested = try await agents.run([
        "test", "--agent", "math", "--base-url", server.openAIBaseURL, "--provider", "openai", "--model", "llama3.2",
        "--json",
      ])
      #expect(tested.status <= 1, "\(tested.stdout)\(tested.stderr)")
      let testedFirst = server.requests(to: "/v1/chat/completions").dropFirst(before).first?.json
      #expect(testedFirst?["response_format"]?["type"] == "json_schema")

      let native = try #require(
        try await Self.firstRequest(ofMathTutorOn: server, agents: agents, options: ["--tool-calling", "native"]))
      #expect(native["response_format"] == nil, "--tool-calling native overrides the size")
      #expect(native["tools"]?.arrayValue?.isEmpty == false)
    }
  }

  @Test func aModelOfUnknownSizeKeepsNativeToolCalls() async throws {
    try await withServer { server, agents in
      server.llamaServer = nil  // an OpenAI-compatible list without sizes
      let first = try #require(try await Self.firstRequest(ofMathTutorOn: server, agents: agents))
      #expect(first["response_format"] == nil)
      #expect(first["tools"]?.arrayValue?.isEmpty == false)

      let constrained = try #require(
        try await Self.firstRequest(
          ofMathTutorOn: server, agents: agents, environment: ["AGENTS_TOOL_CALLING": "constrained"]))
      #expect(constrained["response_format"]?["type"] == "json_schema")
    }
  }

  @Test func anUnknownStrategyIsRefusedWithTheChoices() async throws {
    try await withServer { server, agents in
      let output = try await agents.run(["ask", "--tool-calling", "grammar", "--base-url", server.openAIBaseURL, "hi"])
      #expect(output.status == 64)
      #expect(output.stderr.contains("one of automatic, native, constrained"), "\(output.stderr)")
      #expect(server.requests(to: "/v1/chat/completions").isEmpty)
    }
  }
}
