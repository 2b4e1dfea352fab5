/// What one model response asks for, sorted out before anything runs: the items it adds to the run, its tool
/// calls split into function calls and handoffs, and the outputs already known (unknown tools).
///
/// It is built by synchronous code so that its temporaries stay out of the async frame of the turn (see
/// `RunLoop.settleFunctionCalls`).
struct ResponsePlan {
  /// The reply text (empty when it was recovered as a tool call).
  var text: String
  /// Every call, with unique ids.
  var calls: [ToolCall]
  /// The items the response adds, in order; tool outputs are appended by ``recordOutputs(of:)``.
  var items: [RunItem]
  var functionCalls: [(call: ToolCall, tool: any Tool)] = []
  var handoffCalls: [(call: ToolCall, handoff: Handoff)] = []
  /// Outputs by call id.
  var outputs: [String: String] = [:]
  let agentName: String

  /// Adds the function tools' results, then one output item per call that is not a handoff.
  mutating func recordOutputs(of results: [ToolResult]) {
    for result in results { outputs[result.call.id] = result.output }
    let handoffIDs = Set(handoffCalls.map(\.call.id))
    for call in calls where !handoffIDs.contains(call.id) {
      items.append(
        RunItem(kind: .toolOutput, item: .toolOutput(ToolCallOutput(callID: call.id, output: outputs[call.id] ?? "")),
          agentName: agentName))
    }
  }
}

extension RunLoop {
  /// Sorts out `response`: reasoning and text items, tool calls recovered from text, unique call ids, and each
  /// call matched to a function tool, a handoff, or reported as unknown.
  @inline(never)
  mutating func plan(
    for response: ModelResponse, agentName: String, tools: [any Tool], handoffs: [Handoff]
  ) throws -> ResponsePlan {
    var (text, thinking) = ReasoningExtraction.split(response.text ?? "")
    let reasoning = [response.reasoning, thinking].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
    let toolsByName = Dictionary(tools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    let handoffsByName = Dictionary(handoffs.map { ($0.toolName, $0) }, uniquingKeysWith: { first, _ in first })

    var calls = response.toolCalls
    if calls.isEmpty, configuration.recoversTextToolCalls, !text.isEmpty,
      let recovered = TextToolCallRecovery.recover(
        from: text, knownNames: Set(toolsByName.keys).union(handoffsByName.keys))
    {
      calls = recovered.map { found in
        recoveredCallCount += 1
        return ToolCall(id: "call_text_\(recoveredCallCount)", name: found.name, arguments: found.arguments)
      }
      text = ""
    }
    calls = Self.withUniqueIDs(calls, turn: turn)

    var plan = ResponsePlan(text: text, calls: calls, items: [], agentName: agentName)
    if !reasoning.isEmpty {
      plan.items.append(RunItem(kind: .reasoning, item: .reasoning(reasoning), agentName: agentName))
    }
    if !text.isEmpty {
      plan.items.append(RunItem(kind: .message, item: .assistant(text), agentName: agentName))
      sink(.messageDone(text))
    }
    for call in calls {
      if let handoff = handoffsByName[call.name] {
        plan.handoffCalls.append((call, handoff))
        plan.items.append(RunItem(kind: .handoffCall, item: .toolCall(call), agentName: agentName))
      } else if let tool = toolsByName[call.name] {
        plan.functionCalls.append((call, tool))
        plan.items.append(RunItem(kind: .toolCall, item: .toolCall(call), agentName: agentName))
        sink(.toolCalled(call))
      } else {
        plan.items.append(RunItem(kind: .toolCall, item: .toolCall(call), agentName: agentName))
        plan.outputs[call.id] = try unknownToolMessage(
          call, known: toolsByName.keys.sorted() + handoffsByName.keys.sorted(), agentName: agentName)
      }
    }
    return plan
  }
}
