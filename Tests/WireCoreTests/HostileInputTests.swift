import NIOHTTP1
import Testing

@testable import WireCore

/// Numbers and URLs from a server or a user never trap and never produce a wrong request.
@Suite struct HostileInputTests {
  /// A server's `Retry-After` of any size becomes a bounded wait instead of an overflow trap.
  @Test(arguments: ["1e20", "9.3e15", "1e308", "9223372036854775807"])
  func aHugeRetryAfterIsBounded(_ value: String) {
    let wait = HTTPTransport.retryAfter(HTTPHeaders([("Retry-After", value)]))
    #expect(wait == .seconds(86_400))
  }

  @Test(arguments: ["http://localhost:11434/v1?x=1", "http://localhost:11434/v1#frag", "http://h/v1?x=1#frag/"])
  func aBaseURLWithAQueryOrFragmentIsRefused(_ url: String) {
    #expect {
      try OllamaConfig(baseURL: url).validate()
    } throws: { error in
      let error = error as? ModelServerError
      return error?.code == .invalidConfiguration && error?.summary.contains("query ('?…') or fragment") == true
    }
  }
}
