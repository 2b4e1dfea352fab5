import Agents
import AgentsApp

/// The mutable state of a chat.
struct ChatState {
  var agentID: String
  /// Agents built so far by id, so switching back and forth is instant.
  var agents: [String: Agent]
  /// The conversation; switching to another one forgets the tools allowed with "always".
  var session: any Session {
    didSet { alwaysAllowed = [] }
  }
  /// Tools the user answered "always" for in this session: they run without asking until the chat ends or
  /// switches sessions.
  var alwaysAllowed: Set<AllowedTool> = []
  /// `/model`: the model every agent uses instead of its own.
  var modelOverride: String?
  /// `/guard`: the prompt-injection guard on or off for every agent; `nil`: as each agent is defined.
  var promptGuard: Bool?
  /// `/reasoning`: whether reasoning is shown.
  var showsReasoning: Bool
  /// `/stats on|off`: whether a stats line follows each answer.
  var showsStats: Bool
  var statistics = ChatStatistics()

  /// The factory for the current overrides.
  func factory(_ services: AppServices) -> AgentFactory {
    services.factory(modelOverride: modelOverride, promptGuard: promptGuard)
  }
}

/// A tool of one agent that the user allowed with "always".
struct AllowedTool: Hashable {
  var agent: String
  var tool: String
}
