extension Agent {
  /// This agent as a tool another agent can call: the tool runs a nested run of this agent on the tool's
  /// `input` argument and returns its final output.
  ///
  /// Unlike a handoff, the calling agent keeps the conversation and sees the result as a tool output.
  ///
  /// - Parameters:
  ///   - name: the tool name; defaults to the agent's name in tool-name style.
  ///   - description: the tool description; defaults to the agent's handoff description.
  ///   - maxTurns: the nested run's limit of model calls.
  ///   - needsApproval: whether a call of the tool waits for a person's approval (see ``ToolApproval``).
  ///   - outputExtractor: turns the nested run's result into the tool output; defaults to the final output text.
  ///
  /// When a tool inside the nested run needs approval, the nested run pauses and the calling run pauses with it:
  /// its ``RunResult/interruptions`` list the nested calls (with ``ToolApprovalItem/parentCallIDs``), decided on
  /// the calling run's ``RunState``; resuming the calling run resumes the nested one.
  public func asTool(
    name: String? = nil, description: String? = nil, maxTurns: Int? = Runner.defaultMaxTurns,
    needsApproval: ToolApproval = .never, outputExtractor: (@Sendable (RunResult) async throws -> String)? = nil
  ) -> FunctionTool {
    let configuration = configuration
    return FunctionTool(
      name: name ?? toolNameStyle(configuration.name),
      description: description ?? configuration.handoffDescription ?? "Ask the \(configuration.name) agent.",
      strict: false, needsApproval: needsApproval
    ) { (arguments: AgentToolInput, context: ToolContext) -> String in
      let result: RunResult
      if let paused = context.resumedRun {
        result = try await context.runner.run(
          try RunState(snapshot: paused, startingAgent: self), context: context.run.context)
      } else {
        result = try await context.runner.run(
          self, input: arguments.input, context: context.run.context, maxTurns: maxTurns)
      }
      if let state = result.state { throw NestedRunPaused(snapshot: state.snapshot) }
      if let outputExtractor { return try await outputExtractor(result) }
      if !result.finalOutputText.isEmpty { return result.finalOutputText }
      return result.newItems.last { $0.kind == .message }?.item.messageText ?? ""
    }
  }
}

/// The arguments of an agent used as a tool: `{"input": "…"}`.
struct AgentToolInput: Decodable, SchemaRepresentable, Sendable {
  var input: String

  static var jsonSchema: JSONSchema {
    JSONSchema([
      "type": "object",
      "properties": ["input": ["type": "string", "description": "The request for the agent."]],
      "required": ["input"], "additionalProperties": false,
    ])
  }
}
