import Testing

@testable import AgentsCommandLine

@Suite struct GlobalArgumentsTests {
  func extract(_ arguments: [String]) throws -> (values: [String: String], rest: [String]) {
    let (options, rest) = try GlobalArguments.extract(arguments)
    return (options.values, rest)
  }

  @Test func takesGlobalSettingsFromAnywhereBeforeTheTerminator() throws {
    let leading = try extract(["--model", "x", "--verbose", "ask", "hi"])
    #expect(leading.values == ["model": "x", "verbose": "1"])
    #expect(leading.rest == ["ask", "hi"])
    let trailing = try extract(["ask", "--timeout=5", "hi", "--max-input-chars", "9"])
    #expect(trailing.values == ["timeout": "5", "max_input_chars": "9"])
    #expect(trailing.rest == ["ask", "hi"])
    let terminated = try extract(["--config", "a.yaml", "ask", "--", "--model", "-x"])
    #expect(terminated.values == ["config": "a.yaml"])
    #expect(terminated.rest == ["ask", "--", "--model", "-x"])
  }

  /// Every option of the settings table is global, including the ones the old hand-written list lacked
  /// (`agents --context-length 8192 list`, `agents --no-cache list` were "Unknown option").
  @Test func everyOptionInTheTableIsGlobal() throws {
    for setting in Setting.all {
      guard let option = setting.option else { continue }
      let arguments = setting.kind == .flag ? [option, "list"] : [option, setting.example, "list"]
      let (values, rest) = try extract(arguments)
      #expect(values[setting.key] != nil, "\(option)")
      #expect(rest == ["list"], "\(option)")
    }
    #expect(try extract(["--no-cache", "list"]).values == ["response_cache": "0"])
    #expect(try extract(["--cache", "list"]).values == ["response_cache": "1"])
  }

  /// `-o` is the short form of `--option`; its pairs add up instead of replacing each other.
  @Test func modelOptionsAddUp() throws {
    let (values, rest) = try extract(["ask", "-o", "top_k=40", "hi", "--option=seed=7", "-o", "stop=[\"END\"]"])
    #expect(rest == ["ask", "hi"])
    #expect(values["model_options"] == ["top_k=40", "seed=7", "stop=[\"END\"]"].joined(separator: "\u{0}"))
    #expect(
      Setting.modelOptions.parse(values["model_options"] ?? "")
        == .success(.pairs(["top_k=40", "seed=7", "stop=[\"END\"]"])))
    #expect(
      Setting.modelOptions.parse(#"{"top_k": 40, "stop": ["a"]}"#) == .success(.pairs(["top_k=40", #"stop=["a"]"#])))
    #expect(try extract(["ask", "-", "-5"]).rest == ["ask", "-", "-5"])
  }

  @Test func leavesOtherArgumentsAlone() throws {
    #expect(
      try extract(["ask", "--agent", "math", "--json", "hi"]).rest == ["ask", "--agent", "math", "--json", "hi"])
    #expect(try extract(["--help"]).rest == ["--help"])
    #expect(try extract(["--model", "x"]).rest == [])
  }

  @Test func aMissingValueOrAValuedFlagIsAUsageError() {
    let missing = #expect(throws: AppError.self) { try GlobalArguments.extract(["ask", "hi", "--model"]) }
    #expect(missing?.code == .usage)
    #expect(missing?.message.contains("--model") == true)
    let valued = #expect(throws: AppError.self) { try GlobalArguments.extract(["--verbose=yes", "list"]) }
    #expect(valued?.code == .usage)
  }

  @Test func unknownOptionsGetASuggestionFromTheTable() {
    #expect(GlobalArguments.suggestion(for: "Unknown option '--modle'") == " (did you mean '--model'?)")
    #expect(GlobalArguments.suggestion(for: "Unknown option '--zzzzzz'") == "")
    #expect(GlobalArguments.suggestion(for: "Missing expected argument") == "")
  }
}
