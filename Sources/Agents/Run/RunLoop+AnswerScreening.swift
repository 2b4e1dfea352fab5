/// The run loop's check of a final reply that reads as an answer but is not one (see ``AnswerScreening``): such a
/// reply is taken back and the model asked again without tools, once; a reply that repeats the run's own
/// instructions to the model ends the run with an error when it comes again.
extension RunLoop {
  /// Why a final reply is not taken as the answer.
  enum NotAnAnswer: Equatable {
    /// The reply repeats text the run itself wrote to the model (an unknown tool's or bad arguments' message, a
    /// repeated call's guidance, a refused approval, a correction, the request to answer with the results); a
    /// small model sometimes returns it as its answer.
    case repeatsRunGuidance
    /// The reply holds, inside prose, a JSON call to `name`, which the agent does not have.
    case embeddedCall(String)
    /// The reply copies the description of the agent's tool `name` (the tool text, not an answer).
    case copiesToolDescription(String)
    /// The reply holds a call to `name` written as JSON that does not parse: it cannot run and is no answer.
    case brokenCall(String)
    /// The reply has no text (nothing, or only whitespace or reasoning).
    case empty

    /// What the reply did, in words that follow "the reply above".
    var words: String {
      switch self {
      case .repeatsRunGuidance: "repeated a message this program wrote to the model instead of answering"
      case .embeddedCall(let name): "called '\(name)', which this agent does not have"
      case .copiesToolDescription(let name): "repeated the description of the tool '\(name)' instead of answering"
      case .brokenCall(let name): "wrote a call to '\(name)' that is not valid JSON instead of answering"
      case .empty: "was empty"
      }
    }
  }

  /// The instructions every run may write to the model, which are never an answer (split into words once); the
  /// texts a run wrote besides are in ``runnerTexts``.
  static let runGuidance: [AnswerScreening.Source] = [
    repeatGuidance(ToolCall(id: "", name: "tool", arguments: "{}"), earlier: PastCall(output: "", failed: false)),
    repeatGuidance(ToolCall(id: "", name: "tool", arguments: "{}"), earlier: PastCall(output: "", failed: true)),
    ConstrainedSteps.answerWithResults,
  ].map(AnswerScreening.Source.init)

  /// Whether a reply that is not an answer can be taken back and asked again without tools: with
  /// ``ToolCallingStrategy/constrained``, for an agent without handoffs that has not called anything since it took
  /// over (its tool results would be hidden from the new request; the calls before a handoff are hidden from it
  /// anyway, see ``ConstrainedSteps/callableOnly(_:callable:)``).
  func asksAgainWithoutTools(_ agentConfiguration: Agent.Configuration) -> Bool {
    guard currentStrategy == .constrained, agentConfiguration.handoffs.isEmpty else { return false }
    let takeover = generatedItems.lastIndex { $0.kind == .handoffOutput }.map { $0 + 1 } ?? generatedItems.startIndex
    return !generatedItems[takeover...].contains { $0.kind == .toolCall || $0.kind == .handoffCall }
  }

  /// Whether the next model call offers no tools because the newest user message carries all the code it asks
  /// about and names no file (``SelfContainedCode``): with ``ToolCallingStrategy/constrained``, where
  /// ``Runner/Configuration/offersToolsForSelfContainedCode`` is off, for an agent that could be asked again
  /// without tools anyway (``asksAgainWithoutTools(_:)``) and need not call a tool (`toolChoice` unset or `auto`).
  func leavesToolsOut(_ agentConfiguration: Agent.Configuration, toolChoice: ToolChoice?) -> Bool {
    guard !configuration.offersToolsForSelfContainedCode, toolChoice == nil || toolChoice == .auto,
      asksAgainWithoutTools(agentConfiguration)
    else { return false }
    let newest = transcript.last { item in
      if case .message(let message) = item { message.role == .user } else { false }
    }
    guard case .message(let message)? = newest else { return false }
    return SelfContainedCode.applies(to: message.content)
  }

  /// Why the final reply `text` is not an answer, or `nil` when it is one. Text the user wrote themselves
  /// (quoting a tool's description, say) does not count as copied. An empty reply is never an answer; the checks
  /// for calls and tool descriptions in prose apply where the reply can be asked again without tools
  /// (``asksAgainWithoutTools(_:)``).
  func notAnAnswer(_ text: String, configuration agentConfiguration: Agent.Configuration) -> NotAnAnswer? {
    guard agentConfiguration.outputType == nil else { return nil }
    guard !text.allSatisfy(\.isWhitespace) else { return .empty }
    let reply = AnswerScreening.Reply(text)  // found once for every text the reply is compared with
    let userTexts = transcript.compactMap { item -> String? in
      if case .message(let message) = item, message.role == .user { message.content } else { nil }
    }
    if Self.runGuidance.contains(where: { AnswerScreening.copies($0, in: reply, notIn: userTexts) })
      || runnerTexts.contains(where: { AnswerScreening.copies($0, in: reply, notIn: userTexts) })
    {
      return .repeatsRunGuidance
    }
    guard configuration.recoversTextToolCalls, asksAgainWithoutTools(agentConfiguration) else { return nil }
    let tools = agentConfiguration.tools
    if let name = AnswerScreening.embeddedCall(in: text, callable: Set(tools.map(\.name))) {
      return .embeddedCall(name)
    }
    if let name = AnswerScreening.brokenEmbeddedCall(in: text) { return .brokenCall(name) }
    if let tool = tools.first(where: { AnswerScreening.copies($0.definition.description, in: reply, notIn: userTexts) })
    {
      return .copiesToolDescription(tool.name)
    }
    return nil
  }

  /// Takes back a final reply that is not an answer and asks again without tools, or throws when the run's
  /// corrective turns are used up. A reply that repeats the run's own text gets its one retry even after another
  /// correction (it is often the echo of that correction: "'add_numbers' is not something you can call …"), and
  /// ends the run when it comes again. An empty reply is asked again with the tools still offered where hiding
  /// them would hide the results of calls the agent made (``asksAgainWithoutTools(_:)``).
  mutating func discardReply(
    because reason: NotAnAnswer, configuration agentConfiguration: Agent.Configuration, replyItemCount: Int
  ) throws {
    let echo = reason == .repeatsRunGuidance
    let withoutTools = reason != .empty || asksAgainWithoutTools(agentConfiguration)
    guard echo ? !retriedRunnerEcho : correctionsUsed < configuration.correctiveTurns else {
      throw AgentsError(
        .modelBehavior,
        "Agent '\(agentConfiguration.name)' \(reason == .empty ? "gave an empty reply" : reason.words), also when "
          + "asked again\(withoutTools ? " without tools" : ""), so there is no answer. Small models do this; "
          + "rephrase the request or use a larger model.")
    }
    if echo { retriedRunnerEcho = true } else { correctionsUsed += 1 }
    retract(replyItemCount)
    withholdsTools = withoutTools
    sink(.replyDiscarded(reason: reason.words))
  }
}
