import Foundation
import Testing

/// Where the end-to-end tier finds its real model server, read from the environment `.ci/run` sets.
enum EndToEndEnvironment {
  /// The OpenAI-compatible base URL (`http://127.0.0.1:PORT/v1`) of a real model server, or nil to skip the tier.
  static let baseURL: String? = {
    let value = ProcessInfo.processInfo.environment["AGENTS_E2E_BASE_URL"] ?? ""
    return value.isEmpty ? nil : value
  }()

  /// Whether the tier runs: only when `AGENTS_E2E_BASE_URL` names a server.
  static var isEnabled: Bool { baseURL != nil }

  /// The model name sent in requests (llama-server serves one model under the alias the script gives it).
  static let model: String = {
    let value = ProcessInfo.processInfo.environment["AGENTS_E2E_MODEL"] ?? ""
    return value.isEmpty ? "qwen2.5-coder-0.5b" : value
  }()

  /// The file the bench check writes its measured timings to, when set.
  static let resultsPath: String? = {
    let value = ProcessInfo.processInfo.environment["AGENTS_E2E_RESULTS"] ?? ""
    return value.isEmpty ? nil : value
  }()

  /// The base URL, failing the calling test with a clear message when the tier is enabled without one.
  static func requireBaseURL() throws -> String {
    guard let baseURL else { throw EndToEndSetupError(message: "AGENTS_E2E_BASE_URL is not set") }
    return baseURL
  }

  /// The reason shown when the tier is skipped.
  static let skipReason: Comment =
    "set AGENTS_E2E_BASE_URL to a real model server's base URL (scripts/local-model-server start prints one)"
}

/// A problem with the end-to-end tier's own setup (not with the code under test).
struct EndToEndSetupError: Error, CustomStringConvertible {
  /// What is wrong and what to do about it.
  let message: String

  var description: String { message }
}
