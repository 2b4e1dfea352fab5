/// The contents of an agents configuration file (YAML): server defaults and custom agents.
///
/// ```yaml
/// defaults:
///   base_url: http://localhost:11434/v1
///   provider: ollama          # ollama | openai
///   model: llama3.2
///   timeout: 120              # seconds
///   max_input_chars: 200000   # longest chat/ask input
///   max_concurrent_requests: 4 # requests to the server at once (0: no limit)
///   context_length: 8192      # tokens; default: the model's context from /api/show
/// agents:
///   - id: reviewer
///     name: Code Reviewer
///     instructions: You review Swift code for bugs and clarity.
///     description: Reviews code and points out bugs.
///     model: qwen3:8b
///     temperature: 0.2
///     max_tokens: 1024
///     tools: [read_file, search_text]
///     handoffs: [coding]
///     top_p: 0.9                # also: seed, stop, frequency_penalty, presence_penalty
///     context_length: 16384
///     answer_samples: 3         # small models: draw the answer 3 times, keep the most agreed (default 1)
///     prompt_injection_guard: true   # off by default for configured agents
///     mcp: [time]               # tools of MCP servers from `mcp_servers` (see MCPServerDefinition)
/// mcp_servers:
///   - name: time
///     command: mcp-server-time
/// ```
@MemberwiseInit
public struct AgentsConfigFile: Sendable, Hashable {
  /// Server and model defaults from the file's `defaults` section: a value for any setting of ``Setting/all``
  /// whose ``Setting/inFile`` is true, by key, checked against the setting's declaration when the file is read.
  public struct Defaults: Sendable, Hashable {
    /// The values given, by setting key.
    public var values: [String: Setting.Value]

    /// Creates defaults; every field is optional.
    public init(
      baseURL: String? = nil, provider: ServerProvider? = nil, model: String? = nil, timeout: Double? = nil,
      responseCache: Bool? = nil
    ) {
      values = [:]
      values[Setting.baseURL.key] = baseURL.map(Setting.Value.text)
      values[Setting.provider.key] = provider.map { .text($0.rawValue) }
      values[Setting.model.key] = model.map(Setting.Value.text)
      values[Setting.timeout.key] = timeout.map(Setting.Value.number)
      values[Setting.responseCache.key] = responseCache.map(Setting.Value.flag)
    }

    /// The server's OpenAI-compatible base URL (ending in `/v1` for Ollama).
    public var baseURL: String? { text(.baseURL) }
    /// The kind of server.
    public var provider: ServerProvider? { text(.provider).flatMap(ServerProvider.init(rawValue:)) }
    /// The default model for agents that do not name one.
    public var model: String? { text(.model) }
    /// The request timeout in seconds (time to first byte and idle time between chunks).
    public var timeout: Double? {
      if case .number(let seconds)? = values[Setting.timeout.key] { return seconds }
      return nil
    }
    /// The longest input accepted by chat and ask, in characters (`max_input_chars`).
    public var maxInputCharacters: Int? { integer(.maxInputCharacters) }
    /// The most requests sent to the server at once (`max_concurrent_requests`, 0 for no limit).
    public var maxConcurrentRequests: Int? { integer(.maxConcurrentRequests) }
    /// The context length for agents that name none (`context_length`), instead of asking the server.
    public var contextLength: Int? { integer(.contextLength) }
    /// Whether answers are kept in the local response cache and replayed when the server is unreachable.
    public var responseCache: Bool? {
      if case .flag(let on)? = values[Setting.responseCache.key] { return on }
      return nil
    }

    private func text(_ setting: Setting) -> String? {
      if case .text(let text)? = values[setting.key] { return text }
      return nil
    }

    private func integer(_ setting: Setting) -> Int? {
      if case .integer(let value)? = values[setting.key] { return value }
      return nil
    }
  }

  /// Where the file was read from, for messages.
  public var path: String
  /// The `defaults` section.
  public var defaults: Defaults = Defaults()
  /// The agents defined in the file, in file order.
  public var agents: [AgentDefinition] = []
  /// The MCP servers agents can use (`mcp_servers`), in file order.
  public var mcpServers: [MCPServerDefinition] = []
}

/// Why a configuration file was rejected: every problem found, each with its line and column.
public struct ConfigFileError: Error, Sendable, Hashable, CustomStringConvertible {
  /// One problem in the file.
  @MemberwiseInit
  public struct Issue: Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line, when known.
    public var line: Int?
    /// The 1-based column, when known.
    public var column: Int?
    /// What is wrong and what is expected.
    public var message: String

    /// `line:column: message`.
    public var description: String {
      switch (line, column) {
      case (let line?, let column?): "\(line):\(column): \(message)"
      case (let line?, nil): "\(line): \(message)"
      default: message
      }
    }
  }

  /// The file's path.
  public var path: String
  /// The problems, in file order.
  public var issues: [Issue]

  /// Creates an error.
  public init(path: String, issues: [Issue]) {
    self.path = path
    self.issues = issues
  }

  /// One `path:line:column: message` line per problem.
  public var description: String {
    issues.map { "\(path):\($0)" }.joined(separator: "\n")
  }
}
