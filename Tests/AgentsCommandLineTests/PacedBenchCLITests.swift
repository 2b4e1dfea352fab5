import AgentsTesting
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `agents bench --paced`: one run per line of input, each run's times printed as it ends.
@Suite(.serialized) struct PacedBenchCLITests {
  @Test func eachLineStartsOneRunAndTheEndOfInputStopsThem() async throws {
    try await withServer { server, agents in
      server.setDefaultReply { _ in .text("The sea is wide.", chunkSize: 4) }
      let output = try await agents.run(
        ["bench", "--base-url", server.openAIBaseURL, "--runs", "5", "--paced", "--json"], stdin: "\n\ngo\n")
      #expect(output.status == 0, "\(output.stderr)")
      let lines = try output.stdout.split(separator: "\n").map { try JSONValue.parse(String($0)) }
      #expect(lines.count == 4)
      #expect(server.requests(to: "/v1/chat/completions").count == 3)
      for (index, line) in lines.dropLast().enumerated() {
        #expect(line["run"] == .int(index + 1))
        let (whole, first) = (line["ms"]?.doubleValue ?? 0, line["ttft_ms"]?.doubleValue ?? 0)
        #expect(first > 0 && first <= whole, "\(line)")
      }
      let report = try #require(lines.last)
      #expect(report["runs"] == 3)
      #expect(report["errors"] == 0)
      #expect(report["concurrency"] == 1)
    }
  }

  @Test func aFailedRunPrintsItsErrorAndTheNextLineStillRuns() async throws {
    try await withServer { server, agents in
      server.inject(.error(status: 400, message: "bad request"), on: "/v1/chat/completions")
      server.enqueue(.text("Second."))
      let output = try await agents.run(
        ["bench", "--base-url", server.openAIBaseURL, "--runs", "2", "--paced", "--json"], stdin: "\n\n\n")
      let lines = try output.stdout.split(separator: "\n").map { try JSONValue.parse(String($0)) }
      #expect(lines.count == 3, "\(output.stdout)")
      #expect(lines.first?["error"]?.stringValue?.contains("bad request") == true, "\(output.stdout)")
      #expect(lines.dropFirst().first?["ms"]?.doubleValue != nil)
      #expect(lines.last?["runs"] == 2)
      #expect(lines.last?["errors"] == 1)
      #expect(output.status == 0)
    }
  }

  @Test func pacedNeedsJSONAndOneRunAtATime() async throws {
    let agents = try AgentsBinary()
    let text = try await agents.run(["bench", "--paced", "--base-url", "http://127.0.0.1:9/v1"])
    #expect(text.status == 64)
    #expect(text.stderr.contains("--paced prints each run's times as JSON lines; add --json"))
    let concurrent = try await agents.run(
      ["bench", "--paced", "--json", "--concurrency", "2", "--base-url", "http://127.0.0.1:9/v1"])
    #expect(concurrent.status == 64)
    #expect(concurrent.stderr.contains("paced runs run one at a time"))
  }

  @Test func ctrlCEndsAPacedBenchThatWaitsForItsNextLine() async throws {
    let server = try await FakeOllamaServer.start()
    let agents = try AgentsBinary()
    server.setDefaultReply { _ in .text("The sea is wide.") }
    let pace = agents.home.path + "/pace"
    #expect(mkfifo(pace, 0o600) == 0)
    let writer = open(pace, O_RDWR)  // held open: the bench waits for a line instead of reaching the end
    defer { close(writer) }
    let outputPath = agents.home.path + "/paced.out"
    #expect(FileManager.default.createFile(atPath: outputPath, contents: nil))
    let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
    let bench = try agents.start(
      ["bench", "--base-url", server.openAIBaseURL, "--runs", "5", "--paced", "--json"], stdout: output,
      launcher: ["/bin/bash", "-c", "exec \"$0\" \"$@\" < \"\(pace)\""])
    #expect(write(writer, "\n", 1) == 1)
    while !((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "").contains("\n") {
      try await Task.sleep(for: .milliseconds(10))
    }
    bench.interrupt()
    let finished = try await bench.finish()
    #expect(finished.status == 130)
    #expect(finished.stderr == "agents: error: interrupted\n")
    #expect(server.requests(to: "/v1/chat/completions").count == 1)
    try await server.shutdown()
  }
}
