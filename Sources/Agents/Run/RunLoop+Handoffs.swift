import Tracing

extension RunLoop {
  /// Runs the first handoff of a response and switches agents.
  @inline(never)  // keeps its locals out of the async frame of every turn (memory per concurrent run)
  mutating func performHandoff(
    _ chosen: (call: ToolCall, handoff: Handoff), ignoring extra: [ToolCall], from source: Agent, items: [RunItem],
    hooks: [any RunHooks]
  ) async throws -> AgentOutcome? {
    var items = items
    let target = chosen.handoff.agent
    let sourceName = source.name
    for call in extra {
      items.append(
        RunItem(
          kind: .handoffOutput,
          item: .toolOutput(ToolCallOutput(callID: call.id, output: "Multiple handoffs detected, ignoring this one.")),
          agentName: sourceName))
    }
    do {
      try await chosen.handoff.onHandoff?(runContext, chosen.call.arguments)
    } catch let error as ToolArgumentsError {
      if configuration.toolFailures == .throwError {
        throw AgentsError(
          .modelBehavior,
          "The model called handoff '\(chosen.call.name)' with unusable arguments: "
            + "\(error.reason).", underlying: error)
      }
      items.append(
        RunItem(
          kind: .handoffOutput,
          item: .toolOutput(
            ToolCallOutput(
              callID: chosen.call.id,
              output: "The handoff did not happen: \(error.reason). Call it again with valid arguments.")),
          agentName: sourceName))
      commit(items)
      return nil
    }
    items.append(
      RunItem(
        kind: .handoffOutput,
        item: .toolOutput(ToolCallOutput(callID: chosen.call.id, output: Handoff.transferMessage(to: target))),
        agentName: sourceName))
    commit(items)
    let context = runContext
    let targetHooks = target.configuration.hooks
    try await runner.tracing.span("agents.handoff") { span in
      span.setAttribute("agents.handoff.from", sourceName)
      span.setAttribute("agents.handoff.to", target.name)
      await runHooks?.handoff(from: source, to: target, context: context)
      await targetHooks?.handoff(from: source, to: target, context: context)
      if let filter = chosen.handoff.inputFilter ?? configuration.handoffInputFilter {
        try await applyHandoffFilter(filter, turnItemCount: items.count)
      }
    }
    sink(.handoff(from: source, to: target))
    sink(.agentChanged(target))
    return .handoff(target)
  }
}
