import Foundation
import Testing
import TestSupport

@testable import AgentsApp

@Suite struct AgentsConfigLoaderTests {
  func parse(_ yaml: String) throws(ConfigFileError) -> AgentsConfigFile {
    try AgentsConfigLoader.parse(yaml: yaml, path: "agents.yaml")
  }

  func issues(_ yaml: String) -> [ConfigFileError.Issue] {
    do {
      _ = try parse(yaml)
      Issue.record("expected the file to be rejected")
      return []
    } catch {
      return error.issues
    }
  }

  @Test func readsAValidFile() throws {
    let file = try parse(
      """
      # Team agents
      defaults:
        base_url: http://gpu-box:11434/v1
        provider: ollama
        model: qwen3:8b
        timeout: 90
      agents:
        - id: reviewer
          name: Code Reviewer
          instructions: |
            You review code.
            Be specific.
          description: Reviews code.
          model: qwen2.5-coder:7b
          temperature: 0.2
          max_tokens: 1024
          tools: [read_file, search_text]
          handoffs: [coding, poet]
        - id: poet
          instructions: Write haiku only.
          tools: calculator
      """)
    #expect(
      file.defaults == .init(baseURL: "http://gpu-box:11434/v1", provider: .ollama, model: "qwen3:8b", timeout: 90))
    #expect(file.agents.count == 2)
    let reviewer = file.agents[0]
    #expect(reviewer.id == "reviewer")
    #expect(reviewer.name == "Code Reviewer")
    #expect(reviewer.instructions == "You review code.\nBe specific.\n")
    #expect(reviewer.summary == "Reviews code.")
    #expect(reviewer.model == "qwen2.5-coder:7b")
    #expect(reviewer.temperature == 0.2)
    #expect(reviewer.maxTokens == 1024)
    #expect(reviewer.tools == ["read_file", "search_text"])
    #expect(reviewer.handoffs == ["coding", "poet"])
    let poet = file.agents[1]
    #expect(poet.name == "poet")
    #expect(poet.tools == ["calculator"])
    #expect(poet.model == nil)
  }

  @Test func acceptsEmptyFilesAndSections() throws {
    #expect(try parse("") == AgentsConfigFile(path: "agents.yaml"))
    #expect(try parse("# only a comment\n") == AgentsConfigFile(path: "agents.yaml"))
    #expect(try parse("defaults:\nagents:\n") == AgentsConfigFile(path: "agents.yaml"))
  }

  @Test func reportsSyntaxErrorsWithLineNumbers() {
    let found = issues("agents:\n  - id: a\n    instructions: [unclosed\n")
    #expect(found.count == 1)
    #expect(found.first?.line == 4)
    #expect(found.first?.message.hasPrefix("invalid YAML:") == true)

    let tabs = issues("defaults:\n\tmodel: x\n")
    #expect(tabs.first?.line == 2)

    let duplicate = issues("defaults:\n  model: a\n  model: b\n")
    #expect(duplicate.first?.message.contains("duplicate key 'model'") == true)
  }

  @Test func reportsUnknownKeysWithSuggestions() {
    let found = issues(
      """
      defaults:
        modle: llama3.2
      agents:
        - id: a
          instructions: x
          temprature: 0.5
      extras: true
      """)
    #expect(found.map(\.line) == [2, 6, 7])
    #expect(found[0].message.contains("unknown key 'modle' in defaults (did you mean 'model'?)"))
    #expect(found[0].message.contains("expected one of: base_url, provider, model, timeout"))
    #expect(found[0].column == 3)
    #expect(found[1].message.contains("did you mean 'temperature'"))
    #expect(found[2].message.contains("unknown key 'extras' in the file"))
  }

  @Test func reportsWrongTypesAndRanges() {
    let found = issues(
      """
      defaults:
        timeout: soon
        provider: anthropic
        base_url: localhost:11434
      agents:
        - id: a
          instructions: x
          temperature: 3
          max_tokens: 1.5
          tools: {calculator: yes}
          model: [a, b]
      """)
    #expect(found.map(\.line) == [2, 3, 4, 8, 9, 10, 11])
    #expect(found[0].message == "'timeout' must be a number, but found 'soon'")
    #expect(found[1].message == "'provider' must be 'ollama' or 'openai', but is 'anthropic'")
    #expect(found[2].message.contains("'base_url' is not usable"))
    #expect(found[3].message == "agent 'a': 'temperature' must be between 0 and 2, but is 3")
    #expect(found[4].message == "agent 'a': 'max_tokens' must be a whole number, but found '1.5'")
    #expect(found[5].message.contains("'tools' must be a list of names"))
    #expect(found[6].message == "agent 'a': 'model' must be text, but found a list")
  }

  @Test func checksToolsAgainstTheCatalogue() {
    let found = issues("agents:\n  - id: a\n    instructions: x\n    tools: [calculator, read_files, shell]\n")
    #expect(found.count == 2)
    #expect(found[0].message.contains("unknown tool 'read_files' in agent 'a' (did you mean 'read_file'?)"))
    #expect(found[0].line == 4)
    #expect(found[0].column == 25)
    #expect(found[1].message.contains("unknown tool 'shell'"))
    #expect(found[1].message.contains("available tools: calculator, list_files, read_file, search_text"))
  }

  @Test func checksIdsAndHandoffs() {
    let found = issues(
      """
      agents:
        - id: helper
          instructions: x
          handoffs: [helper, mathh, other]
        - id: helper
          instructions: y
        - id: math
          instructions: z
        - id: Bad Id
          instructions: w
        - name: nameless
        - other
      """)
    let messages = found.map(\.message)
    #expect(messages.contains { $0.contains("agent id 'helper' is already defined on line 2") })
    #expect(messages.contains { $0.contains("agent id 'math' is a built-in agent") })
    #expect(messages.contains { $0.contains("agent id 'Bad Id' must start with a lowercase letter") })
    #expect(messages.contains { $0.contains("an agent is missing 'id'") })
    #expect(messages.contains { $0.contains("is missing 'instructions'") })
    #expect(messages.contains { $0.contains("an agent must be a mapping") })
    #expect(messages.contains { $0.contains("agent 'helper' cannot hand off to itself") })
    #expect(messages.contains { $0.contains("unknown agent 'mathh' (did you mean 'math'?)") })
    #expect(messages.contains { $0.contains("unknown agent 'other'") })
    #expect(found.map { $0.line ?? 0 } == found.map { $0.line ?? 0 }.sorted())
  }

  @Test func handoffsMayReferToLaterAgentsAndBuiltIns() throws {
    let file = try parse(
      "agents:\n  - id: a\n    instructions: x\n    handoffs: [b, triage]\n  - id: b\n    instructions: y\n    handoffs: a\n"
    )
    #expect(file.agents.map(\.handoffs) == [["b", "triage"], ["a"]])
  }

  @Test func errorDescriptionNamesFileLineAndColumn() {
    do {
      _ = try parse("defaults:\n  timeout: -1\n")
      Issue.record("expected an error")
    } catch {
      #expect(error.description == "agents.yaml:2:12: 'timeout' must be between 0.001 and 86400, but is -1")
    }
  }

  @Test func loadsFromDiskAndReportsMissingFiles() throws {
    let directory = try TemporaryDirectory()
    try directory.write("agents.yaml", "agents:\n  - id: x\n    instructions: hi\n")
    let file = try AgentsConfigLoader.load(path: directory.path + "/agents.yaml")
    #expect(file.agents.map(\.id) == ["x"])
    #expect(file.path == directory.path + "/agents.yaml")

    let missing = #expect(throws: ConfigFileError.self) {
      try AgentsConfigLoader.load(path: directory.path + "/nope.yaml")
    }
    #expect(missing?.issues.first?.message.contains("does not exist") == true)

    try directory.write("binary.yaml", bytes: [0xFF, 0xFE, 0x00])
    let binary = #expect(throws: ConfigFileError.self) {
      try AgentsConfigLoader.load(path: directory.path + "/binary.yaml")
    }
    #expect(binary?.issues.first?.message == "the file is not UTF-8 text")
  }

  @Test func responseCacheIsABooleanDefault() throws {
    #expect(try parse("defaults:\n  response_cache: true\n").defaults.responseCache == true)
    #expect(try parse("defaults:\n  response_cache: off\n").defaults.responseCache == false)
    let found = issues("defaults:\n  response_cache: sometimes\n")
    #expect(found.first?.message == "'response_cache' must be true or false, but found 'sometimes'")
    #expect(found.first?.line == 2)
  }
}

extension AgentsConfigLoaderTests {
  /// `run_code` asks before each run; `approve_tools` is an agent definition's documented consent to skip that.
  @Test func approveToolsLetsThoseCallsRunWithoutAsking() throws {
    let file = try parse(
      "agents:\n  - id: a\n    instructions: x\n    tools: [run_code, write_file]\n    approve_tools: [run_code]\n")
    let definition = try #require(file.agents.first)
    #expect(definition.approvedTools == ["run_code"])
    let agent = AgentFactory(catalog: AgentCatalog(configFile: file)).agent(for: definition)
    let approvals = agent.tools.map { ($0.name, $0.needsApproval.isNever) }
    #expect(approvals.map(\.0) == ["run_code", "write_file"])
    #expect(approvals.map(\.1) == [true, false])
    let asking = AgentFactory().agent(for: BuiltInAgents.codingAssistant())
    #expect(asking.tools.first { $0.name == "run_code" }?.needsApproval.isAlways == true)

    let found = issues("agents:\n  - id: a\n    instructions: x\n    approve_tools: [run_cod]\n")
    #expect(
      found.first?.message.contains("unknown tool 'run_cod' in approve_tools of agent 'a' (did you mean 'run_code'?)")
        == true)
  }
}
