import Testing
import WireCore

@Suite struct OllamaConfigTests {
  @Test func defaultsTargetALocalOllama() {
    let config = OllamaConfig()
    #expect(config.provider == .ollama)
    #expect(config.baseURL == "http://localhost:11434/v1")
    #expect(config.apiKey == "ollama")
    #expect(config.defaultModel == "llama3.2")
    #expect(config.timeouts.firstByte >= .seconds(300))
    #expect(config.timeouts.connect <= .seconds(10))
    #expect(config.retry.isEnabled)
    #expect(config.nativeBaseURL == "http://localhost:11434")
  }

  @Test func timeoutKnobIsTheIdleTimeout() {
    var config = OllamaConfig()
    config.timeout = .seconds(30)
    #expect(config.timeouts.idle == .seconds(30))
    #expect(config.timeouts.firstByte == OllamaConfig.Timeouts().firstByte)
  }

  @Test func nativeBaseURLStripsV1AndSlashes() {
    #expect(OllamaConfig(baseURL: "http://h:1/v1/").nativeBaseURL == "http://h:1")
    #expect(OllamaConfig(baseURL: "https://h/ollama/v1").nativeBaseURL == "https://h/ollama")
    #expect(OllamaConfig(baseURL: "http://h:8080").nativeBaseURL == "http://h:8080")
  }

  @Test func ollamaHostSelectsOllamaWithV1Appended() throws {
    let config = try OllamaConfig.fromEnvironment(["OLLAMA_HOST": "0.0.0.0:9999"])
    #expect(config.provider == .ollama)
    #expect(config.baseURL == "http://127.0.0.1:9999/v1")
    #expect(config.nativeBaseURL == "http://127.0.0.1:9999")
    let proxied = try OllamaConfig.fromEnvironment(["OLLAMA_HOST": "https://example.com/ollama"])
    #expect(proxied.baseURL == "https://example.com:443/ollama/v1")
    #expect(try OllamaConfig.fromEnvironment([:]).baseURL == "http://127.0.0.1:11434/v1")
  }

  @Test func openAIBaseURLSelectsTheOpenAIProvider() throws {
    let config = try OllamaConfig.fromEnvironment([
      "OPENAI_BASE_URL": "http://127.0.0.1:8080/v1/", "OPENAI_API_KEY": "sk-test-123456789", "OLLAMA_HOST": "x:1",
    ])
    #expect(config.provider == .openAI)
    #expect(!config.provider.hasNativeAPI)
    #expect(config.baseURL == "http://127.0.0.1:8080/v1")
    #expect(config.apiKey == "sk-test-123456789")
  }

  @Test func openAIKeyAloneDoesNotLeaveOllama() throws {
    let config = try OllamaConfig.fromEnvironment(["OPENAI_API_KEY": "sk-abc"])
    #expect(config.provider == .ollama)
    #expect(config.apiKey == "ollama")
  }

  @Test(arguments: ["localhost:8080/v1", "ftp://h/v1", "http:///v1", "http://h:0/v1", "http://h:x/v1", "http://a b/v1", "http://a\tb/v1",
    "http://h/v\u{00A0}1", "http://h\u{2003}x/v1",
  ])
  func invalidBaseURLsAreClearErrors(_ url: String) {
    #expect(throws: ModelServerError.self) { try OllamaConfig(baseURL: url).validate() }
    do {
      _ = try OllamaConfig.fromEnvironment(["OPENAI_BASE_URL": url, "OPENAI_API_KEY": "sk-secret-value-1234"])
      Issue.record("expected an error for \(url)")
    } catch {
      #expect(error.code == .invalidConfiguration)
      #expect(error.description.contains("OPENAI_BASE_URL"))
      #expect(!error.description.contains("sk-secret"))
    }
  }

  @Test func aURLFoundValidOnceStaysValidAndInvalidOnesKeepFailing() throws {
    for _ in 0..<3 {
      try OllamaConfig(baseURL: "http://127.0.0.1:8080/v1").validate()
      #expect(throws: ModelServerError.self) { try OllamaConfig(baseURL: "http://127.0.0.1:0/v1").validate() }
    }
    for port in 1...100 { try OllamaConfig(baseURL: "http://h:\(port)/v1").validate() }  // more than the cache holds
    #expect(throws: ModelServerError.self) { try OllamaConfig(baseURL: "http://h:x/v1").validate() }
  }

  @Test func backoffDoublesUpToTheMaximum() {
    let policy = OllamaConfig.RetryPolicy(initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(350))
    #expect(policy.backoff(beforeRetry: 1) == .milliseconds(100))
    #expect(policy.backoff(beforeRetry: 2) == .milliseconds(200))
    #expect(policy.backoff(beforeRetry: 3) == .milliseconds(350))
    #expect(policy.backoff(beforeRetry: 60) == .milliseconds(350))
    #expect(OllamaConfig.RetryPolicy(maxAttempts: 0).maxAttempts == 1)
    #expect(!OllamaConfig.RetryPolicy.disabled.isEnabled)
  }
}
