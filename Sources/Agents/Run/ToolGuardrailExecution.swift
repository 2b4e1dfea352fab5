/// Runs one tool's input and output guardrails around one call, in order; the first guardrail that does not
/// allow decides.
struct ToolGuardrailExecution: Sendable {
  let tool: any Tool
  let context: ToolContext

  /// Runs the input guardrails; returns the message the model reads instead of the call's output when one
  /// rejects the call, `nil` when the call may run.
  ///
  /// - Throws: ``AgentsError`` with code ``AgentsError/Code/toolInputGuardrailTripped`` when one trips.
  func checkInput(recording results: inout [ToolGuardrailResult]) async throws -> String? {
    try await check(tool.inputGuardrails, ToolGuardrailInput(context: context), recording: &results)
  }

  /// Runs the output guardrails on `output`; returns the output the model reads (the tool's, or a rejecting
  /// guardrail's message).
  ///
  /// - Throws: ``AgentsError`` with code ``AgentsError/Code/toolOutputGuardrailTripped`` when one trips.
  func checkOutput(_ output: String, recording results: inout [ToolGuardrailResult]) async throws -> String {
    let input = ToolGuardrailInput(context: context, output: output)
    return try await check(tool.outputGuardrails, input, recording: &results) ?? output
  }

  /// Runs `guardrails` on `input` in order; returns the first rejecting guardrail's message, `nil` when all allow.
  private func check<Side>(
    _ guardrails: [ToolGuardrail<Side>], _ input: ToolGuardrailInput, recording results: inout [ToolGuardrailResult]
  ) async throws -> String? {
    for guardrail in guardrails {
      let verdict = try await guardrail.check(input)
      let result = record(guardrail.name, Side.stage, verdict, into: &results)
      switch verdict.behavior {
      case .allow: continue
      case .rejectContent(let message): return message
      case .tripwire: throw tripped(result)
      }
    }
    return nil
  }

  private func record(
    _ name: String, _ stage: ToolGuardrailResult.Stage, _ output: ToolGuardrailOutput,
    into results: inout [ToolGuardrailResult]
  ) -> ToolGuardrailResult {
    let result = ToolGuardrailResult(
      guardrailName: name, stage: stage, call: context.call, agentName: context.agent.name, output: output)
    results.append(result)
    return result
  }

  private func tripped(_ result: ToolGuardrailResult) -> AgentsError {
    let info = result.output.outputInfo.map { " Details: \($0)." } ?? ""
    let when = result.stage == .input ? "before the call ran" : "after the call ran; its output was not used"
    var error = AgentsError(
      result.stage == .input ? .toolInputGuardrailTripped : .toolOutputGuardrailTripped,
      "Tool \(result.stage.rawValue) guardrail '\(result.guardrailName)' of tool '\(result.call.name)' stopped the "
        + "run \(when).\(info) Inspect the error's toolGuardrailResult; change the request or the guardrail to "
        + "continue.")
    error.toolGuardrailResult = result
    return error
  }
}

/// Thrown by an agent used as a tool when its nested run paused for approvals; the outer run pauses too and
/// resumes the nested run later.
struct NestedRunPaused: Error {
  let snapshot: RunSnapshot
}
