import CoreMetrics

/// The names and dimensions of every metric ollama-agents emits, in one place.
///
/// All are no-ops until the application bootstraps a swift-metrics backend (for example with
/// ``PrometheusExporter/bootstrap()``).
public enum AgentsMetrics {
  /// Counter of finished runs; dimensions `agent`, `model`.
  public static let runs = "agents_runs_total"
  /// Counter of failed runs; dimensions `agent`, `model`, `kind` (the run record's error kind).
  public static let failures = "agents_run_failures_total"
  /// Timer of whole-run latency; dimensions `agent`, `model`.
  public static let runDuration = "agents_run_duration_seconds"
  /// Timer of time to first streamed token; dimensions `agent`, `model`.
  public static let timeToFirstToken = "agents_time_to_first_token_seconds"
  /// Counter of tokens; dimensions `agent`, `model`, `direction` (`input` or `output`).
  public static let tokens = "agents_tokens_total"
  /// Counter of tool calls; dimensions `agent`, `tool`.
  public static let toolCalls = "agents_tool_calls_total"
  /// Meter of conversations in progress; no dimensions.
  public static let activeConversations = "agents_active_conversations"
  /// Counter of model request retries; dimensions `model`, `reason`.
  public static let retries = "agents_model_retries_total"
  /// Counter of model responses answered from the local cache; dimension `model`.
  public static let cacheHits = "agents_cache_hits_total"
  /// Counter of model responses stored in the local cache; dimension `model`.
  public static let cacheStores = "agents_cache_stores_total"
}

/// Emits the metrics in ``AgentsMetrics`` to a swift-metrics factory (the bootstrapped global one by default).
public struct AgentsMetricsRecorder: Sendable {
  private let factory: any MetricsFactory

  /// Creates a recorder that emits to `factory`.
  public init(factory: any MetricsFactory = MetricsSystem.factory) {
    self.factory = factory
  }

  /// Emits the counters and timers for one finished run.
  public func record(_ run: RunRecord) {
    let dimensions = [("agent", run.agent), ("model", run.model)]
    Counter(label: AgentsMetrics.runs, dimensions: dimensions, factory: factory).increment()
    if !run.succeeded {
      Counter(
        label: AgentsMetrics.failures, dimensions: dimensions + [("kind", run.errorKind ?? "unknown")],
        factory: factory
      ).increment()
    }
    if !run.servedFromCache {
      Timer(label: AgentsMetrics.runDuration, dimensions: dimensions, factory: factory).record(duration: run.duration)
      if let firstToken = run.timeToFirstToken {
        Timer(label: AgentsMetrics.timeToFirstToken, dimensions: dimensions, factory: factory)
          .record(duration: firstToken)
      }
    }
    for (direction, count) in [("input", run.inputTokens), ("output", run.outputTokens)] where count > 0 {
      Counter(label: AgentsMetrics.tokens, dimensions: dimensions + [("direction", direction)], factory: factory)
        .increment(by: count)
    }
    for tool in run.toolCalls {
      Counter(label: AgentsMetrics.toolCalls, dimensions: [("agent", run.agent), ("tool", tool)], factory: factory)
        .increment()
    }
  }

  /// Counts one retried model request.
  public func recordRetry(model: String, reason: String) {
    Counter(label: AgentsMetrics.retries, dimensions: [("model", model), ("reason", reason)], factory: factory)
      .increment()
  }

  /// Counts one response answered from the local cache.
  public func recordCacheHit(model: String) {
    Counter(label: AgentsMetrics.cacheHits, dimensions: [("model", model)], factory: factory).increment()
  }

  /// Counts one response stored in the local cache.
  public func recordCacheStore(model: String) {
    Counter(label: AgentsMetrics.cacheStores, dimensions: [("model", model)], factory: factory).increment()
  }

  /// Marks a conversation as started (raises the active conversations meter).
  public func conversationStarted() {
    Meter(label: AgentsMetrics.activeConversations, factory: factory).increment()
  }

  /// Marks a conversation as ended (lowers the active conversations meter).
  public func conversationEnded() {
    Meter(label: AgentsMetrics.activeConversations, factory: factory).decrement()
  }
}

extension Timer {
  /// Records a Swift `Duration`.
  fileprivate func record(duration: Duration) {
    let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    recordNanoseconds(nanoseconds)
  }
}
