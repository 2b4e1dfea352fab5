import AgentsTesting
import Foundation
import Synchronization
import Testing
import TestSupport

@testable import AgentsCommandLine

/// Metrics the application feeds: the active-conversations gauge, retries at the wire layer, run counters.
@Suite struct ObservabilityTests {
  /// Lines from a script that also records the metrics exposition each time the chat asks for a line.
  final class ObservingLineInput: LineInput {
    private let lines: Mutex<[String]>
    private let snapshots = Mutex<[String]>([])
    private let exporter: PrometheusExporter

    init(lines: [String], exporter: PrometheusExporter) {
      self.lines = Mutex(lines)
      self.exporter = exporter
    }

    var renderedWhileReading: [String] { snapshots.withLock { $0 } }

    func readLine(prompt: String) async -> InputEvent {
      snapshots.withLock { $0.append(exporter.render()) }
      return lines.withLock { $0.isEmpty ? .end : .line($0.removeFirst()) }
    }
  }

  @Test func aChatHoldsTheActiveConversationsGaugeWhileItRunsAndCountsItsRuns() async throws {
    let exporter = PrometheusExporter()
    let test = TestServices(steps: [.text("Hello.")], metrics: exporter.recorder)
    let input = ObservingLineInput(lines: ["hi"], exporter: exporter)
    let chat = try ChatManager(services: test.services, input: input, options: .init(agentID: "creative", interactive: false))
    #expect(await chat.run() == 0)
    #expect(input.renderedWhileReading.count == 2)
    #expect(input.renderedWhileReading.allSatisfy { $0.contains("agents_active_conversations 1") })
    let after = exporter.render()
    #expect(after.contains("agents_active_conversations 0"))
    #expect(after.contains(#"agents_runs_total{agent="Creative Writer",model="scripted"} 1"#))
  }

  @Test func retriesAtTheWireLayerAreCountedPerModelAndReason() async throws {
    let server = try await FakeOllamaServer.start()
    let home = try TemporaryDirectory()
    let exporter = PrometheusExporter()
    let out = CapturingSink()
    let err = CapturingSink()
    do {
      server.inject(.error(status: 503, message: "server busy"), on: "/v1/chat/completions")
      server.enqueue(.text("Hello after a retry."))
      let services = try AppBootstrap.services(
        options: GlobalOptions(baseURL: server.openAIBaseURL), environment: ["AGENTS_HOME": home.path],
        capabilities: .plain, console: Console(out: out, err: err, style: TextStyle(enabled: false), interactive: false),
        metrics: exporter.recorder)
      let status = await AskCommand(services: services, readStandardInput: { "" })
        .run(.init(agentID: "creative", prompt: ["hi"]))
      #expect(status == 0, "\(err.text)")
      #expect(out.text == "Hello after a retry.\n")
      let text = exporter.render()
      #expect(text.contains(#"agents_model_retries_total{model="llama3.2",reason="http_status"} 1"#), "\(text)")
      #expect(text.contains(#"agents_runs_total{agent="Creative Writer",model="llama3.2"} 1"#))
    } catch {
      try await server.shutdown()
      throw error
    }
    try await server.shutdown()
  }
}
