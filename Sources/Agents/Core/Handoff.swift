/// A way for an agent to hand the conversation to another agent; the model sees it as a tool.
///
/// The tool is named `transfer_to_<agent name>` (lowercased, non-alphanumerics as `_`). When the model calls
/// it, the run continues with the target agent, which sees the whole transcript unless ``inputFilter``
/// changes it.
public struct Handoff: Sendable {
  /// The agent that takes over.
  public var agent: Agent
  /// The tool name the model calls.
  public var toolName: String
  /// The tool description the model sees.
  public var toolDescription: String
  /// The schema of the handoff's arguments (an empty object unless an input type is given).
  public var inputSchema: JSONSchema
  /// Rewrites what the next agent sees; `nil` keeps everything.
  public var inputFilter: (@Sendable (HandoffInputData) async throws -> HandoffInputData)?
  /// Called with the run context and the model's JSON arguments when the handoff happens.
  public var onHandoff: (@Sendable (RunContext, String) async throws -> Void)?
  /// Whether the handoff is offered to the model.
  public var isEnabled: Bool

  /// A handoff to `agent`.
  public static func to(
    _ agent: Agent, toolName: String? = nil, toolDescription: String? = nil,
    inputFilter: (@Sendable (HandoffInputData) async throws -> HandoffInputData)? = nil,
    onHandoff: (@Sendable (RunContext) async throws -> Void)? = nil, isEnabled: Bool = true
  ) -> Handoff {
    var callback: (@Sendable (RunContext, String) async throws -> Void)?
    if let onHandoff { callback = { context, _ in try await onHandoff(context) } }
    return Handoff(
      agent: agent, toolName: toolName ?? defaultToolName(for: agent.name),
      toolDescription: toolDescription ?? defaultDescription(for: agent), inputSchema: emptyObjectSchema,
      inputFilter: inputFilter, onHandoff: callback, isEnabled: isEnabled)
  }

  /// A handoff whose arguments the model fills in and `onHandoff` receives decoded as `Input`.
  ///
  /// Arguments that do not decode go back to the model as the handoff's output, and the handoff does not happen.
  public static func to<Input: StructuredOutput>(
    _ agent: Agent, inputType: Input.Type, toolName: String? = nil, toolDescription: String? = nil,
    inputFilter: (@Sendable (HandoffInputData) async throws -> HandoffInputData)? = nil, isEnabled: Bool = true,
    onHandoff: @escaping @Sendable (RunContext, Input) async throws -> Void
  ) -> Handoff {
    Handoff(
      agent: agent, toolName: toolName ?? defaultToolName(for: agent.name),
      toolDescription: toolDescription ?? defaultDescription(for: agent), inputSchema: Input.jsonSchema,
      inputFilter: inputFilter,
      onHandoff: { context, arguments in
        let json = try FunctionTool.parseObject(arguments)
        let input: Input
        do {
          input = try SchemaCoding.decodeArguments(Input.self, from: json)
        } catch let error as SchemaError {
          throw ToolArgumentsError(reason: "the handoff arguments do not match: \(error.message)")
        }
        try await onHandoff(context, input)
      },
      isEnabled: isEnabled)
  }

  /// The tool definition the model sees.
  var definition: ToolDefinition {
    ToolDefinition(name: toolName, description: toolDescription, parameters: inputSchema, strict: false)
  }

  /// `transfer_to_<name>` with whitespace and other non-`[A-Za-z0-9_]` characters as `_`, lowercased.
  public static func defaultToolName(for agentName: String) -> String {
    toolNameStyle("transfer_to_\(agentName)")
  }

  /// `Handoff to the <name> agent to handle the request.` followed by the agent's handoff description.
  public static func defaultDescription(for agent: Agent) -> String {
    let configuration = agent.configuration
    let base = "Handoff to the \(configuration.name) agent to handle the request."
    guard let extra = configuration.handoffDescription, !extra.isEmpty else { return base }
    return base + " " + extra
  }

  /// The transcript record of a handoff: `{"assistant": "<agent name>"}`.
  static func transferMessage(to agent: Agent) -> String {
    JSONValue.object(["assistant": .string(agent.name)]).jsonString
  }

  static let emptyObjectSchema = JSONSchema([
    "type": "object", "properties": [:], "required": [], "additionalProperties": false,
  ])
}

/// Lowercases `text` and replaces every character outside `[a-z0-9_]` with `_`, the style of tool names.
func toolNameStyle(_ text: String) -> String {
  String(
    text.lowercased().map { character -> Character in
      character.isASCII && (character.isLetter || character.isNumber || character == "_") ? character : "_"
    })
}

/// What a handoff's input filter sees and returns.
@MemberwiseInit
public struct HandoffInputData: Sendable {
  /// The run's input (session history plus the new input).
  public var inputHistory: [Item]
  /// Items generated before the turn that handed off.
  public var preHandoffItems: [RunItem]
  /// Items of the turn that handed off, including the handoff call and its output.
  public var newItems: [RunItem]
}

/// Ready-made handoff input filters.
public enum HandoffFilters {
  /// Removes every tool call and tool output, so the next agent sees only messages.
  @Sendable public static func removeAllTools(_ data: HandoffInputData) -> HandoffInputData {
    func isMessage(_ item: Item) -> Bool {
      if case .message = item { true } else { false }
    }
    return HandoffInputData(
      inputHistory: data.inputHistory.filter(isMessage),
      preHandoffItems: data.preHandoffItems.filter { isMessage($0.item) },
      newItems: data.newItems.filter { isMessage($0.item) })
  }
}
