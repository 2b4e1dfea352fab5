import Synchronization

/// A shorthand for the types an agent can produce as structured output.
public typealias StructuredOutput = Decodable & SchemaRepresentable & Sendable

/// An AI agent: instructions, a model, tools, handoffs to other agents, guardrails and an optional
/// structured output type.
///
/// `Agent` is a reference type so agents can hand off to each other in cycles (a triage agent hands off
/// to a specialist, which hands back); its configuration is guarded by a lock, so it is `Sendable` and may be
/// changed between runs. Every ``Configuration`` field is readable and writable on the agent itself:
/// `agent.tools.append(tool)`, `agent.handoffs = [.to(billing)]`. A run reads the configuration afresh at the
/// start of every turn.
@dynamicMemberLookup
public final class Agent: Sendable {
  /// Everything that defines an agent.
  public struct Configuration: Sendable {
    /// The agent's name; also the basis of its handoff and as-tool names.
    public var name: String
    /// The system prompt, fixed or computed per model call.
    public var instructions: Instructions?
    /// Appended to the description of handoffs to this agent, to tell other agents when to hand off.
    public var handoffDescription: String?
    /// The model, by name or as a value; `nil` uses the runner's default.
    public var model: ModelReference?
    /// Sampling and tool settings.
    public var modelSettings: ModelSettings
    /// The tools the agent may call.
    public var tools: [any Tool]
    /// Sources of further tools, asked for their tools at the start of every turn: MCP servers (`AgentsMCP`)
    /// or your own ``ToolProvider``s.
    public var toolProviders: [any ToolProvider] = []
    /// The agents this agent may hand the conversation to.
    public var handoffs: [Handoff]
    /// The structured output type, or `nil` for plain text.
    public var outputType: OutputType?
    /// Checks on the run's input; run only when this agent starts the run.
    public var inputGuardrails: [InputGuardrail]
    /// Checks on the final output; run when this agent produces it.
    public var outputGuardrails: [OutputGuardrail]
    /// Callbacks for this agent's lifecycle events.
    public var hooks: (any RunHooks)?
    /// What happens after the agent's function tools ran.
    public var toolUseBehavior: ToolUseBehavior
    /// Whether to stop forcing `toolChoice` once the agent has used a tool (prevents endless tool loops).
    public var resetToolChoice: Bool
    /// The model's context length in tokens: each request's oldest history is left out until it fits (see
    /// ``ContextWindow``); `nil` sends the whole history. Not sent to the server.
    public var contextLength: Int? = nil
    /// How many times a final answer is drawn, with ``ToolCallingStrategy/constrained`` (models under 4B
    /// parameters), to keep the one that agrees most with the others (self-consistency; see
    /// ``RunEvent/samplingAnswers(count:)``); 1, the default, draws it once. The further samples are sent at once
    /// after the first reply turned out to be an answer (a tool call is not sampled), so a turn with an answer
    /// takes about twice as long on a server that decodes two requests together. Ignored with
    /// ``ToolCallingStrategy/native`` and for agents with an ``outputType``.
    public var answerSamples: Int = 1
  }

  private let storage: Mutex<Configuration>

  /// Creates an agent.
  ///
  /// - Parameters:
  ///   - outputType: a `Decodable & SchemaRepresentable` type the final output is decoded into.
  public init(
    name: String, instructions: Instructions? = nil, handoffDescription: String? = nil,
    model: ModelReference? = nil, modelSettings: ModelSettings = ModelSettings(), tools: [any Tool] = [],
    toolProviders: [any ToolProvider] = [], handoffs: [Handoff] = [], outputType: (any StructuredOutput.Type)? = nil,
    inputGuardrails: [InputGuardrail] = [], outputGuardrails: [OutputGuardrail] = [],
    hooks: (any RunHooks)? = nil, toolUseBehavior: ToolUseBehavior = .runLLMAgain, resetToolChoice: Bool = true
  ) {
    storage = Mutex(
      Configuration(
        name: name, instructions: instructions, handoffDescription: handoffDescription, model: model,
        modelSettings: modelSettings, tools: tools, toolProviders: toolProviders, handoffs: handoffs,
        outputType: outputType.map { OutputType($0) }, inputGuardrails: inputGuardrails,
        outputGuardrails: outputGuardrails, hooks: hooks,
        toolUseBehavior: toolUseBehavior, resetToolChoice: resetToolChoice))
  }

  /// Creates an agent from a configuration.
  public init(configuration: Configuration) {
    storage = Mutex(configuration)
  }

  /// A copy of the whole configuration; setting it replaces the configuration at once.
  public var configuration: Configuration {
    get { storage.withLock { $0 } }
    set { storage.withLock { $0 = newValue } }
  }

  /// Reads or writes one configuration field, e.g. `agent.name` or `agent.tools`.
  public subscript<Value: Sendable>(dynamicMember keyPath: WritableKeyPath<Configuration, Value>) -> Value {
    get { storage.withLock { $0[keyPath: keyPath] } }
    set { storage.withLock { $0[keyPath: keyPath] = newValue } }
  }

  /// A new agent with this one's configuration, changed by `modify`.
  ///
  /// The copy is shallow: it shares tools and handoff targets with the original.
  public func clone(_ modify: (inout Configuration) throws -> Void = { _ in }) rethrows -> Agent {
    var copy = configuration
    try modify(&copy)
    return Agent(configuration: copy)
  }
}

extension Agent: CustomStringConvertible {
  /// `Agent(name)`.
  public var description: String { "Agent(\(self.name))" }
}
