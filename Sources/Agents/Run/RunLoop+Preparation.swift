extension RunLoop {
  /// The agent's tools that are enabled on this turn: its own, then its providers' (listed concurrently, renamed
  /// where names clash; see ``ToolProvider``).
  func enabledTools(_ configuration: Agent.Configuration, agent: Agent, context: RunContext) async throws
    -> [any Tool]
  {
    var tools: [any Tool] = []
    tools.reserveCapacity(configuration.tools.count)
    for tool in configuration.tools where await tool.isEnabled(context: context, agent: agent) { tools.append(tool) }
    guard !configuration.toolProviders.isEmpty else { return tools }
    let providers = configuration.toolProviders
    let listings = try await withThrowingTaskGroup(of: (Int, [any Tool]).self) { group in
      for (index, provider) in providers.enumerated() {
        group.addTask {
          var enabled: [any Tool] = []
          for tool in try await provider.tools(for: agent, context: context)
          where await tool.isEnabled(context: context, agent: agent) {
            enabled.append(tool)
          }
          return (index, enabled)
        }
      }
      var listings = [(provider: String, tools: [any Tool])](
        providers.map { (provider: $0.name, tools: []) })
      for try await (index, tools) in group { listings[index].tools = tools }
      return listings
    }
    let reserved = Set(tools.map(\.name)).union(configuration.handoffs.map(\.toolName))
    return tools + ProvidedToolNames.resolve(listings, reserved: reserved)
  }

  /// The tool definitions the model sees, after checking names are valid and unique.
  func definitions(_ tools: [any Tool], _ handoffs: [Handoff], agent: String) throws(AgentsError) -> [ToolDefinition] {
    var definitions = tools.map(\.definition)
    definitions += handoffs.map(\.definition)
    var seen = Set<String>()
    for definition in definitions {
      guard Self.isValidToolName(definition.name) else {
        throw AgentsError(
          .userError, "Agent '\(agent)' has a tool or handoff named '\(definition.name)'. Tool names must be 1–64 "
            + "characters of letters, digits, '_' or '-'; rename it.")
      }
      guard seen.insert(definition.name).inserted else {
        throw AgentsError(
          .userError, "Agent '\(agent)' has two tools or handoffs named '\(definition.name)'. The model could not "
            + "tell them apart; give each a unique name.")
      }
    }
    return definitions
  }

  private static func isValidToolName(_ name: String) -> Bool {
    (1...64).contains(name.utf8.count)
      && name.utf8.allSatisfy { byte in
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
          || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
      }
  }

  /// The model settings for this call: the agent's, overlaid by the runner's, with `toolChoice` reset once
  /// the agent has used a tool.
  func settings(_ configuration: Agent.Configuration, agent: Agent) throws(AgentsError) -> ModelSettings {
    var settings = configuration.modelSettings.resolved(with: self.configuration.modelSettings)
    if configuration.resetToolChoice, toolUsers.contains(ObjectIdentifier(agent)) { settings.toolChoice = nil }
    do {
      try settings.validate()
    } catch {
      throw AgentsError(.userError, "Agent '\(configuration.name)': \(error.message)")
    }
    return settings
  }

  /// The model for this call: the runner's override, else the agent's, resolved through the model provider
  /// (by default an ``OpenAICompatibleProvider`` for the server the environment names).
  func resolveModel(_ configuration: Agent.Configuration) throws -> any Model {
    let reference = self.configuration.model ?? configuration.model
    if case .model(let model) = reference { return model }
    let provider: any ModelProvider
    if let configured = self.configuration.modelProvider {
      provider = configured
    } else {
      do {
        provider = try OpenAICompatibleProvider.environmentDefault.get()
      } catch {
        throw AgentsError(
          .userError, "Agent '\(configuration.name)' needs a model provider, and the environment does not describe "
            + "a usable server: \(error) Fix OLLAMA_HOST / OPENAI_BASE_URL, or pass Runner.Configuration(modelProvider:).",
          underlying: error)
      }
    }
    return try provider.model(named: reference?.name)
  }
}
