import Tracing

/// Where the SDK's spans go: the runner's tracer if it has one, else the process-wide tracer that
/// `InstrumentationSystem.bootstrap` installed (a no-op until an app installs one). Nothing is ever uploaded
/// anywhere by the SDK itself.
///
/// Span names: `agents.run`, `agents.agent`, `agents.model_call`, `agents.tool`, `agents.handoff`,
/// `agents.guardrail`. Attributes carry names, turn numbers and token counts, never prompts or outputs.
struct AgentTracing: Sendable {
  let tracer: (any Tracer)?

  /// Runs `body` inside a span named `name`; errors thrown by `body` are recorded on the span.
  ///
  /// When nothing records spans (no runner tracer, and the process-wide one is the no-op tracer), `body`
  /// runs directly with a no-op span: no span object, no service-context binding and no extra async frames,
  /// which matters for memory when hundreds of runs wait at once.
  func span<T>(_ name: String, _ body: (any Span) async throws -> T) async rethrows -> T {
    if let tracer {
      return try await tracer.withAnySpan(name, at: DefaultTracerClock.now, body)
    }
    let active = InstrumentationSystem.tracer
    if active is NoOpTracer {
      return try await body(NoOpTracer.NoOpSpan(context: .current ?? .topLevel))
    }
    return try await active.withAnySpan(name, at: DefaultTracerClock.now, body)
  }
}

extension Span {
  /// Sets the attribute `key` when the span records: on the no-op span (nothing installed), setting one still
  /// builds a dictionary and drops it, on every model call.
  func setAttribute(_ key: String, _ value: some SpanAttributeConvertible) {
    if isRecording { attributes[key] = value }
  }
}
