/// Whether a call of a tool must wait for a person's approval before it runs.
///
/// A tool that needs approval is not run when the model calls it: the run stops with an interruption
/// (``RunResult/interruptions``) listing the pending calls, and continues with ``Runner/run(_:context:session:hooks:)``
/// once each call is approved or rejected on the ``RunState``.
///
/// ```swift
/// let delete = FunctionTool(name: "delete_file", description: "Delete a file", needsApproval: .always) { … }
/// let mail = FunctionTool(name: "send_mail", description: "Send an e-mail",
///   needsApproval: .when { request in request.arguments["to"]?.stringValue?.hasSuffix("@example.com") != true }) { … }
/// ```
///
/// A rule that decides per call fails closed: when the model's arguments are not a JSON object, or the rule
/// throws, the call needs approval.
public struct ToolApproval: Sendable, ExpressibleByBooleanLiteral {
  enum Rule: Sendable {
    case never
    case always
    case decide(@Sendable (ToolApprovalRequest) async throws -> Bool)
  }

  let rule: Rule
  /// Describes a pending call for the person approving it, e.g. the diff a file edit would make.
  let preview: (@Sendable (ToolApprovalRequest) async -> String?)?

  /// Calls run without asking (the default).
  public static let never = ToolApproval(rule: .never, preview: nil)
  /// Every call waits for approval.
  public static let always = ToolApproval(rule: .always, preview: nil)

  /// `decide` says per call whether it needs approval, from the run, the agent and the call's arguments.
  public static func when(_ decide: @escaping @Sendable (ToolApprovalRequest) async throws -> Bool) -> ToolApproval {
    ToolApproval(rule: .decide(decide), preview: nil)
  }

  /// `true` is ``always``, `false` is ``never``.
  public init(booleanLiteral value: Bool) {
    self.init(rule: value ? .always : .never, preview: nil)
  }

  init(rule: Rule, preview: (@Sendable (ToolApprovalRequest) async -> String?)?) {
    self.rule = rule
    self.preview = preview
  }

  /// The same rule, with `preview` describing each pending call for the person who approves it (shown by
  /// `agents chat` before the question; carried in ``ToolApprovalItem/preview``). Return `nil` for no preview.
  public func previewing(_ preview: @escaping @Sendable (ToolApprovalRequest) async -> String?) -> ToolApproval {
    ToolApproval(rule: rule, preview: preview)
  }

  /// Whether this rule never asks.
  public var isNever: Bool {
    if case .never = rule { true } else { false }
  }

  /// Whether every call asks (rather than a rule deciding per call).
  public var isAlways: Bool {
    if case .always = rule { true } else { false }
  }

  /// Whether the call described by `request` needs approval. Fails closed: unusable arguments or a throwing
  /// rule mean yes.
  func isRequired(for request: @autoclosure () -> ToolApprovalRequest?) async -> Bool {
    switch rule {
    case .never: return false
    case .always: return true
    case .decide(let decide):
      guard let request = request() else { return true }
      return (try? await decide(request)) ?? true
    }
  }
}

/// A tool call as an approval rule or preview sees it.
public struct ToolApprovalRequest: Sendable {
  /// The run so far.
  public var context: RunContext
  /// The agent whose model made the call.
  public var agent: Agent
  /// The call: id, tool name and the arguments as the model wrote them.
  public var call: ToolCall
  /// The arguments, parsed.
  public var arguments: JSONValue

  /// Creates a request; `nil` when the call's arguments are not a JSON object (such calls always need approval).
  init?(context: RunContext, agent: Agent, call: ToolCall) {
    guard let arguments = try? FunctionTool.parseObject(call.arguments) else { return nil }
    self.context = context
    self.agent = agent
    self.call = call
    self.arguments = arguments
  }
}

/// A tool call waiting for approval: one entry of ``RunResult/interruptions`` and ``RunState/interruptions``.
@MemberwiseInit
public struct ToolApprovalItem: Sendable, Hashable, Codable {
  /// The call: its id, the tool's name and the arguments exactly as the model wrote them.
  public var call: ToolCall
  /// The name of the agent whose model made the call (inside an agent used as a tool, that inner agent).
  public var agentName: String
  /// What the call would do, from the tool's preview (for example a diff), or `nil`.
  public var preview: String?
  /// The ids of the calls of agents used as tools that lead to this call, outermost first; empty for a call
  /// of the run's own agents.
  public var parentCallIDs: [String] = []

  /// The name of the tool.
  public var toolName: String { call.name }

  private enum CodingKeys: String, CodingKey {
    case callID = "call_id", toolName = "tool", arguments, agentName = "agent", preview, parentCallIDs = "parent_call_ids"
  }

  /// Decodes `{"call_id", "tool", "arguments", "agent", "preview"?, "parent_call_ids"?}`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    call = ToolCall(
      id: try container.decode(String.self, forKey: .callID), name: try container.decode(String.self, forKey: .toolName),
      arguments: try container.decode(String.self, forKey: .arguments))
    agentName = try container.decode(String.self, forKey: .agentName)
    preview = try container.decodeIfPresent(String.self, forKey: .preview)
    parentCallIDs = try container.decodeIfPresent([String].self, forKey: .parentCallIDs) ?? []
  }

  /// Encodes the item with snake_case keys.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(call.id, forKey: .callID)
    try container.encode(call.name, forKey: .toolName)
    try container.encode(call.arguments, forKey: .arguments)
    try container.encode(agentName, forKey: .agentName)
    try container.encodeIfPresent(preview, forKey: .preview)
    if !parentCallIDs.isEmpty { try container.encode(parentCallIDs, forKey: .parentCallIDs) }
  }
}
