import CoreMetrics
import Prometheus

/// Collects ollama-agents metrics in a Prometheus registry and renders them in the text exposition format, for
/// applications that want to serve a `/metrics` endpoint.
public struct PrometheusExporter: Sendable {
  /// The `Content-Type` of the text exposition format.
  public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

  /// The registry the metrics are collected in.
  public let registry: PrometheusCollectorRegistry
  /// The swift-metrics factory that feeds the registry.
  public let factory: PrometheusMetricsFactory

  /// Creates an exporter over `registry` (a fresh one by default).
  public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
    self.registry = registry
    self.factory = PrometheusMetricsFactory(registry: registry)
  }

  /// Makes this exporter the process-wide swift-metrics backend; swift-metrics allows this once per process.
  public func bootstrap() {
    MetricsSystem.bootstrap(factory)
  }

  /// A recorder that emits straight to this exporter, without touching the global backend.
  public var recorder: AgentsMetricsRecorder { AgentsMetricsRecorder(factory: factory) }

  /// Renders every collected metric in the Prometheus text exposition format.
  public func render() -> String {
    registry.emitToString()
  }
}
