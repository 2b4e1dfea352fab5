import Synchronization

extension ChatManager {
  /// The agent a chat falls back to when the model has no tool support: it needs no tools.
  static let fallbackAgentID = "creative"

  /// On Ollama, before the first message: when the model cannot call tools but the starting agent needs them (the
  /// default triage agent does), every answer would fail. A chat whose agent the user did not choose switches to the
  /// creative writer and says so; otherwise an interactive chat warns. Both name the installed models that do support
  /// tools.
  func checkToolSupport(of model: String) async {
    let agent = state.withLock { $0.agents[$0.agentID]! }
    guard !agent.tools.isEmpty || !agent.handoffs.isEmpty else { return }
    let client = OllamaClient(config: services.settings.wireConfig)
    guard let info = try? await client.show(model), !info.capabilities.isEmpty, !info.supports(.tools) else { return }
    let installed = (try? await services.modelDirectory.installedModelNames()) ?? []
    var withTools: [String] = []
    for name in installed.sorted() where name != model && withTools.count < 3 {
      if (try? await client.show(name))?.supports(.tools) == true { withTools.append(name) }
    }
    let remedy =
      withTools.isEmpty
      ? "pull one that has, e.g. 'agents models pull llama3.2'"
      : "use one that has: --model \(withTools.joined(separator: " or --model "))"
    let console = services.console
    guard !options.agentChosen, let fallback = try? services.factory().makeAgent(id: Self.fallbackAgentID) else {
      // Piped chats get each failed answer's error, which says the same; at a terminal it is said before typing.
      guard options.interactive else { return }
      console.warn(
        "\(model) cannot call tools, and the \(agent.name) agent needs them, so its answers will fail; \(remedy), or "
          + "chat with --agent \(Self.fallbackAgentID) (no tools needed)")
      return
    }
    state.withLock { state in
      state.agents[Self.fallbackAgentID] = fallback
      state.agentID = Self.fallbackAgentID
    }
    console.warn(
      "\(model) cannot call tools, and the \(agent.name) agent needs them; chatting with the \(fallback.name) instead "
        + "(no tools needed). For the other agents, \(remedy).")
  }
}
