import Foundation

/// The `agents` binary a benchmark starts (the one beside the benchmark, or `--agents PATH`), in a temporary home
/// with a configuration file whose agent `bench` matches the workload's agent without tools.
struct BenchmarkAgentsBinary {
  /// The binary's path.
  let binary: String
  /// The temporary directory: `agents.yaml`, `home/` and the logs.
  let directory: String

  /// The configuration file with the agent `bench`.
  var config: String { directory + "/agents.yaml" }

  /// `AGENTS_HOME` in the temporary directory and warnings-only logs.
  var variables: [String: String] { ["AGENTS_HOME": directory + "/home", "AGENTS_LOG_LEVEL": "warning"] }

  /// This process's environment with ``variables``.
  var environment: [String: String] { ProcessInfo.processInfo.environment.merging(variables) { $1 } }

  /// Finds the binary and writes the configuration into a fresh directory named after `purpose`.
  static func prepare(_ options: BenchmarkOptions, purpose: String) throws -> BenchmarkAgentsBinary {
    let binary =
      options.string("agents")
      ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("agents")
      .path
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(purpose)-bench-\(getpid())").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try """
    agents:
      - id: bench
        name: Weather
        instructions: "\(BenchmarkWorkload.instructions)"
        model: \(BenchmarkWorkload.modelName)
    """.write(toFile: directory + "/agents.yaml", atomically: true, encoding: .utf8)
    return BenchmarkAgentsBinary(binary: binary, directory: directory)
  }

  /// Starts `agents ARGUMENTS` and waits (up to 60 s) until its standard error says it listens at a URL matching
  /// `pattern` (a regular expression for the URL); returns the process and that URL. `instance` names the log
  /// (`<instance>.log`) and gives the process its own `AGENTS_HOME`, for several processes of one command.
  func startListening(
    _ arguments: [String], pattern: String, instance: String? = nil
  ) async throws -> (
    Process, String
  ) {
    let log = directory + "/\(instance ?? arguments.first ?? "agents").log"
    FileManager.default.createFile(atPath: log, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    process.environment = environment.merging(instance.map { ["AGENTS_HOME": directory + "/home-" + $0] } ?? [:]) {
      $1
    }
    process.standardError = FileHandle(forWritingAtPath: log)
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    for _ in 0..<3000 {
      let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
      if let range = text.range(of: "listening on " + pattern, options: .regularExpression) {
        return (process, String(text[range].dropFirst("listening on ".count)))
      }
      guard process.isRunning else {
        throw BenchmarkOptions.Problem(description: "agents \(arguments.joined(separator: " ")) exited:\n\(text)")
      }
      try await Task.sleep(for: .milliseconds(20))
    }
    process.terminate()
    throw BenchmarkOptions.Problem(description: "agents did not start listening within 60 s (log: \(log))")
  }
}
