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
  /// Calls that repeat an earlier call of the run and were answered with guidance instead of running.
  var repeatedCallIDs: Set<String> = []
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
  /// call matched to a function tool (with repaired arguments), a handoff, a repeat of an earlier call, or
  /// reported as unknown.
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
        from: text, offered: Self.offered(tools: toolsByName, handoffs: handoffs))
    {
      calls = recovered.calls.map { found in
        recoveredCallCount += 1
        return ToolCall(id: "call_text_\(recoveredCallCount)", name: found.name, arguments: found.arguments)
      }
      // Text around calls is left out too: small models tend to invent the result there.
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
    for var call in calls {
      if let handoff = handoffsByName[call.name] {
        if let repair = ArgumentRepair.repair(call.arguments, schema: handoff.inputSchema) {
          call.arguments = repair.arguments
        }
        plan.handoffCalls.append((call, handoff))
        plan.items.append(RunItem(kind: .handoffCall, item: .toolCall(call), agentName: agentName))
      } else if let tool = toolsByName[call.name] {
        if let repair = ArgumentRepair.repair(call.arguments, schema: tool.definition.parameters) {
          call.arguments = repair.arguments
          sink(.toolArgumentsRepaired(call, changes: repair.changes))
        }
        plan.items.append(RunItem(kind: .toolCall, item: .toolCall(call), agentName: agentName))
        sink(.toolCalled(call))
        if let earlier = callHistory[CallSignature(call)] {
          plan.repeatedCallIDs.insert(call.id)
          plan.outputs[call.id] = Self.repeatGuidance(call, earlier: earlier)
          // The run's own words only: the earlier output is the tool's.
          runnerTexts.append(Self.repeatGuidance(call, earlier: PastCall(output: "", failed: earlier.failed)))
          sink(.toolOutput(call, output: plan.outputs[call.id]!))
        } else {
          plan.functionCalls.append((call, tool))
        }
      } else {
        plan.items.append(RunItem(kind: .toolCall, item: .toolCall(call), agentName: agentName))
        plan.outputs[call.id] = try unknownToolMessage(
          call, known: toolsByName.keys.sorted() + handoffsByName.keys.sorted(), agentName: agentName)
      }
    }
    return plan
  }

  /// What text tool-call recovery may find: the tools (an embedded call must have usable arguments) and the
  /// handoffs by their target's name.
  static func offered(tools: [String: any Tool], handoffs: [Handoff]) -> TextToolCallRecovery.Offered {
    var byAgent: [String: String] = [:]
    for handoff in handoffs {
      byAgent[TextToolCallRecovery.normalised(handoff.agent.name)] = handoff.toolName
    }
    return TextToolCallRecovery.Offered(
      tools: Set(tools.keys), handoffsByAgent: byAgent,
      accepts: { name, arguments in
        guard let tool = tools[name] else { return true }
        guard let value = try? JSONValue.parse(arguments.isEmpty ? "{}" : arguments) else { return false }
        return tool.definition.parameters.violations(of: value, limit: 1).isEmpty
          || ArgumentRepair.repair(arguments, schema: tool.definition.parameters) != nil
      })
  }

  /// The output a repeated call gets instead of running again: the earlier result and what to do next.
  static func repeatGuidance(_ call: ToolCall, earlier: PastCall) -> String {
    if earlier.failed {
      return "This call to \(call.name) with the same arguments already failed: \(earlier.output)\nCalling it again "
        + "the same way fails the same way. Change the arguments, or answer the user without the tool."
    }
    return "You already called \(call.name) with these arguments, and the result was: \(earlier.output)\nDo not "
      + "call it again. Use this result to answer the user."
  }
}

/// A tool call's identity for spotting repeats: the tool's name and its arguments as JSON (key order and number
/// spelling ignored).
struct CallSignature: Hashable {
  var name: String
  var arguments: JSONValue

  init(_ call: ToolCall) {
    name = call.name
    arguments = (try? JSONValue.parse(call.arguments.isEmpty ? "{}" : call.arguments)) ?? .string(call.arguments)
  }
}

/// What an earlier call of the run returned.
struct PastCall: Sendable {
  var output: String
  var failed: Bool
}
