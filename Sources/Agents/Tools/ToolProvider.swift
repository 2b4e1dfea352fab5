/// A source of tools that an agent looks up while a run is in progress instead of holding them itself: an MCP
/// server (see the `AgentsMCP` module) or a registry of your own.
///
/// At the start of every turn the runner asks each of the current agent's ``Agent/Configuration/toolProviders``
/// for its tools (all providers at once) and offers them beside the agent's own ``Agent/Configuration/tools``.
/// A provider's tool keeps its name unless another provider offers the same name or the agent has a tool or
/// handoff by that name: then it is offered as `<provider>_<tool>` (the provider's name in tool-name style), on
/// every provider that offers it, while the agent's own tools and handoffs keep their names. The call still
/// reaches the provider's tool, which can read the name the model used from ``ToolContext/call``.
public protocol ToolProvider: Sendable {
  /// A short readable name, used in messages and as the prefix of clashing tool names.
  var name: String { get }
  /// The tools offered to `agent` on this turn.
  ///
  /// Throwing fails the run with the thrown error, so throw only when the agent cannot work without these tools.
  func tools(for agent: Agent, context: RunContext) async throws -> [any Tool]
}

/// Gives the tools of several providers names that are unique among themselves and the agent's own tools and
/// handoffs (see ``ToolProvider``); `agents chat`'s `/tools` shows the names it gives.
package enum ProvidedToolNames {
  /// The providers' tools, in provider order (one per listed tool), renamed where their names clash; `reserved`
  /// are the agent's own tool and handoff names.
  package static func resolve(_ listings: [(provider: String, tools: [any Tool])], reserved: Set<String>) -> [any Tool] {
    var offeredBy: [String: Int] = [:]
    for listing in listings {
      for name in Set(listing.tools.map(\.name)) { offeredBy[name, default: 0] += 1 }
    }
    var taken = reserved
    for (name, count) in offeredBy where count == 1 && !reserved.contains(name) { taken.insert(name) }
    var resolved: [any Tool] = []
    for listing in listings {
      for tool in listing.tools {
        let name = tool.name
        if offeredBy[name] == 1, !reserved.contains(name) {
          resolved.append(tool)
          continue
        }
        let renamed = uniqueName(prefixed(name, with: listing.provider), taken: taken)
        taken.insert(renamed)
        resolved.append(RenamedTool(base: tool, name: renamed))
      }
    }
    return resolved
  }

  /// The longest tool name servers accept.
  static let maximumLength = 64

  /// `<provider>_<name>`, cut to ``maximumLength`` characters.
  static func prefixed(_ name: String, with provider: String) -> String {
    let prefix = toolNameStyle(provider).trimmingCharacters(in: "_")
    let full = (prefix.isEmpty ? "tools" : prefix) + "_" + name
    return String(full.prefix(maximumLength))
  }

  /// `name`, or `name_2`, `name_3`… (cut to fit) when it is taken.
  private static func uniqueName(_ name: String, taken: Set<String>) -> String {
    guard taken.contains(name) else { return name }
    var counter = 2
    while true {
      let suffix = "_\(counter)"
      let candidate = String(name.prefix(maximumLength - suffix.count)) + suffix
      if !taken.contains(candidate) { return candidate }
      counter += 1
    }
  }
}

/// A provider's tool offered under another name.
struct RenamedTool: Tool {
  let base: any Tool
  let definition: ToolDefinition

  init(base: any Tool, name: String) {
    self.base = base
    var definition = base.definition
    definition.name = name
    self.definition = definition
  }

  var timeout: Duration? { base.timeout }
  var needsApproval: ToolApproval { base.needsApproval }
  var inputGuardrails: [ToolInputGuardrail] { base.inputGuardrails }
  var outputGuardrails: [ToolOutputGuardrail] { base.outputGuardrails }

  func isEnabled(context: RunContext, agent: Agent) async -> Bool {
    await base.isEnabled(context: context, agent: agent)
  }

  func call(arguments: String, context: ToolContext) async throws -> String {
    try await base.call(arguments: arguments, context: context)
  }
}

extension String {
  /// The string without leading and trailing `character`s.
  fileprivate func trimmingCharacters(in character: Character) -> String {
    String(drop(while: { $0 == character }).reversed().drop(while: { $0 == character }).reversed())
  }
}
