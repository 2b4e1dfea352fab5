import Tracing

/// Runs guardrails concurrently and stops at the first tripwire.
struct GuardrailExecution: Sendable {
  let tracing: AgentTracing

  /// Runs input guardrails on `input`.
  ///
  /// - Throws: ``AgentsError`` with code ``AgentsError/Code/inputGuardrailTripped`` at the first trip.
  func runInput(
    _ guardrails: [InputGuardrail], agent: Agent, context: RunContext, input: [Item]
  ) async throws -> [GuardrailResult] {
    try await runAll(guardrails.map { guardrail in
      (guardrail.name, { try await guardrail.check(context, agent, input) })
    }, agent: agent, tripCode: .inputGuardrailTripped, kind: "Input")
  }

  /// Runs output guardrails on the final output.
  ///
  /// - Throws: ``AgentsError`` with code ``AgentsError/Code/outputGuardrailTripped`` at the first trip.
  func runOutput(
    _ guardrails: [OutputGuardrail], agent: Agent, context: RunContext, output: any Sendable
  ) async throws -> [GuardrailResult] {
    try await runAll(guardrails.map { guardrail in
      (guardrail.name, { try await guardrail.check(context, agent, output) })
    }, agent: agent, tripCode: .outputGuardrailTripped, kind: "Output")
  }

  private func runAll(
    _ checks: [(name: String, check: @Sendable () async throws -> GuardrailOutput)], agent: Agent,
    tripCode: AgentsError.Code, kind: String
  ) async throws -> [GuardrailResult] {
    if checks.isEmpty { return [] }
    let agentName = agent.name
    let tracing = tracing
    @Sendable func run(_ name: String, _ check: @Sendable () async throws -> GuardrailOutput) async throws
      -> GuardrailResult
    {
      try await tracing.span("agents.guardrail") { span in
        span.setAttribute("agents.guardrail.name", name)
        let output = try await check()
        span.setAttribute("agents.guardrail.triggered", output.tripwireTriggered)
        return GuardrailResult(guardrailName: name, agentName: agentName, output: output)
      }
    }
    // One guardrail (the usual case: the prompt-injection preset) runs on the run's own task: a child task would
    // only add its creation and a hop to another thread and back.
    if checks.count == 1 {
      let result = try await run(checks[0].name, checks[0].check)
      if result.output.tripwireTriggered { throw tripped(result, code: tripCode, kind: kind) }
      return [result]
    }
    return try await withThrowingTaskGroup(of: GuardrailResult.self) { group in
      for (name, check) in checks {
        group.addTask { try await run(name, check) }
      }
      var results: [GuardrailResult] = []
      for try await result in group {
        results.append(result)
        if result.output.tripwireTriggered {
          group.cancelAll()
          throw tripped(result, code: tripCode, kind: kind)
        }
      }
      return results
    }
  }

  /// The error of a guardrail that tripped.
  private func tripped(_ result: GuardrailResult, code: AgentsError.Code, kind: String) -> AgentsError {
    var info = ""
    if let outputInfo = result.output.outputInfo { info = " Details: \(outputInfo)." }
    return AgentsError(
      code, "\(kind) guardrail '\(result.guardrailName)' of agent '\(result.agentName)' tripped, so the run "
        + "stopped.\(info) Inspect the error's guardrailResult; change the \(kind.lowercased()) or the "
        + "guardrail to continue.", guardrailResult: result)
  }
}
