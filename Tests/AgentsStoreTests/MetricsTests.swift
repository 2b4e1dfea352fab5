import AgentsStore
import Foundation
import Testing

@Suite("Metrics")
struct MetricsTests {
  @Test("a run emits run, failure, token, tool and latency metrics in Prometheus format")
  func runMetrics() {
    let exporter = PrometheusExporter()
    let recorder = exporter.recorder
    var ok = RunStoreTests.run("1", agent: "writer", model: "qwen3", milliseconds: 1500, tools: ["search", "search"])
    ok.inputTokens = 120
    ok.outputTokens = 30
    recorder.record(ok)
    recorder.record(RunStoreTests.run("2", agent: "writer", model: "qwen3", succeeded: false, errorKind: "timeout"))

    let text = exporter.render()
    #expect(text.contains(#"agents_runs_total{agent="writer",model="qwen3"} 2"#))
    #expect(text.contains(#"agents_run_failures_total{agent="writer",model="qwen3",kind="timeout"} 1"#))
    #expect(text.contains(#"agents_tokens_total{agent="writer",model="qwen3",direction="input"} 120"#))
    #expect(text.contains(#"agents_tokens_total{agent="writer",model="qwen3",direction="output"} 30"#))
    #expect(text.contains(#"agents_tool_calls_total{agent="writer",tool="search"} 2"#))
    #expect(text.contains(#"agents_run_duration_seconds_count{agent="writer",model="qwen3"} 2"#))
    #expect(text.contains(#"agents_run_duration_seconds_sum{agent="writer",model="qwen3"} 1.6"#))
  }

  @Test("a cached run counts as a run but not as latency")
  func cachedRun() {
    let exporter = PrometheusExporter()
    exporter.recorder.record(RunStoreTests.run("c", agent: "a", model: "m", cached: true))
    let text = exporter.render()
    #expect(text.contains(#"agents_runs_total{agent="a",model="m"} 1"#))
    #expect(!text.contains("agents_run_duration_seconds_count"))
  }

  @Test("conversations, retries and cache use are counted")
  func gaugesAndCounters() {
    let exporter = PrometheusExporter()
    let recorder = exporter.recorder
    recorder.conversationStarted()
    recorder.conversationStarted()
    recorder.conversationEnded()
    recorder.recordRetry(model: "m", reason: "server_unreachable")
    recorder.recordCacheHit(model: "m")
    recorder.recordCacheStore(model: "m")
    recorder.recordCacheStore(model: "m")
    let text = exporter.render()
    #expect(text.contains("agents_active_conversations 1"))
    #expect(text.contains(#"agents_model_retries_total{model="m",reason="server_unreachable"} 1"#))
    #expect(text.contains(#"agents_cache_hits_total{model="m"} 1"#))
    #expect(text.contains(#"agents_cache_stores_total{model="m"} 2"#))
    #expect(PrometheusExporter.contentType.hasPrefix("text/plain; version=0.0.4"))
  }
}
