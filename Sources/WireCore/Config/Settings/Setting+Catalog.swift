// The settings table: every setting of the `agents` command and the SDK, declared once.
//
// Adding a setting: declare it below (a `static let` and an entry in `all`), then read its value where it is used,
// e.g. `services.settings.values.integer(.keepAlive)`. The command line, the configuration file, the range checks,
// `--help`, `--verbose`, the debug log, `doctor` and docs/settings.md's reference table (regenerate it with
// `UPDATE_SETTINGS_REFERENCE=1 swift test --filter SettingsReferenceTests`) all follow from the declaration.

extension Setting {
  /// Every setting, in the order `--help`, `--verbose`, `doctor` and the README list them.
  public static let all: [Setting] = [
    baseURL, provider, model, timeout, deadline, responseCache, apiKey, config, maxInputCharacters,
    maxConcurrentRequests,
    contextLength, system, temperature, modelOptions, toolCalling, markdown, hideReasoning, stats, dataDirectory,
    verbose,
    logLevel, noColor,
  ]

  /// The kind of server.
  public static let provider = Setting(
    key: "provider", label: "provider", option: "--provider", valueName: "provider",
    kind: .choice(["ollama", "openai"]), defaultValue: .text("ollama"),
    defaultDescription: "ollama; openai when OPENAI_BASE_URL is set (it wins over OLLAMA_HOST)",
    help: "The kind of server: ollama or openai.", example: "openai")

  /// The server's OpenAI-compatible base URL.
  public static let baseURL = Setting(
    key: "base_url", label: "base URL", option: "--base-url", valueName: "url",
    variables: [ServerEnvironment.openAIBaseURL, ServerEnvironment.ollamaHost], kind: .url,
    defaultValue: .text(OllamaConfig.defaultBaseURL),
    help: "The server's OpenAI-compatible base URL. OPENAI_BASE_URL is used as it is; OLLAMA_HOST is parsed as "
      + "Ollama parses it (host, host:port or URL) and gets /v1. Each counts only for its own provider.",
    example: "http://localhost:11434/v1")

  /// The API key.
  public static let apiKey = Setting(
    key: "api_key", label: "API key", option: "--api-key", valueName: "key",
    variables: [ServerEnvironment.openAIAPIKey, ServerEnvironment.ollamaAPIKey], inFile: false, kind: .secret,
    defaultDescription: "not set",
    help: "The API key, sent as a bearer token and never shown. OPENAI_API_KEY counts only for the openai provider, "
      + "OLLAMA_API_KEY (ollama.com) only for ollama. Never read from the file.",
    example: "sk-…")

  /// The model.
  public static let model = Setting(
    key: "model", label: "model", option: "--model", valueName: "name", variables: ["AGENTS_MODEL"], kind: .text,
    defaultValue: .text(OllamaConfig.defaultModelName),
    help: "The model. The option replaces every agent's own model; AGENTS_MODEL and the file set the model of "
      + "agents that name none.",
    example: "qwen3:8b")

  /// The request timeout.
  public static let timeout = Setting(
    key: "timeout", label: "timeout", option: "--timeout", valueName: "seconds", variables: ["AGENTS_TIMEOUT"],
    kind: .number(0.001...86_400), defaultDescription: "600 s to the first byte, 120 s between chunks",
    help: "Seconds allowed before the first byte and between chunks (0.001 to 86400, one day).", example: "120")

  /// The time budget of one question (`ask`, one chat message, one `mcp serve` call): every request it makes
  /// (context-length lookups, each turn, retries) comes out of it.
  public static let deadline = Setting(
    key: "deadline", label: "deadline", option: "--deadline", valueName: "seconds", variables: ["AGENTS_DEADLINE"],
    kind: timeout.kind, defaultDescription: "ask and mcp serve: 1800 s; chat messages: none (Ctrl-C stops one)",
    help: "Seconds one question may take in all: context-length lookups, every turn and retries (0.001 to 86400).",
    example: "300")

  /// The local response cache.
  public static let responseCache = Setting(
    key: "response_cache", label: "cache", option: "--cache", variables: ["AGENTS_CACHE"], kind: .flag,
    defaultValue: .flag(false),
    help: "Keep answers in the local cache and replay them when the server is unreachable.", example: "1")

  /// The configuration file.
  public static let config = Setting(
    key: "config", label: "config", option: "--config", valueName: "file", variables: ["AGENTS_CONFIG"],
    inFile: false, kind: .path, defaultDescription: "$AGENTS_HOME/agents.yaml when it exists",
    help: "A YAML file with agents and defaults.", example: "agents.yaml")

  /// The longest input.
  public static let maxInputCharacters = Setting(
    key: "max_input_chars", label: "max input", option: "--max-input-chars", valueName: "n",
    variables: ["AGENTS_MAX_INPUT_CHARS"], kind: .integer(1...100_000_000),
    defaultValue: .integer(defaultMaxInputCharacters),
    help: "The longest chat or ask message accepted, in characters.", example: "200000")

