#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Creates runnable agents: one-line factory functions for the built-in agents, and agents from any
/// ``AgentDefinition`` with their tools and handoffs resolved.
///
/// ```swift
/// let tutor = AgentFactory.createMathTutor(model: "qwen3:8b")
/// let result = try await runner.run(tutor, input: "What is 12.5% of 640?")
/// ```
public struct AgentFactory: Sendable {
  /// The default model of the built-in agents (``ServerSettings/defaultModel``).
  public static let defaultModel = ServerSettings.defaultModel
  /// The built-in agents' sampling temperature.
  public static let defaultTemperature = 0.7

  /// The agents that can be created by id.
  public var catalog: AgentCatalog
  /// The tools agents may be given.
  public var tools: ToolCatalog
  /// Chooses each agent's model (normally ``ServerSettings/model(for:)``).
  public var modelForAgent: @Sendable (AgentDefinition) -> String
  /// The context length for agents whose definition names none (from `--context-length`, the configuration
  /// file or the server's `/api/show`); `nil` sends whole histories.
  public var defaultContextLength: Int?
  /// Whether every agent gets the prompt-injection guard (`true`), none does (`false`), or each definition decides
  /// (`nil`, the default: on for the built-in agents, off unless configured for the agents of a configuration file).
  public var guardsPromptInjection: Bool?
  /// `--system`, `--temperature` and `-o key=value`: applied to every agent after its own settings.
  public var overrides = AgentOverrides()
  /// The MCP servers agents can name in their definitions' ``AgentDefinition/mcpServers``.
  public var mcpServers: MCPServerSet = .empty

  /// Creates a factory.
  ///
  /// - Parameters:
  ///   - catalog: The known agents.
  ///   - tools: The tool catalogue (its workspace root confines the file tools).
  ///   - modelForAgent: The model for a definition; by default its own model or ``defaultModel``.
  public init(
    catalog: AgentCatalog = AgentCatalog(), tools: ToolCatalog = ToolCatalog(workspaceRoot: "."),
    modelForAgent: @escaping @Sendable (AgentDefinition) -> String = { $0.model ?? AgentFactory.defaultModel }
  ) {
    self.catalog = catalog
    self.tools = tools
    self.modelForAgent = modelForAgent
  }

  /// A factory for the resolved settings: their configuration file's agents, their model choice, and the MCP
  /// servers (made from the file's `mcp_servers`) those agents use.
  public init(
    settings: ServerSettings, workspaceRoot: String = ".", writingStyle: WritingStyle = .standard,
    mcpServers: MCPServerSet = .empty
  ) {
    self.init(
      catalog: AgentCatalog(configFile: settings.configFile, writingStyle: writingStyle),
      tools: ToolCatalog(workspaceRoot: workspaceRoot),
      modelForAgent: { settings.model(for: $0) })
    self.defaultContextLength = settings.contextLength
    self.mcpServers = mcpServers
  }

  // MARK: One-line factory functions for the built-in agents

  /// The math tutor: step-by-step explanations, with the calculator tool for arithmetic.
  public static func createMathTutor(model: String = defaultModel) -> Agent {
    AgentFactory().agent(for: BuiltInAgents.mathTutor(model: model))
  }

  /// The coding assistant, with read-only file tools confined to `workspaceRoot`.
  public static func createCodingAssistant(model: String = defaultModel, workspaceRoot: String = ".") -> Agent {
    AgentFactory(tools: ToolCatalog(workspaceRoot: workspaceRoot))
      .agent(for: BuiltInAgents.codingAssistant(model: model))
  }

  /// The creative writer in `style`.
  public static func createCreativeWriter(model: String = defaultModel, style: WritingStyle = .standard) -> Agent {
    AgentFactory().agent(for: BuiltInAgents.creativeWriter(model: model, style: style))
  }

  /// The triage agent, handing off to a math tutor, a coding assistant and a creative writer.
  public static func createTriageAgent(model: String = defaultModel, workspaceRoot: String = ".") -> Agent {
    let factory = AgentFactory(tools: ToolCatalog(workspaceRoot: workspaceRoot), modelForAgent: { _ in model })
    // The catalog holds only built-ins here, so the lookup cannot fail.
    return (try? factory.makeAgent(id: BuiltInAgents.triageID))
      ?? factory.agent(for: BuiltInAgents.triage(model: model))
  }

  // MARK: Agents by id

  /// The agent `id` with its tools, and every agent it can reach through handoffs, wired together.
  ///
  /// Handoff cycles (a specialist handing back to triage) are fine: each agent is created once.
  ///
  /// - Throws: ``AppError`` with code `usage` when `id` (or a handoff target) is unknown.
  public func makeAgent(id: String) throws(AppError) -> Agent {
    let start = try catalog.definition(id: id)
    var built: [String: Agent] = [:]
    var pending = [start]
    while let definition = pending.popLast() {
      guard built[definition.id] == nil else { continue }
      built[definition.id] = agent(for: definition)
      for target in definition.handoffs where built[target] == nil {
        pending.append(try catalog.definition(id: target))
      }
    }
    for (id, agent) in built {
      let definition = try catalog.definition(id: id)
      agent.handoffs = definition.handoffs.compactMap { target in built[target].map { Handoff.to($0) } }
    }
    return built[start.id]!
  }

  /// An agent for `definition` with its tools and settings but without handoffs.
  public func agent(for definition: AgentDefinition) -> Agent {
    var settings = ModelSettings()
    settings.temperature = definition.temperature ?? Self.defaultTemperature
    settings.maxTokens = definition.maxTokens
    settings.topP = definition.sampling.topP
    settings.seed = definition.sampling.seed
    settings.stop = definition.sampling.stop
    settings.frequencyPenalty = definition.sampling.frequencyPenalty
    settings.presencePenalty = definition.sampling.presencePenalty
    settings.toolChoice = definition.tools.isEmpty ? nil : definition.toolChoice
    let model = modelForAgent(definition)
    RecommendedSampling.applying(forModel: model, to: &settings)
    var contextLength = definition.sampling.contextLength ?? defaultContextLength
    overrides.apply(to: &settings, contextLength: &contextLength)
    let agent = Agent(
      name: definition.name,
      instructions: .text(overrides.instructions ?? definition.instructions),
      handoffDescription: definition.summary.isEmpty ? nil : definition.summary,
      model: .named(model),
      modelSettings: settings,
      tools: tools.tools(named: definition.tools).map { tool in
        // `approve_tools`: the definition's consent to run these tools' calls without asking.
        guard definition.approvedTools.contains(tool.name), var approved = tool as? FunctionTool else { return tool }
        approved.needsApproval = .never
        return approved
      })
    agent.toolProviders = mcpServers.providers(for: definition.mcpServers)
    agent.contextLength = contextLength
    agent.answerSamples = definition.sampling.answerSamples ?? 1
    if guardsPromptInjection ?? definition.guardsPromptInjection { agent.inputGuardrails = [.promptInjection] }
    return agent
  }
}
