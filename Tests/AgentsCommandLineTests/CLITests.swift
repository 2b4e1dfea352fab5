import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

/// End-to-end: the `agents` binary against the in-process fake Ollama server.
@Suite(.serialized) struct CLITests {
  @Test func askStreamsTheAnswer() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("Hello from the fake server.", chunkSize: 4))
      let output = try await agents.run(["ask", "--base-url", server.openAIBaseURL, "--agent", "creative", "Say", "hi"])
      #expect(output.status == 0)
      #expect(output.stdout == "Hello from the fake server.\n")
      #expect(output.stderr == "")
      let request = try #require(server.requests(to: "/v1/chat/completions").first)
      #expect(request.json?["stream"] == true)
      #expect(request.json?["temperature"] == 0.7)
      #expect(request.json?["model"] == "llama3.2")
    }
  }

  @Test func askJSONReportsTheConversationResult() async throws {
    try await withServer { server, agents in
      server.enqueue(.toolCall("calculator", arguments: ["expression": "6 * 7"]))
      server.enqueue(.text("6 times 7 is 42."))
      let output = try await agents.run(["ask", "--agent", "math", "--json", "What is 6*7?"], environment: ["OLLAMA_HOST": server.baseURL])
      #expect(output.status == 0)
      let json = try JSONValue.parse(output.lastLine)
      #expect(json["agent_name"] == "Math Tutor")
      #expect(json["user_input"] == "What is 6*7?")
      #expect(json["final_output"] == "6 times 7 is 42.")
      #expect(json["success"] == true)
      #expect(json["error"] == .null)
      #expect(json["model"] == "llama3.2")
      #expect(json["turns"] == 2)
      #expect((json["execution_time"]?.doubleValue ?? -1) >= 0)
      let seconds = try #require(json["execution_time"]?.doubleValue)
      let milliseconds = try #require(json["duration_ms"]?.doubleValue)
      #expect(abs(milliseconds - seconds * 1000) <= 1, "duration_ms is execution_time in milliseconds")
      #expect(json["usage"]?["total_tokens"]?.intValue != nil)
      #expect(json["tool_calls"] == [["name": "calculator", "arguments": #"{"expression":"6 * 7"}"#, "output": "6 * 7 = 42"]])
    }
  }

  @Test func askReadsThePromptFromStandardInput() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("Got it."))
      let output = try await agents.run(
        ["ask", "--base-url", server.openAIBaseURL, "--no-stream", "-"], stdin: "  a question from a pipe\n")
      #expect(output.status == 0)
      #expect(output.stdout == "Got it.\n")
      let messages = try #require(server.lastRequest?.json?["messages"]?.arrayValue)
      #expect(messages.last?["content"] == "a question from a pipe")
      #expect(server.lastRequest?.json?["stream"] == false)
    }
  }

  @Test func usageErrorsAreOneLineWithTheFix() async throws {
    let agents = try AgentsBinary()
    let cases: [([String], String)] = [
      (["ask"], "agents: error: the prompt is empty; give the question as arguments"),
      (["ask", "-"], "agents: error: the prompt is empty; pipe the question into standard input"),
      (["ask", "--agent", "mth", "hi"], "agents: error: unknown agent 'mth' (did you mean 'math'?)"),
      (["ask", "--max-turns", "0", "hi"], "agents: error: invalid value 0 for --max-turns"),
      (["ask", "--max-turns", "99999", "hi"], "agents: error: invalid value 99999 for --max-turns; it must be a whole number between 1 and 10000"),
      (["mcp", "serve", "--max-turns", "0"], "agents: error: invalid value 0 for --max-turns"),
      (["ask", "--timeout", "soon", "hi"], "agents: error: invalid value 'soon' for --timeout; it must be a number between 0.001 and 86400"),
      (["ask", "--provider", "anthropic", "hi"], "agents: error: invalid value 'anthropic' for --provider"),
      (["chat", "--agent", "nobody"], "agents: error: unknown agent 'nobody'"),
      (["frobnicate"], "agents: error: Unexpected argument 'frobnicate'; see 'agents --help'"),
    ]
    for (arguments, prefix) in cases {
      let output = try await agents.run(arguments)
      #expect(output.status == 64, "\(arguments)")
      #expect(output.stderr.hasPrefix(prefix), "\(arguments): \(output.stderr)")
      #expect(output.stderr.split(separator: "\n").count == 1, "\(arguments): \(output.stderr)")
      #expect(output.stdout == "")
    }
  }

  @Test func pipedChatPrintsOnlyTheAnswers() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("Hi there!"))
      server.enqueue(.toolCall("calculator", arguments: ["expression": "2^10"]))
      server.enqueue(.text("2^10 = 1024"))
      let output = try await agents.run(
        ["chat", "--base-url", server.openAIBaseURL, "--agent", "creative"],
        stdin: "hello\n/agent math\nwhat is 2^10?\n/nope\n/quit\nignored\n")
      #expect(output.status == 0)
      #expect(output.stdout == "Hi there!\n2^10 = 1024\n")
      #expect(output.stderr == "agents: error: unknown command /nope; type /help for the list\n")
      let last = try #require(server.lastRequest?.json?["messages"]?.arrayValue)
      #expect(last.contains { $0["content"] == "hello" })
    }
  }

  @Test func askContinuesASavedSession() async throws {
    try await withServer { server, agents in
      server.enqueue(.text("Nice to meet you, Bo."))
      server.enqueue(.text("Your name is Bo."))
      _ = try await agents.run(["ask", "--base-url", server.openAIBaseURL, "--agent", "creative", "--session", "s1", "I am Bo"])
      let second = try await agents.run(["ask", "--base-url", server.openAIBaseURL, "--session", "s1", "--agent", "creative", "Who am I?"])
      #expect(second.stdout == "Your name is Bo.\n")
      let messages = try #require(server.lastRequest?.json?["messages"]?.arrayValue)
      #expect(messages.map { $0["content"]?.stringValue ?? "" }.suffix(3) == ["I am Bo", "Nice to meet you, Bo.", "Who am I?"])
    }
  }

  @Test func chatChecksTheModelAndServerFirst() async throws {
    try await withServer { server, agents in
      let missing = try await agents.run(["chat", "--base-url", server.openAIBaseURL, "--model", "llama9"], stdin: "hi\n")
      #expect(missing.status == 66)
      #expect(missing.stderr.hasPrefix("agents: error: model 'llama9' is not installed on the server; run 'agents models pull llama9'"))
      #expect(server.requests(to: "/v1/chat/completions").isEmpty)
    }
  }

  @Test func configFileAgentsAndErrors() async throws {
    let agents = try AgentsBinary()
    try agents.home.write(
      "agents.yaml",
      "defaults:\n  model: qwen3:8b\nagents:\n  - id: reviewer\n    instructions: Review code.\n    tools: [read_file]\n    handoffs: [coding]\n")
    let listed = try await agents.run(["list", "--json", "--config", agents.home.path + "/agents.yaml"])
    #expect(listed.status == 0)
    let json = try JSONValue.parse(listed.lastLine)
    let reviewer = try #require(json.arrayValue?.first { $0["id"] == "reviewer" })
    #expect(reviewer == [
      "id": "reviewer", "name": "reviewer", "description": "", "model": "qwen3:8b", "tools": ["read_file"],
      "handoffs": ["coding"], "source": "config", "instructions": "Review code.", "temperature": 0.7,
      "max_tokens": nil, "tool_choice": nil, "tool_definitions": reviewer["tool_definitions"] ?? .null,
    ])
    #expect(reviewer["tool_definitions"]?.arrayValue?.map { $0["name"] } == ["read_file"])
    #expect(reviewer["tool_definitions"]?.arrayValue?.first?["parameters"]?["required"] == ["path"])
    let math = try #require(json.arrayValue?.first { $0["id"] == "math" })
    #expect(math["tool_choice"] == "required")
    #expect(math["instructions"]?.stringValue?.contains("calculator") == true)
    #expect(json.arrayValue?.first?["model"] == "qwen3:8b")

    let table = try await agents.run(["list"], environment: ["AGENTS_CONFIG": agents.home.path + "/agents.yaml", "AGENTS_MODEL": "env-model"])
    #expect(table.stdout.split(separator: "\n").first.map(String.init) == "ID        NAME              MODEL      TOOLS" + String(repeating: " ", count: 61) + "HANDOFFS")
    #expect(table.stdout.contains("reviewer  reviewer          env-model  read_file" + String(repeating: " ", count: 57) + "coding"))

    try agents.home.write("broken.yaml", "agents:\n  - id: x\n    instructions: y\n    tools: [shell]\n")
    let broken = try await agents.run(["list", "--config", agents.home.path + "/broken.yaml"])
    #expect(broken.status == 65)
    #expect(broken.stderr.contains("broken.yaml:4:13: unknown tool 'shell'"))
  }

  @Test func listLeavesTheDatabaseUnopened() async throws {
    let agents = try AgentsBinary()
    let listed = try await agents.run(["list"])
    #expect(listed.status == 0)
    #expect(listed.stdout.hasPrefix("ID "))
    #expect(!FileManager.default.fileExists(atPath: agents.home.path + "/data/agents.sqlite"))
  }

  @Test func statsCountRecordedRuns() async throws {
    try await withServer { server, agents in
      let empty = try await agents.run(["stats"])
      #expect(empty.status == 0)
      #expect(empty.stdout.hasPrefix("No runs recorded yet."))
      server.enqueue(.text("One."))
      _ = try await agents.run(["ask", "--base-url", server.openAIBaseURL, "--agent", "creative", "first"])
      server.inject(.error(status: 400, message: "boom"), on: "/v1/chat/completions")
      let failed = try await agents.run(["ask", "--base-url", server.openAIBaseURL, "--agent", "creative", "second"])
      #expect(failed.status == 1)
      let stats = try await agents.run(["stats", "--json"])
      #expect(stats.status == 0)
      let json = try JSONValue.parse(stats.lastLine)
      #expect(json["totals"]?["runs"] == 2)
      #expect(json["totals"]?["failures"] == 1)
      // Agents are named by id as in `test` and `bench`, with the display name beside it.
      #expect(json["agents"]?.arrayValue?.first?["agent"] == "creative")
      #expect(json["agents"]?.arrayValue?.first?["agent_name"] == "Creative Writer")
      #expect(json["models"] == [["name": "llama3.2", "count": 2]])
    }
  }

  @Test func testCommandScoresScenarios() async throws {
    try await withServer { server, agents in
      // math.multiplication passes (tool used, right number); the other two answer wrongly without the tool.
      server.enqueue(.toolCall("calculator", arguments: ["expression": "1234 * 5678"]))
      server.enqueue(.text("1234 × 5678 = 7,006,652"))
      server.enqueue(.text("It is 5."))
      server.enqueue(.text("I think 24."))
      let output = try await agents.run(["test", "--base-url", server.openAIBaseURL, "--agent", "math", "--json"])
      #expect(output.status == 1)
      let json = try JSONValue.parse(output.lastLine)
      let results = try #require(json["results"]?.arrayValue)
      #expect(results.map { $0["test_name"]?.stringValue ?? "" } == ["math.multiplication", "math.order-of-operations", "math.square-root"])
      #expect(results.map { $0["success"] } == [true, false, false])
      #expect(results[1]["response_quality"] == 0)
      #expect(results[2]["response_quality"] == 0.5)
      #expect(results[2]["error"] == "the calculator tool was not used")
      #expect(results.map { $0["answer"] } == ["1234 × 5678 = 7,006,652", "It is 5.", "I think 24."])  // to read failures
      #expect(json["totals"]?["passed"] == 1)
      #expect(json["totals"]?["tests"] == 3)

      server.enqueue(.text("a"))
      let table = try await agents.run(["test", "--base-url", server.openAIBaseURL, "--agent", "coding"])
      #expect(table.stdout.hasPrefix("TEST"))
      #expect(table.stdout.contains("coding.python-function"))
      #expect(table.stdout.contains("0/3 passed"))
    }
  }

  @Test func testRepeatsScenariosFromAFileAndWritesTheResultsFile() async throws {
    try await withServer { server, agents in
      server.setDefaultReply { request in
        .text(request.lastUserMessageText?.contains("sea") == true ? "The sea is wide and deep and blue." : "No.")
      }
      let file = agents.home.path + "/scenarios.yaml"
      try """
        scenarios:
          - {name: sea, agent: creative, prompt: "Describe the sea.", checks: {min_length: 20, contains_any: [sea]}}
          - {agent: creative, prompt: "Say something tiny.", checks: {min_length: 20}}
        """.write(toFile: file, atomically: true, encoding: .utf8)
      let output = try await agents.run([
        "test", "--base-url", server.openAIBaseURL, "--model", "gemma:2b", "--scenarios", file, "--repeat", "2",
        "--json",
      ])
      #expect(output.status == 1)
      let json = try JSONValue.parse(output.lastLine)
      #expect(json["repeat"] == 2)
      #expect(json["model"] == "gemma:2b")
      #expect(json["scenarios"]?.arrayValue?.map { $0["name"] } == ["sea", "creative.2"])
      #expect(json["scenarios"]?.arrayValue?.map { $0["pass_rate"] } == [1, 0])
      #expect(json["scenarios"]?.arrayValue?.last?["failures"] == ["the answer is shorter than 20 characters"])
      let group = try #require(json["agents"]?.arrayValue?.first)
      #expect([group["agent"], group["runs"], group["passed"], group["pass_rate"]] == ["creative", 4, 2, 0.5])
      #expect(json["results"]?.arrayValue?.map { $0["round"] } == [1, 1, 2, 2])
      #expect(json["totals"]?["tests"] == 4)
      #expect(json["complete"] == true)
      #expect(json["planned_runs"] == 4)
      #expect(json["stopped"] == .null)
      // The same report is kept per model in the data directory.
      let saved = try String(contentsOfFile: agents.home.path + "/data/test-results/gemma_2b.json", encoding: .utf8)
      #expect(try JSONValue.parse(saved)["totals"] == json["totals"])

      let table = try await agents.run(["test", "--base-url", server.openAIBaseURL, "--scenarios", file, "--repeat", "3"])
      #expect(table.stdout.contains("sea            3/3  100%"))
      #expect(table.stdout.contains("creative     3/6   50%"))
      #expect(table.stdout.contains("results: " + agents.home.path + "/data/test-results/llama3.2.json"))

      try "scenarios:\n  - {agent: creative, prompt: hi, checks: {min_lenght: 3}}\n".write(toFile: file, atomically: true, encoding: .utf8)
      let invalid = try await agents.run(["test", "--base-url", server.openAIBaseURL, "--scenarios", file])
      #expect(invalid.status == 65)
      #expect(invalid.stderr.contains("scenario 1: unknown check 'min_lenght' (did you mean 'min_length'?)"))
      let zero = try await agents.run(["test", "--base-url", server.openAIBaseURL, "--repeat", "0"])
      #expect(zero.status == 64)

      // The built-in scenarios in the file format: read back by --scenarios unchanged, no model call made.
      let calls = server.requests(to: "/v1/chat/completions").count
      let listed = try await agents.run(["test", "--base-url", server.openAIBaseURL, "--list-scenarios", "--agent", "coding"])
      #expect(listed.status == 0)
      let exported = try JSONValue.parse(listed.stdout)
      let first = try #require(exported["scenarios"]?.arrayValue?.first)
      #expect(first["name"] == "coding.python-function")
      #expect(first["checks"] == [["contains_any": ["def "]], ["contains_any": ["return"]], ["contains_any": ["[::-1]", "reversed("]]])
      try listed.stdout.write(toFile: file, atomically: true, encoding: .utf8)
      let relisted = try await agents.run(["test", "--base-url", server.openAIBaseURL, "--list-scenarios", "--scenarios", file])
      #expect(relisted.stdout == listed.stdout)
      #expect(server.requests(to: "/v1/chat/completions").count == calls)
    }
  }

  @Test func benchReportsLatencyAndMemory() async throws {
    try await withServer { server, agents in
      server.setDefaultReply { _ in .text("The sea is wide.") }
      let output = try await agents.run(["bench", "--base-url", server.openAIBaseURL, "--runs", "6", "--concurrency", "3", "--json"])
      #expect(output.status == 0)
      let json = try JSONValue.parse(output.lastLine)
      #expect(json["runs"] == 6)
      #expect(json["concurrency"] == 3)
      #expect(json["errors"] == 0)
      for key in ["runs_per_second", "p50_ms", "p95_ms", "p99_ms", "peak_rss_mb", "ttft_p50_ms", "tokens_per_second"] {
        #expect(json[key]?.doubleValue != nil, "\(key)")
      }
      #expect((json["cpu_ms_per_run"]?.doubleValue ?? 0) > 0)
      #expect((json["context_switches_per_run"]?.doubleValue ?? -1) >= 0)
      #expect(json["latencies_ms"] == nil)
      #expect(server.requests(to: "/v1/chat/completions").count == 6)

      // Every run's times, in the order the runs ended: the same figures the percentiles come from.
      let listed = try await agents.run(["bench", "--base-url", server.openAIBaseURL, "--runs", "4", "--json", "--list-runs"])
      let runs = try JSONValue.parse(listed.lastLine)
      let latencies = runs["latencies_ms"]?.arrayValue?.compactMap(\.doubleValue) ?? []
      let firstTokens = runs["ttft_ms"]?.arrayValue?.compactMap(\.doubleValue) ?? []
      #expect(latencies.count == 4)
      #expect(firstTokens.count == 4)
      #expect(zip(latencies, firstTokens).allSatisfy { latency, firstToken in firstToken > 0 && firstToken <= latency })
      let sorted = latencies.sorted()
      #expect(abs((runs["p50_ms"]?.doubleValue ?? 0) - (sorted[1] + sorted[2]) / 2) < 0.002)

      let invalid = try await agents.run(["bench", "--runs", "0"])
      #expect(invalid.status == 64)
      let textWithRuns = try await agents.run(["bench", "--base-url", server.openAIBaseURL, "--runs", "1", "--list-runs"])
      #expect(textWithRuns.status == 64)
      #expect(textWithRuns.stderr.contains("add --json"))
    }
  }
}

