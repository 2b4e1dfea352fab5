#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension OllamaConfig {
  /// Builds a configuration from environment variables, so switching servers needs no code change.
  ///
  /// It reads the variables of the settings table (``Setting/all``) with the same rules as the `agents` command:
  /// - The provider follows ``ServerEnvironment/impliedProvider(_:)``: `OPENAI_BASE_URL` (non-empty) selects
  ///   ``Provider/openAI`` with that base URL (llama-server, vLLM, OpenAI), even when `OLLAMA_HOST` is also set;
  ///   otherwise ``Provider/ollama`` at `OLLAMA_HOST`, parsed exactly as Ollama parses it (see ``OllamaHost``), with
  ///   `/v1` appended.
  /// - The key is `OPENAI_API_KEY` for OpenAI-compatible servers, `OLLAMA_API_KEY` for Ollama (ollama.com cloud), else
  ///   ``defaultAPIKey``, which keyless local servers accept. `OPENAI_API_KEY` alone never switches to the OpenAI
  ///   cloud: many machines have it set globally.
  /// - `AGENTS_MODEL` sets ``defaultModel``; `AGENTS_TIMEOUT` (seconds) the first-byte and idle timeouts;
  ///   `AGENTS_MAX_CONCURRENT_REQUESTS` (a whole number, `0` for no limit) ``maxConcurrentRequestsPerServer``.
  ///
  /// - Parameter environment: The variables to read, usually `ProcessInfo.processInfo.environment`.
  /// - Throws: ``ModelServerError/invalidConfiguration`` when the resulting URL is not a usable `http(s)` URL, or a
  ///   value is outside its setting's range; the message names the variable and the range.
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(ModelServerError) -> OllamaConfig {
    var config = OllamaConfig()
    config.provider = ServerEnvironment.impliedProvider(environment) ?? .ollama
    let server = ServerEnvironment.baseURL(for: config.provider, in: environment)
    config.baseURL = server?.url ?? ServerEnvironment.ollamaBaseURL(host: nil)
    config.apiKey = ServerEnvironment.apiKey(for: config.provider, in: environment) ?? defaultAPIKey
    if case .text(let model)? = try value(of: .model, in: environment) { config.defaultModel = model }
    if case .number(let seconds)? = try value(of: .timeout, in: environment) {
      config.timeouts.firstByte = .milliseconds(Int64(seconds * 1000))
      config.timeouts.idle = .milliseconds(Int64(seconds * 1000))
    }
    if case .integer(let limit)? = try value(of: .maxConcurrentRequests, in: environment) {
      config.maxConcurrentRequestsPerServer = limit
    }
    do {
      try config.validate()
    } catch {
      let variable = server?.variable ?? ServerEnvironment.ollamaHost
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
  /// - Throws: ``ModelServerError/invalidConfiguration`` when it is not a whole number in
  ///   ``Setting/maxConcurrentRequests``'s range.
  public static func concurrencyLimit(_ text: String?) throws(ModelServerError) -> Int? {
    guard case .integer(let limit)? = try value(of: .maxConcurrentRequests, in: [maxConcurrentRequestsVariable: text ?? ""])
    else { return nil }
    return limit
  }

  /// `setting`'s value from its first environment variable that is set and not empty, or `nil`.
  private static func value(of setting: Setting, in environment: [String: String]) throws(ModelServerError) -> Setting.Value? {
    for variable in setting.variables {
      guard let text = ServerEnvironment.nonEmpty(environment[variable]) else { continue }
      switch setting.parse(text) {
      case .success(let value): return value
      case .failure(let problem):
        throw ModelServerError.invalidConfiguration(
          "\(variable) is '\(problem.shownText)'; \(problem.reason).",
          suggestion: "Set it to e.g. \(setting.example), or unset it.")
      }
    }
    return nil
  }
}
