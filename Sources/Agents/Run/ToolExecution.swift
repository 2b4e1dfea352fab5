import Tracing

/// Runs the function tool calls of one model response concurrently, at most `maxConcurrency` at a time,
/// turning failures into messages for the model (or errors, per the run's ``FailurePolicy``).
struct ToolExecution: Sendable {
  let agent: Agent
  let context: RunContext
  let runner: Runner
  let hooks: [any RunHooks]
  let sink: RunEventSink

  private var policy: FailurePolicy { runner.configuration.toolFailures }

  /// One call as it went: its result, or the paused run of an agent used as a tool that waits for approvals.
  struct ExecutedCall: Sendable {
    var call: ToolCall
    /// The result; `nil` when the call paused.
    var result: ToolResult?
    /// The nested run that paused inside the call (``Agent/asTool(name:description:maxTurns:needsApproval:outputExtractor:)``).
    var pausedRun: RunSnapshot?
    /// The verdicts of the tool's guardrails on this call.
    var guardrailResults: [ToolGuardrailResult] = []
    /// The words this program wrote into a failed call's output (the tool's own error text left out).
    var runnerText: String?
  }

  /// Runs every call and returns the results in call order; `resumedRuns` are paused nested runs to continue,
  /// by call id.
  @inline(never)
  func run(
    _ calls: [(call: ToolCall, tool: any Tool)], resumedRuns: [String: RunSnapshot] = [:]
  ) async throws -> [ExecutedCall] {
    if calls.count == 1 { return [try await runOne(calls[0].call, calls[0].tool, resumedRuns[calls[0].call.id])] }
    let limit = max(1, runner.configuration.maxToolConcurrency)
    return try await withThrowingTaskGroup(of: (Int, ExecutedCall).self) { group in
      var results = [ExecutedCall?](repeating: nil, count: calls.count)
      var next = 0
      while next < calls.count {
        if next >= limit, let (index, result) = try await group.next() {
          results[index] = result
        }
        let index = next
        let (call, tool) = calls[index]
        let resumed = resumedRuns[call.id]
        group.addTask { (index, try await runOne(call, tool, resumed)) }
        next += 1
      }
      for try await (index, result) in group { results[index] = result }
      return results.map { $0! }
    }
  }

  private func runOne(_ call: ToolCall, _ tool: any Tool, _ resumedRun: RunSnapshot?) async throws -> ExecutedCall {
    try await runner.tracing.span("agents.tool") { span in
      span.setAttribute("agents.tool.name", call.name)
      span.setAttribute("agents.agent.name", agent.name)
      for hook in hooks { await hook.toolStarted(agent, call: call, context: context) }
      var resumingContext = ToolContext(run: context, agent: agent, call: call, runner: runner)
      resumingContext.resumedRun = resumedRun
      let toolContext = resumingContext
      var executed = ExecutedCall(call: call)
      let guardrails = ToolGuardrailExecution(tool: tool, context: toolContext)
      let result: ToolResult
      if let rejection = try await guardrails.checkInput(recording: &executed.guardrailResults) {
        result = ToolResult(call: call, output: rejection)
      } else {
        let outcome: Result<String, any Error>
        do {
          outcome = .success(try await Self.withTimeout(tool.timeout) {
            try await tool.call(arguments: call.arguments, context: toolContext)
          })
        } catch let paused as NestedRunPaused {
          executed.pausedRun = paused.snapshot
          return executed
        } catch {
          if Task.isCancelled { throw CancellationError() }
          outcome = .failure(error)
        }
        switch outcome {
        case .success(let output):
          result = ToolResult(
            call: call, output: try await guardrails.checkOutput(output, recording: &executed.guardrailResults))
        case .failure(let error):
          span.setAttribute("agents.tool.failed", true)
          let failure = try failureMessage(for: error, call: call, tool: tool)
          result = ToolResult(call: call, output: failure.output, failed: true)
          executed.runnerText = failure.ownWords
        }
      }
      for hook in hooks { await hook.toolEnded(agent, call: call, output: result.output, context: context) }
      sink(.toolOutput(call, output: result.output))
      executed.result = result
      return executed
    }
  }

  /// The message the model reads for a failed call (`output`) and the part of it this program wrote
  /// (`ownWords`: all but a tool's own error text), or the error to stop the run with.
  private func failureMessage(
    for error: any Error, call: ToolCall, tool: any Tool
  ) throws -> (output: String, ownWords: String) {
    switch error {
    case let error as ToolArgumentsError:
      if policy == .throwError {
        throw AgentsError(
          .modelBehavior, "The model called tool '\(call.name)' with unusable arguments: \(error.reason). "
            + "Arguments were: \(call.arguments). Set toolFailures to .reportToModel so the model can retry, or "
            + "use a model that follows tool schemas more closely.", underlying: error)
      }
      let message = "An error occurred while parsing the arguments for tool '\(call.name)': \(error.reason). "
        + "Call the tool again with arguments that are a JSON object matching its parameters."
      return (message, message)
    case is ToolTimeout:
      let seconds = tool.timeout.map { "\($0)" } ?? "its timeout"
      if policy == .throwError {
        throw AgentsError(
          .toolTimeout, "Tool '\(call.name)' did not finish within \(seconds). Raise its timeout or make it faster.")
      }
      let message = "Tool '\(call.name)' timed out after \(seconds). Try again with a simpler request, or answer without it."
      return (message, message)
    default:
      if policy == .throwError {
        throw AgentsError(
          .toolFailed, "Tool '\(call.name)' failed: \(error). Fix the tool, or set toolFailures to .reportToModel "
            + "to let the model see the error and try again.", underlying: error)
      }
      let ownWords = "An error occurred while running the tool '\(call.name)'. Please try again."
      return ("\(ownWords) Error: \(error)", ownWords)
    }
  }

  /// Runs `body`, failing with ``ToolTimeout`` when it takes longer than `timeout`.
  static func withTimeout<T: Sendable>(
    _ timeout: Duration?, _ body: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    guard let timeout else { return try await body() }
    return try await withThrowingTaskGroup(of: T?.self) { group in
      group.addTask { try await body() }
      group.addTask {
        try await Task.sleep(for: timeout)
        return nil
      }
      defer { group.cancelAll() }
      guard let first = try await group.next(), let value = first else { throw ToolTimeout() }
      return value
    }
  }
}

/// A tool call ran out of time.
struct ToolTimeout: Error {}
