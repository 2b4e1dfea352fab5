/// What a person decided about a tool call: run it, or answer the model with a rejection instead.
public enum ApprovalDecision: Sendable, Hashable {
  /// Run the call.
  case approved
  /// Do not run it; the model reads `message` (or ``defaultRejectionMessage(for:)``) as the call's output.
  case rejected(message: String?)

  /// What the model reads for a rejected call of `toolName` when no message was given.
  public static func defaultRejectionMessage(for toolName: String) -> String {
    "The user did not approve this call of '\(toolName)', so it did not run. Do not call it again for the same "
      + "purpose unless the user asks; continue without it or ask the user what to do."
  }
}

/// The decisions of one run: per call id, and "always" per tool name for the rest of the run.
struct ApprovalDecisions: Sendable, Hashable {
  var byCall: [String: ApprovalDecision] = [:]
  var byTool: [String: ApprovalDecision] = [:]

  /// The decision for `call`: its own, else its tool's "always" decision.
  func decision(for call: ToolCall) -> ApprovalDecision? {
    byCall[call.id] ?? byTool[call.name]
  }

  mutating func record(_ decision: ApprovalDecision, for call: ToolCall, always: Bool) {
    byCall[call.id] = decision
    if always { byTool[call.name] = decision }
  }
}

extension ApprovalDecision: Codable {
  private enum CodingKeys: String, CodingKey { case approved, message }

  /// Decodes `{"approved": true}` or `{"approved": false, "message": …}`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    if try container.decode(Bool.self, forKey: .approved) {
      self = .approved
    } else {
      self = .rejected(message: try container.decodeIfPresent(String.self, forKey: .message))
    }
  }

  /// Encodes `{"approved": true}` or `{"approved": false, "message": …}`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .approved:
      try container.encode(true, forKey: .approved)
    case .rejected(let message):
      try container.encode(false, forKey: .approved)
      try container.encodeIfPresent(message, forKey: .message)
    }
  }
}

extension ApprovalDecisions: Codable {
  private enum CodingKeys: String, CodingKey { case byCall = "calls", byTool = "tools" }
}
