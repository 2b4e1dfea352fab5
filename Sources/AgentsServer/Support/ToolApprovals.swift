import Agents
import AgentsApp

extension AgentServer.Configuration {
  /// What the server does with tool calls that need a person's approval (the coding assistant's file edits, MCP
  /// tools under `require_approval`): nobody on the HTTP side can approve one, so by default each is refused and
  /// the model reads why (the run goes on and answers without it; the refusal is the call's output in
  /// `agent_run.tool_calls`). The operator can approve tools ahead for every client (`agents serve --approve`).
  @MemberwiseInit
  public struct ToolApprovals: Sendable, Hashable {
    /// Tools whose calls run without asking.
    public var approvedTools: Set<String> = []
    /// Whether every call that needs approval runs without asking.
    public var approveAll: Bool = false

    /// Refuses every call that needs approval (the default).
    public static let refuseAll = ToolApprovals()

    /// The tool result the model reads instead of a refused call's output.
    static func refusal(_ tool: String) -> String {
      "The call of '\(tool)' needs a person's approval, and nobody can approve it through this server, so it did "
        + "not run and changed nothing. Answer without it, and tell the user it was not done (the server's "
        + "operator can allow it with `agents serve --approve \(tool)`)."
    }

    /// The policy as the conversation applies it: approve or refuse, never pause (a paused run would need a
    /// person to continue it).
    var conversationApprovals: ConversationApprovals {
      let approved = approvedTools
      let all = approveAll
      return ConversationApprovals { item in
        all || approved.contains(item.toolName)
          ? .approve(always: false) : .reject(message: Self.refusal(item.toolName), always: false)
      }
    }
  }
}
