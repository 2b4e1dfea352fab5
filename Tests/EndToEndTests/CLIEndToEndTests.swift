import Foundation
import Testing
import WireCore

/// The `agents` executable against a real llama-server, as a person or a script runs it.
///
/// Each test uses a private data directory and a configuration file with small agents (short answers keep
/// the tier fast on a CPU); the server, provider and model come from the command line.
@Suite(
  .enabled(if: EndToEndEnvironment.isEnabled, EndToEndEnvironment.skipReason), .serialized,
  .timeLimit(.minutes(10)))
struct CLIEndToEndTests {
  static let configuration = """
    agents:
      - id: e2e-short
        name: Short Answers
        instructions: You are a concise assistant.
        temperature: 0
        max_tokens: 24
      - id: e2e-bench
        name: Bench Writer
        instructions: You describe things in one sentence.
        temperature: 0
        max_tokens: 64
    """

  /// Runs `agents arguments… --config … --base-url … --provider openai --model …` in a fresh directory.
  func agents(_ arguments: [String]) async throws -> CLIProcess.Result {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("agents-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let configFile = directory.appendingPathComponent("agents.yaml")
    try Self.configuration.write(to: configFile, atomically: true, encoding: .utf8)
    let common = [
      "--config", configFile.path, "--base-url", try EndToEndEnvironment.requireBaseURL(), "--provider", "openai",
      "--model", EndToEndEnvironment.model,
    ]
    return try await CLIProcess.locate().run(
      arguments + common,
      environment: ["AGENTS_HOME": directory.appendingPathComponent("data").path, "NO_COLOR": "1"],
      in: directory)
  }

  /// The last line of standard output parsed as JSON.
  func lastJSONLine(_ result: CLIProcess.Result) throws -> JSONValue {
    let line = try #require(result.standardOutput.split(separator: "\n").last, "no output: \(result.transcript)")
    return try JSONValue.parse(Array(line.utf8))
  }

  @Test func askPrintsAnAnswer() async throws {
    let result = try await agents(["ask", "--agent", "e2e-short", "Name three primary colors."])
    #expect(result.exitCode == 0, "\(result.transcript)")
    #expect(!result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(result.transcript)")
  }

  @Test func askJSONReportsTheResultWithUsage() async throws {
    let result = try await agents(["ask", "--agent", "e2e-short", "--json", "Name three primary colors."])
    #expect(result.exitCode == 0, "\(result.transcript)")
    let json = try lastJSONLine(result)
    #expect(json["success"] == true)
    #expect(json["error"] == .null)
    #expect(json["agent_name"] == "Short Answers")
    #expect(json["user_input"] == "Name three primary colors.")
    #expect(json["model"]?.stringValue == EndToEndEnvironment.model)
    #expect(json["turns"] == 1)
    let finalOutput = try #require(json["final_output"]?.stringValue)
    #expect(!finalOutput.isEmpty)
    #expect((json["usage"]?["input_tokens"]?.intValue ?? 0) > 0)
    #expect((json["usage"]?["output_tokens"]?.intValue ?? 0) > 0)
  }

  @Test func doctorFindsTheServerAndTheModelHealthy() async throws {
    let result = try await agents(["doctor", "--json"])
    #expect(result.exitCode == 0, "\(result.transcript)")
    let report = try lastJSONLine(result)
    #expect(report["healthy"] == true, "\(result.transcript)")
    let checks = try #require(report["checks"]?.arrayValue)
    let status = Dictionary(
      checks.compactMap { check in check["name"]?.stringValue.map { ($0, check["status"]?.stringValue ?? "") } },
      uniquingKeysWith: { first, _ in first })
    #expect(status["server reachable"] == "ok")
    #expect(status["default model installed"] == "ok")
    #expect(!status.values.contains("error"), "\(result.transcript)")
    // Which server and model a person is talking to: the local model server is llama.cpp with a GGUF file
    // whose chat template handles tools.
    let detail = Dictionary(
      checks.compactMap { check in check["name"]?.stringValue.map { ($0, check["detail"]?.stringValue ?? "") } },
      uniquingKeysWith: { first, _ in first })
    #expect(detail["server reachable"]?.hasPrefix("llama.cpp at ") == true, "\(result.transcript)")
    #expect(detail["default model installed"]?.contains(" parameters, ") == true, "\(result.transcript)")
    #expect(detail["default model installed"]?.contains(".gguf)") == true, "\(result.transcript)")
    #expect(status["tool support"] == "ok", "\(result.transcript)")
  }

  @Test func benchRunsFiveTimesWithoutErrorsAndRecordsTheTimings() async throws {
    let result = try await agents(["bench", "--agent", "e2e-bench", "--runs", "5", "--json"])
    #expect(result.exitCode == 0, "\(result.transcript)")
    let report = try lastJSONLine(result)
    #expect(report["runs"] == 5)
    #expect(report["errors"] == 0, "\(result.transcript)")
    #expect((report["ttft_p50_ms"]?.doubleValue ?? 0) > 0)
    // Every run's total latency includes its time to first token, so the medians are ordered the same way.
    #expect((report["p50_ms"]?.doubleValue ?? 0) >= (report["ttft_p50_ms"]?.doubleValue ?? .infinity))
    #expect((report["tokens_per_second"]?.doubleValue ?? 0) > 0)
    #expect((report["output_tokens"]?.intValue ?? 0) > 0)
    if let path = EndToEndEnvironment.resultsPath {
      try TimingsReport(bench: report).write(to: URL(fileURLWithPath: path))
    }
  }
}
