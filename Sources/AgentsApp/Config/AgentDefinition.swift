/// The description of one agent: who it is, what it is told, which model runs it, what it may use.
///
/// Built-in agents and agents from a configuration file are both described this way; ``AgentFactory``
/// turns a definition into a runnable `Agent`.
public struct AgentDefinition: Sendable, Hashable {
  /// The accepted `answer_samples`: one draw (off) to five.
  public static let answerSamplesRange: ClosedRange<Int> = 1...5
  /// The short id used on the command line (`--agent ID`, `/agent ID`).
  public var id: String
  /// The display name, also the agent name reported in results.
  public var name: String
  /// The system prompt.
  public var instructions: String
  /// A one-line summary shown by `agents list` and given to agents that hand off to this one.
  public var summary: String
  /// The model; `nil` uses the resolved default model.
  public var model: String?
  /// The sampling temperature; `nil` uses ``AgentFactory/defaultTemperature``.
  public var temperature: Double?
  /// The most tokens one reply may use; `nil` leaves it to the server.
  public var maxTokens: Int?
  /// Names from the built-in tool catalogue (``BuiltInTool``).
  public var tools: [String]
  /// Whether the agent must call a tool on its first turn (`required`, or one tool by name); `nil` lets the model
  /// decide. The choice is dropped once a tool has run, so the agent can then answer.
  public var toolChoice: ToolChoice?
  /// Ids of the agents this one may hand off to.
  public var handoffs: [String]
  /// Further sampling settings (top_p, seed, stop, penalties) and the context length; validated like
  /// ``ModelSettings``. Temperature and max tokens live in their own fields.
  public var sampling: SamplingSettings
  /// Whether the prompt-injection input guardrail checks this agent's input (on for the built-in agents,
  /// off by default for configured ones: `prompt_injection_guard: true`).
  public var guardsPromptInjection: Bool
  /// Names of the MCP servers (the configuration file's `mcp_servers`) whose tools the agent can use (`mcp`).
  public var mcpServers: [String]
  /// Tools of ``tools`` whose calls run without asking the person first (`approve_tools`), for tools that ask by
  /// default (`run_code`, `write_file`, `apply_patch`).
  public var approvedTools: [String] = []

  /// Creates a definition.
  public init(
    id: String, name: String, instructions: String, summary: String = "", model: String? = nil,
    temperature: Double? = nil, maxTokens: Int? = nil, tools: [String] = [], handoffs: [String] = [],
    sampling: SamplingSettings = SamplingSettings(), guardsPromptInjection: Bool = false, toolChoice: ToolChoice? = nil,
    mcpServers: [String] = []
  ) {
    self.toolChoice = toolChoice
    self.id = id
    self.name = name
    self.instructions = instructions
    self.summary = summary
    self.model = model
    self.temperature = temperature
    self.maxTokens = maxTokens
    self.tools = tools
    self.handoffs = handoffs
    self.sampling = sampling
    self.guardsPromptInjection = guardsPromptInjection
    self.mcpServers = mcpServers
  }
}

/// Sampling settings of a configured agent beyond temperature and max tokens; `nil` leaves each to the server.
@MemberwiseInit
public struct SamplingSettings: Sendable, Hashable {
  /// Nucleus sampling mass (`top_p`).
  public var topP: Double?
  /// The sampling seed (`seed`).
  public var seed: Int?
  /// Stop sequences (`stop`).
  public var stop: [String]?
  /// Frequency penalty (`frequency_penalty`).
  public var frequencyPenalty: Double?
  /// Presence penalty (`presence_penalty`).
  public var presencePenalty: Double?
  /// The model's context length in tokens (`context_length`), for trimming history.
  public var contextLength: Int?
  /// How many times a final answer is drawn on a small model to keep the one the samples agree on most
  /// (`answer_samples`, 1–5; see `Agent.Configuration.answerSamples`); `nil` draws it once.
  public var answerSamples: Int?
}

/// Which kind of server the agents talk to.
public enum ServerProvider: String, Sendable, CaseIterable {
  /// A local or remote Ollama server: OpenAI-compatible `/v1` plus the native `/api` endpoints.
  case ollama
  /// Any OpenAI-compatible server (llama-server, vLLM, OpenAI): `/v1` only.
  case openai
}
