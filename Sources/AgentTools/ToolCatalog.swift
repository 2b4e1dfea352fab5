/// The tools an agent may be given by name, in a configuration file or a built-in definition.
///
/// The calculator evaluates expressions with its own parser; the workspace tools read files under the
/// workspace root, and the two editing tools (`write_file`, `apply_patch`) write there only after a person
/// approved the call, with the diff shown first (``ToolApproval``). `run_code` runs a snippet the model wrote with
/// ``CodeRunner`` (confined: time, memory and output limits, no network, a cleared environment), also only after a
/// person approved it, with the code shown. None runs a shell command.
public enum BuiltInTool: String, Sendable, CaseIterable {
  /// Evaluates arithmetic with ``Calculator``.
  case calculator
  /// Lists files under the workspace root.
  case listFiles = "list_files"
  /// Reads a text file under the workspace root.
  case readFile = "read_file"
  /// Searches text files under the workspace root.
  case searchText = "search_text"
  /// Creates or replaces a text file under the workspace root; each call needs approval.
  case writeFile = "write_file"
  /// Applies a unified diff to a text file under the workspace root; each call needs approval.
  case applyPatch = "apply_patch"
  /// Runs a self-contained snippet (Swift, Python, JavaScript) and returns what it printed; each call needs
  /// approval unless the agent's definition approves it (`approve_tools`).
  case runCode = "run_code"

  /// Every tool name, in catalogue order.
  public static var allNames: [String] { allCases.map(\.rawValue) }
}

/// Builds the tools of the built-in catalogue (``BuiltInTool``) as SDK tools.
///
/// Tool failures (a bad expression, a path outside the workspace) are returned to the model as the
/// tool's output, phrased so it can correct itself; they never end the run.
public struct ToolCatalog: Sendable {
  /// The calculator the `calculator` tool uses.
  public var calculator: Calculator
  /// The workspace the file tools read, or why it could not be opened.
  public var workspace: Result<WorkspaceSandbox, WorkspaceError>
  /// What the `run_code` tool runs code with.
  public var codeRunner: CodeRunner

  /// Creates a catalogue whose file tools are confined to `workspaceRoot`.
  public init(workspaceRoot: String, calculator: Calculator = Calculator(), codeRunner: CodeRunner = CodeRunner()) {
    self.calculator = calculator
    self.codeRunner = codeRunner
    do {
      workspace = .success(try WorkspaceSandbox(root: workspaceRoot))
    } catch {
      workspace = .failure(error)
    }
  }

  /// The tools for `names`, in order; names outside the catalogue are skipped (the config loader
  /// already rejects them).
  public func tools(named names: [String]) -> [any Tool] {
    names.compactMap { BuiltInTool(rawValue: $0).map(tool) }
  }

  /// The SDK tool for one catalogue entry.
  public func tool(_ tool: BuiltInTool) -> any Tool {
    switch tool {
    case .calculator: calculatorTool()
    case .listFiles: listFilesTool()
    case .readFile: readFileTool()
    case .searchText: searchTextTool()
    case .writeFile: writeFileTool()
    case .applyPatch: applyPatchTool()
    case .runCode: runCodeTool()
    }
  }

  private func calculatorTool() -> FunctionTool {
    let calculator = self.calculator
    return FunctionTool(
      name: BuiltInTool.calculator.rawValue,
      description: "Calculate exactly. Use it for every calculation, even a simple one. It takes one expression "
        + "of numbers and + - * / ^ (power), % (15% of 80 is a percentage; 17 % 5 is the remainder), parentheses, "
        + "sqrt, sin, cos, tan (radians), log (base 10), ln, abs, round, floor, ceil, min, max, pi and e; no units.",
      parameters: ToolSchemas.object([
        ("expression", .string, "The expression, e.g. 17% of 2340 or (12.5 * 4) / 3", true)
      ])
    ) { arguments, _ in
      let expression = try ToolSchemas.requiredString("expression", in: arguments)
      do throws(CalculatorError) {
        return "\(expression) = \(try calculator.evaluateFormatted(expression))"
      } catch {
        return "Error: \(error.description). Fix the expression and call the calculator again."
      }
    }
  }

  private func listFilesTool() -> FunctionTool {
    let workspace = self.workspace
    return FunctionTool(
      name: BuiltInTool.listFiles.rawValue,
      description: "List the files and directories in the user's workspace (read-only). Use it only when the "
        + "question is about the user's own project. Paths are relative to the workspace root; '.' is the root.",
      parameters: ToolSchemas.object([
        ("path", .string, "Directory relative to the workspace root (default '.')", false),
        ("recursive", .boolean, "Also list subdirectories (default false)", false),
      ])
    ) { arguments, _ in
      WorkspaceToolOutput.run(workspace) { sandbox throws(WorkspaceError) in
        let path = arguments["path"]?.stringValue ?? "."
        let listing = try sandbox.listFiles(path, recursive: arguments["recursive"]?.boolValue ?? false)
        return WorkspaceToolOutput.render(listing, path: path)
      }
    }
  }

  private func readFileTool() -> FunctionTool {
    let workspace = self.workspace
    return FunctionTool(
      name: BuiltInTool.readFile.rawValue,
      description: "Read a text file in the user's workspace (read-only), with line numbers; optionally only "
        + "lines start_line to end_line. Use it only when the question is about the user's own files.",
      parameters: ToolSchemas.object([
        ("path", .string, "File path relative to the workspace root, e.g. Sources/main.swift", true),
        ("start_line", .integer, "First line to read (1-based, optional)", false),
        ("end_line", .integer, "Last line to read (inclusive, optional)", false),
      ])
    ) { arguments, _ in
      let path = try ToolSchemas.requiredString("path", in: arguments)
      return WorkspaceToolOutput.run(workspace) { sandbox throws(WorkspaceError) in
        let file = try sandbox.readFile(
          path, startLine: arguments["start_line"]?.intValue, endLine: arguments["end_line"]?.intValue)
        return WorkspaceToolOutput.render(file)
      }
    }
  }

  private func searchTextTool() -> FunctionTool {
    let workspace = self.workspace
    return FunctionTool(
      name: BuiltInTool.searchText.rawValue,
      description: "Search the text files in the user's workspace for a literal string (case-insensitive unless "
        + "case_sensitive is true); returns matching lines as path:line: text. Use it only for questions about "
        + "the user's own project.",
      parameters: ToolSchemas.object([
        ("query", .string, "The text to find", true),
        ("path", .string, "Directory or file to search, relative to the workspace root (default '.')", false),
        ("case_sensitive", .boolean, "Match case exactly (default false)", false),
      ])
    ) { arguments, _ in
      let query = try ToolSchemas.requiredString("query", in: arguments)
      return WorkspaceToolOutput.run(workspace) { sandbox throws(WorkspaceError) in
        let result = try sandbox.search(
          query, in: arguments["path"]?.stringValue ?? ".",
          caseSensitive: arguments["case_sensitive"]?.boolValue ?? false)
        return WorkspaceToolOutput.render(result, query: query)
      }
    }
  }
}
