extension ToolCatalog {
  /// The runner's settings for ``Runner/Configuration/codeRunningTool``: the `run_code` tool and the languages
  /// this machine has interpreters for.
  public var codeRunningTool: Runner.Configuration.CodeRunningTool {
    Runner.Configuration.CodeRunningTool(
      name: BuiltInTool.runCode.rawValue, languages: Set(codeRunner.languages.map(\.rawValue)))
  }

  /// `run_code`: runs a snippet with ``CodeRunner`` after a person approved it (the code is the preview) and
  /// returns the exit status and output as text. Its `language` argument lists only the languages this machine
  /// can run.
  func runCodeTool() -> FunctionTool {
    let runner = codeRunner
    let languages = runner.languages.map(\.rawValue)
    let limit = runner.configuration.timeLimit
    let seconds = limit == limit.rounded() ? "\(Int(limit))" : "\(limit)"
    let schema = JSONSchema(
      .object([
        "type": "object",
        "properties": .object([
          "language": .object([
            "type": "string", "enum": .array(languages.map { .string($0) }),
            "description": "The language of the code",
          ]),
          "code": .object([
            "type": "string",
            "description": .string(
              "A complete program: define every variable it uses with example values, and print what you want to see"
            ),
          ]),
        ]),
        "required": .array([.string("language"), .string("code")]),
        "additionalProperties": false,
      ]))
    let approval = ToolApproval.always.previewing { request in
      let language = request.arguments["language"]?.stringValue ?? "?"
      return "\(language) code to run (no network, \(seconds) s limit):\n"
        + (request.arguments["code"]?.stringValue ?? request.call.arguments)
    }
    return FunctionTool(
      name: BuiltInTool.runCode.rawValue,
      description: "Run a short, self-contained program and see what it prints, its errors and its exit status. "
        + "Use it to check what code prints or returns, or whether it fails. It runs without network and is "
        + "stopped after \(seconds) seconds; the user approves each run.",
      parameters: schema, needsApproval: approval
    ) { arguments, _ in
      let code = try ToolSchemas.requiredString("code", in: arguments)
      let name = try ToolSchemas.requiredString("language", in: arguments)
      guard let language = CodeRunner.Language(rawValue: name.lowercased()), languages.contains(language.rawValue)
      else {
        return "Error: '\(name)' cannot be run here; the languages are \(languages.joined(separator: ", "))."
      }
      return await runner.runFillingIn(code, language: language)
    }
  }
}