  /// The concurrency limit.
  public static let maxConcurrentRequests = Setting(
    key: "max_concurrent_requests", label: "requests", option: "--max-concurrent-requests", valueName: "n",
    variables: [OllamaConfig.maxConcurrentRequestsVariable], kind: .integer(0...1024),
    defaultValue: .integer(OllamaConfig.defaultMaxConcurrentRequestsPerServer),
    help: "The most requests sent to one server at once; more wait in line (0: no limit).", example: "4")

  /// The context length.
  public static let contextLength = Setting(
    key: "context_length", label: "context", option: "--context-length", valueName: "tokens",
    variables: ["AGENTS_CONTEXT_LENGTH"], kind: .integer(contextLengthRange),
    defaultDescription: "asked from Ollama; other servers get the whole history",
    help: "The model's context in tokens, for agents that name none; older history is trimmed to fit.",
    example: "8192")

  /// `ask` and `chat`: instructions that replace every agent's own.
  public static let system = Setting(
    key: "system", label: "system", option: "--system", valueName: "text", variables: ["AGENTS_SYSTEM"],
    kind: .text, defaultDescription: "each agent's own instructions",
    help: "ask and chat: instructions that replace every agent's own (a system prompt).",
    example: "'Answer in one sentence.'")

  /// `ask` and `chat`: the sampling temperature of every agent.
  public static let temperature = Setting(
    key: "temperature", label: "temperature", option: "--temperature", valueName: "t",
    variables: ["AGENTS_TEMPERATURE"], kind: .number(0...2),
    defaultDescription: "the agent's (0.7 unless it names one)",
    help: "ask and chat: the sampling temperature of every agent, 0 to 2.", example: "0.2")

  /// `ask` and `chat`: any model setting, by its request name.
  public static let modelOptions = Setting(
    key: "model_options", label: "model opts", option: "--option", shortOption: "-o", valueName: "key=value",
    variables: ["AGENTS_MODEL_OPTIONS"], kind: .keyValues, defaultDescription: "none",
    help: "ask and chat: any model setting, e.g. -o top_k=40 -o seed=7 -o max_tokens=200 (repeatable; unknown keys go "
      + "to the server; --temperature wins over -o temperature). The environment variable holds a JSON object, the "
      + "file a mapping; options add to them, a later key replacing an earlier one.",
    example: "seed=7")

  /// How tool calls and handoffs are got from the model (the SDK's `ToolCallingStrategy`).
  public static let toolCalling = Setting(
    key: "tool_calling", label: "tool calling", option: "--tool-calling", valueName: "strategy",
    variables: ["AGENTS_TOOL_CALLING"], kind: .choice(["automatic", "native", "constrained"]),
    defaultValue: .text("automatic"),
    help: "How tool calls and handoffs are got from the model: native (the model calls them), constrained (routing "
      + "and required calls decoded against JSON schemas, for small models), or automatic: constrained for models "
      + "under 4B parameters, by the name or the size the server reports.",
    example: "native")

  /// `ask` and `chat` on a terminal: Markdown rendering.
  public static let markdown = Setting(
    key: "markdown", label: "markdown", option: "--markdown", variables: ["AGENTS_MARKDOWN"], kind: .flag,
    defaultValue: .flag(true),
    help: "ask and chat on a terminal: render answers as Markdown; --no-markdown shows them as the model wrote them "
      + "(only wrapped).",
    example: "0")

  /// `ask` and `chat`: the model's reasoning.
  public static let hideReasoning = Setting(
    key: "hide_reasoning", label: "hide reasoning", option: "--hide-reasoning", variables: ["AGENTS_HIDE_REASONING"],
    kind: .flag, defaultValue: .flag(false), help: "ask and chat: hide the model's reasoning (shown dimmed otherwise).",
    example: "1")

  /// `ask` and `chat`: statistics after each answer.
  public static let stats = Setting(
    key: "stats", label: "stats", option: "--stats", variables: ["AGENTS_STATS"], kind: .flag,
    defaultValue: .flag(false),
    help: "ask and chat: after each answer, show tokens, tokens per second and time to first token.", example: "1")

  /// The data directory.
  public static let dataDirectory = Setting(
    key: "data_dir", label: "data dir", valueName: "dir", variables: ["AGENTS_HOME"], inFile: false, kind: .path,
    defaultDescription: "$XDG_DATA_HOME/ollama-agents or ~/.local/share/ollama-agents",
    help: "Where sessions, run records, the response cache and the implicit agents.yaml live.",
    example: "~/agents-data")

  /// `--verbose`.
  public static let verbose = Setting(
    key: "verbose", label: "verbose", option: "--verbose", inFile: false, kind: .flag, defaultValue: .flag(false),
    help: "Show where each setting came from, and log retries, model switches and cache hits.", example: "")

