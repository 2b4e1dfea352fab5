import Testing
import WireCore

@Suite struct OllamaHostTests {
  /// The cases of Ollama's own `envconfig/config_test.go` plus the connectable rewrite.
  @Test(arguments: [
    (nil, "http://127.0.0.1:11434"),
    ("", "http://127.0.0.1:11434"),
    ("   ", "http://127.0.0.1:11434"),
    ("1.2.3.4", "http://1.2.3.4:11434"),
    (":1234", "http://127.0.0.1:1234"),
    ("1.2.3.4:1234", "http://1.2.3.4:1234"),
    ("example.com", "http://example.com:11434"),
    ("example.com:1234", "http://example.com:1234"),
    ("0.0.0.0", "http://127.0.0.1:11434"),
    ("0.0.0.0:8080", "http://127.0.0.1:8080"),
    ("[::]", "http://[::1]:11434"),
    ("[::1]", "http://[::1]:11434"),
    ("::1", "http://[::1]:11434"),
    ("[::1]:1337", "http://[::1]:1337"),
    ("http://1.2.3.4", "http://1.2.3.4:80"),
    ("https://1.2.3.4", "https://1.2.3.4:443"),
    ("https://1.2.3.4:1234", "https://1.2.3.4:1234"),
    ("http://example.com", "http://example.com:80"),
    ("https://example.com/ollama", "https://example.com:443/ollama"),
    ("http://example.com:8080/a/b", "http://example.com:8080/a/b"),
    ("ollama.com", "https://ollama.com:443"),
    ("  1.2.3.4  ", "http://1.2.3.4:11434"),
    ("\"1.2.3.4\"", "http://1.2.3.4:11434"),
    ("'1.2.3.4'", "http://1.2.3.4:11434"),
    (" \" 1.2.3.4 \" ", "http://1.2.3.4:11434"),
    ("1.2.3.4:-1", "http://1.2.3.4:11434"),
    ("1.2.3.4:65536", "http://1.2.3.4:11434"),
    ("https://1.2.3.4:99999", "https://1.2.3.4:443"),
    ("example.com:abc", "http://example.com:11434"),
    ("1.2.3.4:", "http://1.2.3.4:11434"),
  ] as [(String?, String)])
  func parsesLikeOllama(_ value: String?, _ expected: String) {
    #expect(OllamaHost(parsing: value).connectable.url == expected)
  }

  @Test func keepsTheUnspecifiedHostUntilAskedForAConnectableOne() {
    let host = OllamaHost(parsing: "0.0.0.0:9000")
    #expect(host.host == "0.0.0.0")
    #expect(host.connectable.host == "127.0.0.1")
    #expect(OllamaHost(parsing: ":1234").host == "")
  }
}
