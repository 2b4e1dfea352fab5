#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension OllamaConfig {
  /// Builds a configuration from environment variables, so switching servers needs no code change.
  ///
  /// - `OPENAI_BASE_URL` (non-empty) selects ``Provider/openAI`` with that base URL (llama-server, vLLM,
  ///   OpenAI) and `OPENAI_API_KEY` as its key (``defaultAPIKey`` when unset, which keyless local
  ///   servers accept).
  /// - Otherwise ``Provider/ollama`` at `OLLAMA_HOST`, parsed exactly as Ollama parses it (see
  ///   ``OllamaHost``), with `/v1` appended; `OLLAMA_API_KEY` is the key if set (ollama.com cloud).
  /// - `OPENAI_API_KEY` alone never switches to the OpenAI cloud: many machines have it set globally.
  /// - `AGENTS_MAX_CONCURRENT_REQUESTS` (a whole number, `0` for no limit) sets
  ///   ``maxConcurrentRequestsPerServer``.
  ///
  /// - Parameter environment: The variables to read, usually `ProcessInfo.processInfo.environment`.
  /// - Throws: ``ModelServerError/invalidConfiguration`` when the resulting URL is not a usable
  ///   `http(s)` URL, or the concurrency limit is not a whole number of 0 or more.
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(ModelServerError) -> OllamaConfig {
    var config = OllamaConfig()
    if let openAIBase = nonEmpty(environment["OPENAI_BASE_URL"]) {
      config.provider = .openAI
      config.baseURL = openAIBase
      config.apiKey = nonEmpty(environment["OPENAI_API_KEY"]) ?? defaultAPIKey
    } else {
      let host = OllamaHost(parsing: environment["OLLAMA_HOST"]).connectable
      config.provider = .ollama
      config.baseURL = host.url + "/v1"
      config.apiKey = nonEmpty(environment["OLLAMA_API_KEY"]) ?? defaultAPIKey
    }
    if let limit = try concurrencyLimit(environment[maxConcurrentRequestsVariable]) {
      config.maxConcurrentRequestsPerServer = limit
    }
    do {
      try config.validate()
    } catch {
      let variable = config.provider == .openAI ? "OPENAI_BASE_URL" : "OLLAMA_HOST"
      throw ModelServerError.invalidConfiguration(
        "\(variable) gives an unusable server URL: \(error.serverMessage ?? error.description)",
        suggestion: "Set \(variable) to an http(s) address such as http://127.0.0.1:11434."
      )
    }
    return config
  }

  /// The environment variable that sets ``maxConcurrentRequestsPerServer``.
  public static let maxConcurrentRequestsVariable = "AGENTS_MAX_CONCURRENT_REQUESTS"

  /// Parses a concurrency limit as `AGENTS_MAX_CONCURRENT_REQUESTS` gives it: `nil` when unset or empty.
  ///
  /// - Throws: ``ModelServerError/invalidConfiguration`` when it is not a whole number of 0 or more.
  public static func concurrencyLimit(_ text: String?) throws(ModelServerError) -> Int? {
    guard let text = nonEmpty(text) else { return nil }
    guard let limit = Int(text), limit >= 0 else {
      throw ModelServerError.invalidConfiguration(
        "\(maxConcurrentRequestsVariable) is '\(text)', which is not a whole number of 0 or more.",
        suggestion: "Set it to the most requests to send to one server at once, e.g. 4, or 0 for no limit."
      )
    }
    return limit
  }

  private static func nonEmpty(_ value: String?) -> String? {
    guard let value else { return nil }
    let trimmed = OllamaHost.trimmed(value)
    return trimmed.isEmpty ? nil : trimmed
  }
}
