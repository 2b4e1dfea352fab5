import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

/// Numbers and URLs a careless user types end in a clear usage error, never a trap or a wrong request.
@Suite(.serialized) struct BadInputCLITests {
  static func expectUsageError(
    _ output: AgentsBinary.Output, mentions text: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(output.status == 64 || output.status == 65, "\(output.status): \(output.stderr)", sourceLocation: sourceLocation)
    #expect(output.stderr.hasPrefix("agents: error:"), "\(output.stderr)", sourceLocation: sourceLocation)
    #expect(output.stderr.contains(text), "\(output.stderr)", sourceLocation: sourceLocation)
    #expect(!output.stderr.contains("Fatal error"), sourceLocation: sourceLocation)
    #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)", sourceLocation: sourceLocation)
  }

  @Test(arguments: ["1e20", "9.3e15", "1e308", "0", "-1", "nan", "inf", "0.0001"])
  func timeoutsOutOfRangeAreUsageErrors(_ value: String) async throws {
    let agents = try AgentsBinary()
    let output = try await agents.run(["ask", "--timeout=\(value)", "--base-url", "http://127.0.0.1:9/v1", "hi"])
    Self.expectUsageError(output, mentions: "between 0.001 and 86400")
  }

  @Test func benchRunsAndConcurrencyAreBounded() async throws {
    let agents = try AgentsBinary()
    let huge = "9223372036854775807"
    let runs = try await agents.run(["bench", "--runs", huge, "--concurrency", huge, "--base-url", "http://127.0.0.1:9/v1"])
    Self.expectUsageError(runs, mentions: "between 1 and 100000")
    let concurrency = try await agents.run(["bench", "--runs", "10", "--concurrency", huge])
    Self.expectUsageError(concurrency, mentions: "between 1 and 1024")
  }

  @Test(arguments: ["http://127.0.0.1:9/v1?x=1", "http://127.0.0.1:9/v1#frag", "http://127.0.0.1:9/v1?key=secret123"])
  func aBaseURLWithAQueryOrFragmentIsRefused(_ url: String) async throws {
    let agents = try AgentsBinary()
    let output = try await agents.run(["ask", "--base-url", url, "hi"])
    Self.expectUsageError(output, mentions: "query ('?…') or fragment ('#…')")
    #expect(!output.stderr.contains("secret123"))
  }

  /// `https://` against a plain-HTTP server says so in words instead of printing a TLS library error, and is not
  /// retried (it fails the same way every time; against llama-server each attempt waited out the handshake).
  @Test func httpsAgainstAPlainHTTPServerIsExplained() async throws {
    try await withServer { server, agents in
      let output = try await agents.run(
        ["ask", "--verbose", "--context-length", "4096", "--base-url", "https://127.0.0.1:\(server.port)/v1", "hi"])
      #expect(output.status == 69, "\(output.stderr)")
      #expect(output.stderr.contains("use http:// instead of https://"), "\(output.stderr)")
      #expect(!output.stderr.contains("Retrying"), "\(output.stderr)")
      #expect(!output.stderr.contains("BoringSSL") && !output.stderr.contains("NIOSSL"), "\(output.stderr)")
    }
  }
}