  /// The log level.
  public static let logLevel = Setting(
    key: "log_level", label: "log level", valueName: "level", variables: ["AGENTS_LOG_LEVEL"], inFile: false,
    kind: .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]),
    defaultDescription: "critical; info with --verbose",
    help: "How much is logged to standard error (secrets are always removed).", example: "debug")

  /// `NO_COLOR`.
  public static let noColor = Setting(
    key: "no_color", label: "no colour", valueName: "any", variables: ["NO_COLOR"], inFile: false, kind: .text,
    defaultDescription: "colour on a terminal",
    help: "Set to anything to turn colour off (no-color.org).", example: "1")

  /// Options of single commands, declared here for their ranges and help (they are not global settings: only
  /// their command accepts them, and only on the command line).
  public static let commandOptions: [Setting] = [maxTurns, benchRuns, benchConcurrency]

  /// `agents ask --max-turns` and `agents mcp serve --max-turns`: the most model calls of one answer.
  public static let maxTurns = Setting(
    key: "max_turns", label: "max turns", option: "--max-turns", valueName: "n", inFile: false,
    kind: .integer(1...10_000), defaultValue: .integer(10),
    help: "agents ask and mcp serve only: the most model calls of one answer, handoffs included.", example: "20")

  /// `agents bench --runs`: each run keeps its latency, so the count is bounded.
  public static let benchRuns = Setting(
    key: "bench.runs", label: "bench runs", option: "--runs", valueName: "n", inFile: false,
    kind: .integer(1...100_000),
    defaultValue: .integer(10), help: "agents bench only: how many runs.", example: "20")

  /// `agents bench --concurrency`: each run at a time is a task with a request in flight.
  public static let benchConcurrency = Setting(
    key: "bench.concurrency", label: "bench concurrency", option: "--concurrency", valueName: "c", inFile: false,
    kind: .integer(1...1_024), defaultValue: .integer(1), help: "agents bench only: how many runs at a time.",
    example: "4")

  /// The context lengths an agent or ``contextLength`` may name, in tokens.
  public static let contextLengthRange: ClosedRange<Int> = 256...10_000_000
  /// The default of ``maxInputCharacters``.
  public static let defaultMaxInputCharacters = 200_000
}

/// The environment variables that say where the model server is, and the one rule that picks between them (used by
/// the `agents` command and ``OllamaConfig/fromEnvironment(_:)`` alike).
public enum ServerEnvironment {
  /// Ollama's host variable: `host`, `host:port` or a URL, parsed as Ollama parses it (``OllamaHost``).
  public static let ollamaHost = "OLLAMA_HOST"
  /// The API key for Ollama's cloud (ollama.com).
  public static let ollamaAPIKey = "OLLAMA_API_KEY"
  /// The base URL of an OpenAI-compatible server.
  public static let openAIBaseURL = "OPENAI_BASE_URL"
  /// The API key of an OpenAI-compatible server.
  public static let openAIAPIKey = "OPENAI_API_KEY"

  /// The provider the environment implies: ``OllamaConfig/Provider/openAI`` when `OPENAI_BASE_URL` is set (even if
  /// `OLLAMA_HOST` is too: `OLLAMA_HOST` is often set for the Ollama server itself, e.g. `0.0.0.0`), else
  /// ``OllamaConfig/Provider/ollama`` when `OLLAMA_HOST` is set, else `nil`. Empty values count as unset.
  public static func impliedProvider(_ environment: [String: String]) -> OllamaConfig.Provider? {
    if nonEmpty(environment[openAIBaseURL]) != nil { return .openAI }
    if nonEmpty(environment[ollamaHost]) != nil { return .ollama }
    return nil
  }

  /// The base URL the environment gives `provider`, and the variable it came from: `OPENAI_BASE_URL` as it is for
  /// OpenAI-compatible servers, `OLLAMA_HOST` parsed and with `/v1` appended for Ollama; `nil` when unset.
  public static func baseURL(
    for provider: OllamaConfig.Provider, in environment: [String: String]
  ) -> (url: String, variable: String)? {
    if provider == .openAI {
      return nonEmpty(environment[openAIBaseURL]).map { ($0, openAIBaseURL) }
    }
    return nonEmpty(environment[ollamaHost]).map { (ollamaBaseURL(host: $0), ollamaHost) }
  }

  /// The OpenAI-compatible base URL of the Ollama at `host` (as `OLLAMA_HOST` gives it; `nil`: Ollama's default):
  /// the host parsed as Ollama parses it, with `/v1` appended. The one place `/v1` is added to an Ollama address.
  public static func ollamaBaseURL(host: String?) -> String {
    OllamaHost(parsing: host).connectable.url + "/v1"
  }

  /// The API key the environment gives `provider`: `OPENAI_API_KEY` only for OpenAI-compatible servers (many
  /// machines set it globally for the OpenAI cloud), `OLLAMA_API_KEY` only for Ollama.
  public static func apiKey(for provider: OllamaConfig.Provider, in environment: [String: String]) -> String? {
    nonEmpty(environment[provider == .openAI ? openAIAPIKey : ollamaAPIKey])
  }

  static func nonEmpty(_ value: String?) -> String? {
    guard let value else { return nil }
    let trimmed = OllamaHost.trimmed(value)
    return trimmed.isEmpty ? nil : trimmed
  }
}
