import Foundation
import Testing

@testable import AgentTools

/// `run_code`'s runner on this machine's interpreters: limits, exit status, output as data, no network, a clean
/// environment. Each test needs python3 (or swift) on `PATH` and an unprivileged network namespace.
@Suite(.enabled(if: CodeRunner().interpreters[.python] != nil, "python3 is not installed"))
struct CodeRunnerTests {
  /// A limit far above what the snippets need, so that a loaded machine (the whole suite in parallel) never makes
  /// one time out; the time-limit test has its own.
  let runner = CodeRunner(configuration: .init(timeLimit: 60, outputLimit: 1000))

  @Test func theTimeLimitKillsTheProgramAndWhatItStarted() async throws {
    let runner = CodeRunner(configuration: .init(timeLimit: 2, outputLimit: 1000))
    let started = ContinuousClock.now
    let code = """
      import subprocess, sys, time
      child = subprocess.Popen(["sleep", "60"])
      print(child.pid, flush=True)
      time.sleep(60)
      """
    let run = await runner.run(code, language: .python)
    #expect(run.ending == .timedOut(2))
    #expect(ContinuousClock.now - started < .seconds(10))
    #expect(run.report.hasPrefix("stopped: still running after 2 s, so it was killed"))
    // The `sleep` it started was killed with it (gone, or a zombie waiting for its reaper).
    let pid = try #require(Int32(run.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)))
    var state: Substring?
    for _ in 0..<20 {  // the kill is delivered at once, the exit shows up in /proc a moment later
      state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: " ")[2]
      if state == nil || state == "Z" { break }
      try await Task.sleep(for: .milliseconds(100))
    }
    #expect(state == nil || state == "Z", "state \(state ?? "")")
  }

  @Test func outputBeyondTheLimitIsCutAndSaidSo() async {
    let run = await runner.run("print('x' * 100000)\nimport sys\nprint('y' * 5000, file=sys.stderr)", language: .python)
    #expect(run.ending == .exited(0))
    #expect(run.truncated)
    #expect(run.standardOutput == String(repeating: "x", count: 1000))
    #expect(run.standardError == String(repeating: "y", count: 1000))
    #expect(run.report.hasSuffix("(output cut: only the first part is shown)"))
  }

  @Test func theExitStatusAndErrorsAreReported() async {
    let failed = await runner.run("import sys\nprint('before')\nsys.exit(3)", language: .python)
    #expect(failed.ending == .exited(3))
    #expect(failed.report == "exit status: 3 (failed)\nstdout:\nbefore")
    let raised = await runner.run("[1, 2][5]", language: .python)
    #expect(raised.ending == .exited(1))
    #expect(raised.standardError.contains("IndexError: list index out of range"))
    let silent = await runner.run("x = 1", language: .python)
    #expect(silent.report == "No result: it printed nothing.\nexit status: 0\n(it printed nothing)")
  }

  @Test func aRunThatTellsNothingAboutTheCodeSaysSo() async {
    let fragment = await runner.run("for x in items:\n    print(x)", language: .python)
    #expect(fragment.toldNothing == "the code uses 'items', which it does not define")
    #expect(fragment.report.hasPrefix("No result: the code uses 'items', which it does not define.\nexit status: 1"))
    let silent = await runner.run("def f(n):\n    return n % 2 == 1", language: .python)
    #expect(silent.toldNothing == "it printed nothing")
    // An error the code itself raises, or output, is a result.
    #expect(await runner.run("[1][3]", language: .python).toldNothing == nil)
    #expect(await runner.run("print(1)", language: .python).toldNothing == nil)
  }

  @Test func controlSequencesAreRemovedWhole() async {
    let code = #"print("\x1b[31mred\x1b[0m \x1b]0;title\x07ok\x1b]52;c;aGk=\x1b\\ \x07bell\rline")"#
    let run = await runner.run(code, language: .python)
    #expect(run.standardOutput == "red ok bell\nline\n")
    #expect(!run.report.contains("\u{1B}"))
  }

  @Test func theCodeHasNoNetworkAndNoneOfTheUsersEnvironment() async {
    setenv("AGENTS_TEST_SECRET", "s3cret", 1)
    let environment = await runner.run("import os\nprint(sorted(os.environ))\nprint(os.getcwd())", language: .python)
    #expect(!environment.standardOutput.contains("AGENTS_TEST_SECRET"))
    // What the interpreter sets itself may be there too (a pyenv shim adds PYENV_*); nothing of this process's.
    for name in ["'HOME'", "'LANG'", "'PATH'", "'TMPDIR'"] { #expect(environment.standardOutput.contains(name)) }
    #expect(environment.standardOutput.contains("/tmp/agents-run-"))
    let network = await runner.run(
      "import socket\nsocket.create_connection(('127.0.0.1', 9), timeout=1)", language: .python)
    #expect(network.ending == .exited(1))
    #expect(network.standardError.contains("Network is unreachable"))
  }

  @Test func theRunsDirectoryIsRemovedAndALanguageWithoutInterpreterIsNotRun() async {
    let run = await runner.run("import os\nprint(os.getcwd())", language: .python)
    let directory = run.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(directory.hasPrefix("/tmp/agents-run-"))
    #expect(!FileManager.default.fileExists(atPath: directory))
    let nowhere = CodeRunner(path: "/nonexistent")
    #expect(nowhere.languages.isEmpty)
    let refused = await nowhere.run("print(1)", language: .python)
    #expect(refused.report == "The code did not run: python3 is not installed here, so python cannot be run.")
  }

  @Test(.enabled(if: CodeRunner().interpreters[.swift] != nil, "swift is not installed"))
  func swiftRunsInInterpreterModeAndItsCrashReportIsLeftOut() async {
    let runner = CodeRunner(configuration: .init(timeLimit: 60))
    let printed = await runner.run("print([1, 2, 3].map { $0 * 2 })", language: .swift)
    #expect(printed.report == "exit status: 0\nstdout:\n[2, 4, 6]")
    let crashed = await runner.run("let items = [1, 2]\nprint(items[2])", language: .swift)
    guard case .crashed = crashed.ending else {
      Issue.record("expected a crash, got \(crashed.ending)")
      return
    }
    #expect(crashed.standardError.contains("Fatal error: Index out of range"))
    #expect(!crashed.standardError.contains("swift-frontend"))
  }

  @Test func theToolAsksForApprovalShowsTheCodeAndRunsIt() async throws {
    let catalog = ToolCatalog(workspaceRoot: ".", codeRunner: runner)
    let tool = try #require(catalog.tool(.runCode) as? FunctionTool)
    #expect(tool.needsApproval.isAlways)
    let schema = tool.definition.parameters.value
    #expect(schema["properties"]?["language"]?["enum"]?.arrayValue?.contains("python") == true)
    #expect(catalog.codeRunningTool.languages.contains("python"))
    #expect(try await call(tool, #"{"language": "python", "code": "print(6 * 7)"}"#) == "exit status: 0\nstdout:\n42")
    // A language outside the schema's list is refused before anything runs.
    await #expect(throws: ToolArgumentsError.self) {
      try await call(tool, #"{"language": "cobol", "code": "DISPLAY 1"}"#)
    }
  }
}
