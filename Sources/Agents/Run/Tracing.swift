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
  func span<T>(_ name: String, _ body: (any Span) async throws -> T) async rethrows -> T {
    if let tracer {
      return try await tracer.withAnySpan(name, at: DefaultTracerClock.now, body)
    }
    return try await withSpan(name, body)
  }
}