/// Ctrl-C (SIGINT) against the real process.
@Suite(.serialized) struct InterruptCLITests {
  @Test func ctrlCCancelsAskAndExits130() async throws {
    let server = try await FakeOllamaServer.start()
    let agents = try AgentsBinary()
    server.inject(.stallBeforeHeaders(nil), on: "/v1/chat/completions")
    server.enqueue(.text("never sent"))
    let ask = try agents.start(["ask", "--base-url", server.openAIBaseURL, "--agent", "creative", "a long story"])
    await server.waitForRequests(count: 3)  // the context length (/api/ps, /api/show), then the answer
    ask.interrupt()
    let asked = try await ask.finish()
    #expect(asked.status == 130)
    #expect(asked.stderr == "agents: error: interrupted\n")
    try await server.shutdown()
  }

  @Test func ctrlCInTestKeepsTheRunsMadeSoFarInTheResultsFile() async throws {
    let server = try await FakeOllamaServer.start()
    let agents = try AgentsBinary()
    server.setDefaultReply { _ in .text("The sea is wide and deep and blue, and it goes on.") }
    server.inject(.delay(.zero), on: "/v1/chat/completions")  // the first run is answered
    server.inject(.stallBeforeHeaders(nil), on: "/v1/chat/completions")  // the second waits for Ctrl-C
    let results = agents.home.path + "/partial.json"
    let test = try agents.start([
      "test", "--base-url", server.openAIBaseURL, "--agent", "creative", "--repeat", "2", "--results", results,
    ])
    var seen = 1
    while server.requests(to: "/v1/chat/completions").count < 2 {
      seen += 1
      await server.waitForRequests(count: seen)
    }
    // The file already holds the first run, before the run ends.
    let during = try JSONValue.parse(try String(contentsOfFile: results, encoding: .utf8))
    #expect(during["results"]?.arrayValue?.count == 1)
    #expect(during["complete"] == false)
    #expect(during["planned_runs"] == 6)
    test.interrupt()
    let tested = try await test.finish()
    #expect(tested.status == 130)
    #expect(tested.stdout.contains("creative.haiku"))
    #expect(tested.stdout.contains("stopped after 1 of 6 runs: interrupted"))
    #expect(tested.stdout.contains("results: " + results))
    #expect(tested.stderr.hasSuffix("agents: error: interrupted\n"))
    let kept = try JSONValue.parse(try String(contentsOfFile: results, encoding: .utf8))
    #expect(kept["results"]?.arrayValue?.map { $0["test_name"] } == ["creative.haiku"])
    #expect(kept["stopped"] == "interrupted")
    #expect(kept["complete"] == false)
    try await server.shutdown()
  }

  @Test func ctrlCInAPipedChatCancelsTheAnswerAndTheNextLineIsAnswered() async throws {
    let server = try await FakeOllamaServer.start()
    let agents = try AgentsBinary()
    server.inject(.stallAfterEvents(1, duration: nil), on: "/v1/chat/completions")
    server.enqueue(.text("Once upon a time, far away", chunkSize: 5))
    server.enqueue(.text("Second answer."))
    let chat = try agents.start(
      ["chat", "--base-url", server.openAIBaseURL, "--agent", "creative"], stdin: "tell a story\nsomething else\n")
    await server.waitForRequests(count: 4)  // the model check, the context length, then the first answer
    #expect(server.requests.map(\.path) == ["/v1/models", "/api/ps", "/api/show", "/v1/chat/completions"])
    chat.interrupt()
    let chatted = try await chat.finish()
    #expect(chatted.status == 0)
    #expect(chatted.stdout.hasSuffix("Second answer.\n"))
    #expect(chatted.stderr == "")
    #expect(server.requests(to: "/v1/chat/completions").count == 2)
    try await server.shutdown()
  }
}
