import AgentsCommandLine
import ArgumentParser

/// The options every subcommand accepts (they may also come before the subcommand).
struct GlobalOptionGroup: ParsableArguments {
  @Option(name: .customLong("base-url"), help: ArgumentHelp("The server's OpenAI-compatible base URL.", valueName: "url"))
  var baseURL: String?

  @Option(name: .customLong("api-key"), help: ArgumentHelp("The API key (sent as a bearer token).", valueName: "key"))
  var apiKey: String?

  @Option(help: ArgumentHelp("The kind of server: ollama or openai.", valueName: "provider"))
  var provider: String?

  @Option(help: ArgumentHelp("The model, for every agent (e.g. llama3.2, qwen3:8b).", valueName: "name"))
  var model: String?

  @Option(help: ArgumentHelp("Seconds allowed before the first byte and between chunks.", valueName: "seconds"))
  var timeout: Double?

  @Option(help: ArgumentHelp("A YAML file with agents and defaults.", valueName: "file"))
  var config: String?

  @Option(
    name: .customLong("max-input-chars"),
    help: ArgumentHelp("The longest message accepted, in characters (default 200000).", valueName: "n"))
  var maxInputCharacters: Int?

  @Option(
    name: .customLong("max-concurrent-requests"),
    help: ArgumentHelp("The most requests sent to the server at once (default 4; 0: no limit).", valueName: "n"))
  var maxConcurrentRequests: Int?

  @Option(
    name: .customLong("context-length"),
    help: ArgumentHelp("The model's context in tokens; older history is trimmed to fit (default: ask Ollama).", valueName: "tokens"))
  var contextLength: Int?

  @Flag(help: "Show where each setting came from.")
  var verbose = false

  @Flag(
    inversion: .prefixedNo,
    help: "Keep answers in the local cache and replay them when the server is unreachable (default: off).")
  var cache: Bool?

  /// The options as the application layer takes them.
  var options: GlobalOptions {
    GlobalOptions(
      baseURL: baseURL, apiKey: apiKey, provider: provider, model: model, timeout: timeout, configPath: config,
      verbose: verbose, responseCache: cache, maxInputCharacters: maxInputCharacters,
      maxConcurrentRequests: maxConcurrentRequests, contextLength: contextLength)
  }
}
