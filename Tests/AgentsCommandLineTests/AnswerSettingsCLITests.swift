import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

/// `--system`, `--temperature`, `-o` and the display flags are rows of the settings table: each also comes from its
/// environment variable or the configuration file, with the precedence option > environment > file > default, and
/// `-o` pairs add up across the three. Through the `agents` binary against the fake server.
@Suite(.serialized) struct AnswerSettingsCLITests {
  static let file = """
    defaults:
      system: Answer from the file.
      temperature: 0.3
      model_options:
        top_k: 10
        seed: 1
        stop: [END, "---"]

    """

  /// The request body of one `ask` with `arguments` and `environment`.
  static func askBody(
    _ arguments: [String], environment: [String: String] = [:], config: String? = nil
  ) async throws -> JSONValue {
    let agents = try AgentsBinary()
    return try await withServer { server in
      server.enqueue(.text("Fine."))
      let configArguments = config.map { ["--config", $0] } ?? []
      let output = try await agents.run(
        ["ask", "--base-url", server.openAIBaseURL, "--agent", "creative"] + configArguments + arguments + ["hi"],
        environment: environment)
      #expect(output.status == 0, "\(arguments) \(environment): \(output.stderr)")
      return try #require(server.requests(to: "/v1/chat/completions").last?.json)
    }
  }

  static func system(_ body: JSONValue) -> String {
    body["messages"]?.arrayValue?.first { $0["role"] == "system" }?["content"]?.stringValue ?? ""
  }

  @Test func optionBeatsEnvironmentBeatsFileBeatsDefault() async throws {
    let directory = try TemporaryDirectory()
    let config = directory.path + "/agents.yaml"
    try Self.file.write(toFile: config, atomically: true, encoding: .utf8)

    let byDefault = try await Self.askBody([])
    #expect(Self.system(byDefault).contains("creative writer"), "the agent's own instructions")
    #expect(byDefault["top_k"] == nil)

    let fromFile = try await Self.askBody([], config: config)
    #expect(Self.system(fromFile).contains("Answer from the file."))
    #expect(!Self.system(fromFile).contains("creative writer"))
    #expect(fromFile["temperature"]?.doubleValue == 0.3)
    #expect(fromFile["top_k"] == 10)
    #expect(fromFile["seed"] == 1)
    #expect(fromFile["stop"] == ["END", "---"])

    let environment = [
      "AGENTS_SYSTEM": "Answer from the environment.", "AGENTS_TEMPERATURE": "0.5",
      "AGENTS_MODEL_OPTIONS": #"{"seed": 2, "top_p": 0.9}"#,
    ]
    let fromEnvironment = try await Self.askBody([], environment: environment, config: config)
    #expect(Self.system(fromEnvironment).contains("Answer from the environment."))
    #expect(fromEnvironment["temperature"]?.doubleValue == 0.5)
    #expect(fromEnvironment["top_k"] == 10, "the file's pairs stay")
    #expect(fromEnvironment["seed"] == 2, "the environment's pair replaces the file's")
    #expect(fromEnvironment["top_p"]?.doubleValue == 0.9)

    let fromOptions = try await Self.askBody(
      ["--system", "Answer from the option.", "--temperature", "0.9", "-o", "seed=3", "--option=top_k=20"],
      environment: environment, config: config)
    #expect(Self.system(fromOptions).contains("Answer from the option."))
    #expect(fromOptions["temperature"]?.doubleValue == 0.9)
    #expect(fromOptions["seed"] == 3)
    #expect(fromOptions["top_k"] == 20)
    #expect(fromOptions["top_p"]?.doubleValue == 0.9)
  }

  @Test func badValuesFromTheEnvironmentOrTheFileAreRefusedBeforeAnyRequest() async throws {
    let directory = try TemporaryDirectory()
    let config = directory.path + "/agents.yaml"
    try "defaults:\n  model_options: 40\n".write(toFile: config, atomically: true, encoding: .utf8)
    try await withServer { server, agents in
      let cases: [([String], [String: String], Int32, String)] = [
        ([], ["AGENTS_TEMPERATURE": "3"], 65, "AGENTS_TEMPERATURE is '3'; it must be a number between 0 and 2"),
        ([], ["AGENTS_MODEL_OPTIONS": "{top_k"], 65, "AGENTS_MODEL_OPTIONS is '{top_k'; it must be key=value"),
        ([], ["AGENTS_MODEL_OPTIONS": #"{"top_p": "high"}"#], 64, "-o top_p must be a number from 0 to 1"),
        ([], ["AGENTS_STATS": "maybe"], 65, "AGENTS_STATS is 'maybe'"),
        (["--config", config], [:], 65, "'model_options' must be a mapping such as {top_k: 40} or key=value texts"),
        (["--stats=yes"], [:], 64, "--stats takes no value"),
      ]
      for (arguments, environment, status, message) in cases {
        let output = try await agents.run(
          ["ask", "--base-url", server.openAIBaseURL] + arguments + ["hi"], environment: environment)
        #expect(output.status == status, "\(arguments) \(environment): \(output.stderr)")
        #expect(output.stderr.contains(message), "\(arguments) \(environment): \(output.stderr)")
      }
      #expect(server.requests(to: "/v1/chat/completions").isEmpty)
    }
  }

  /// The display flags: `--stats` from the environment or the file, turned off again by `--no-stats`; where each
  /// came from shows in `--verbose`.
  @Test func displayFlagsComeFromEnvironmentAndFile() async throws {
    let directory = try TemporaryDirectory()
    let config = directory.path + "/agents.yaml"
    try "defaults:\n  stats: true\n  markdown: false\n".write(toFile: config, atomically: true, encoding: .utf8)
    try await withServer { server, agents in
      func statsLines(_ arguments: [String], _ environment: [String: String]) async throws -> Int {
        server.enqueue(FakeOllamaServer.Reply(content: "Hi.", usage: .init(promptTokens: 12, completionTokens: 3)))
        let output = try await agents.run(
          ["chat", "--base-url", server.openAIBaseURL, "--agent", "creative"] + arguments, stdin: "hi\n",
          environment: environment)
        #expect(output.status == 0, "\(output.stderr)")
        return output.stderr.split(separator: "\n").filter { $0.contains("tokens/s") }.count
      }
      let byDefault = try await statsLines([], [:])
      let fromEnvironment = try await statsLines([], ["AGENTS_STATS": "1"])
      let fromFile = try await statsLines(["--config", config], [:])
      let turnedOff = try await statsLines(["--config", config, "--no-stats"], ["AGENTS_STATS": "1"])
      let counts: [Int] = [byDefault, fromEnvironment, fromFile, turnedOff]
      #expect(counts == [0, 1, 1, 0])
    }
    let verbose = try await AgentsBinary().run(
      ["list", "--verbose", "--config", config, "--hide-reasoning", "-o", "seed=7"],
      environment: ["AGENTS_MARKDOWN": "1"])
    #expect(verbose.stderr.contains("stats      on (config file)"), "\(verbose.stderr)")
    #expect(verbose.stderr.contains("markdown   on (environment)"), "\(verbose.stderr)")
    #expect(verbose.stderr.contains("hide reasoning on (option)"), "\(verbose.stderr)")
    #expect(verbose.stderr.contains("model opts seed=7 (option)"), "\(verbose.stderr)")
  }
}
