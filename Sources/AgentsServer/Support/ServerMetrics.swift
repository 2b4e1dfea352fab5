import AgentsStore
import CoreMetrics

/// The metrics of `agents serve` itself, beside the run metrics in ``AgentsMetrics``.
public enum ServerMetrics {
  /// Gauge of agent runs in progress; no dimensions.
  public static let running = "agents_serve_running_requests"
  /// Gauge of requests waiting for a run slot; no dimensions.
  public static let queued = "agents_serve_queued_requests"
  /// Counter of requests refused with 429 because the queue was full; no dimensions.
  public static let rejected = "agents_serve_rejected_total"

  /// Sets the gauges from the admission queue (called when `/metrics` is scraped).
  static func update(_ admission: RunAdmission, exporter: PrometheusExporter) {
    Gauge(label: running, factory: exporter.factory).record(admission.running)
    Gauge(label: queued, factory: exporter.factory).record(admission.queued)
  }

  /// Counts one refused request.
  static func recordRejection(exporter: PrometheusExporter?) {
    guard let exporter else { return }
    Counter(label: rejected, factory: exporter.factory).increment()
  }
}
