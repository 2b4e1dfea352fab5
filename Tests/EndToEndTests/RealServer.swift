import OpenAICompatible
import Testing
import WireCore

/// Clients and probes for the real model server the end-to-end tier runs against.
enum RealServer {
  /// The server's configuration: OpenAI-compatible, the tier's model, generous timeouts for a slow CPU.
  static func config() throws -> OllamaConfig {
    OllamaConfig(
      provider: .openAI, baseURL: try EndToEndEnvironment.requireBaseURL(), apiKey: "",
      defaultModel: EndToEndEnvironment.model,
      timeouts: OllamaConfig.Timeouts(connect: .seconds(5), firstByte: .seconds(120), idle: .seconds(60)))
  }

  /// A chat completions client for the server.
  static func client() throws -> ChatCompletionsClient {
    ChatCompletionsClient(config: try config())
  }

  /// The server's root URL (the base URL without `/v1`), where llama-server's own endpoints live.
  static func rootURL() throws -> String {
    let base = try EndToEndEnvironment.requireBaseURL()
    return base.hasSuffix("/v1") ? String(base.dropLast(3)) : base
  }

  /// How many of llama-server's slots are generating right now (`GET /slots`).
  static func busySlots() async throws -> Int {
    let response = try await HTTPTransport.shared.data(TransportRequest(url: try rootURL() + "/slots"))
    let slots = try #require(try JSONValue.parse(response.body).arrayValue, "GET /slots did not answer a JSON array")
    return slots.filter { $0["is_processing"] == true }.count
  }

  /// Polls ``busySlots()`` until it equals `expected`, at most `attempts` times `interval` apart; answers the last count.
  static func waitForBusySlots(
    _ expected: Int, attempts: Int = 100, interval: Duration = .milliseconds(100)
  ) async throws -> Int {
    var count = try await busySlots()
    for _ in 0..<attempts where count != expected {
      try await Task.sleep(for: interval)
      count = try await busySlots()
    }
    return count
  }
}
