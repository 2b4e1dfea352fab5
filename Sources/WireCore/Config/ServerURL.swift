/// A validated absolute `http` or `https` server URL, split into the parts the transport needs.
struct ServerURL: Sendable, Hashable {
  /// `http` or `https`, lower-cased.
  var scheme: String
  /// The host, IPv6 literals without brackets.
  var host: String
  /// The explicit port, if any.
  var port: Int?
  /// The path, empty or starting with `/`, without a trailing slash.
  var path: String

  /// Parses and checks `text`.
  ///
  /// - Throws: ``ModelServerError/invalidConfiguration`` naming what is wrong.
  init(validating text: String) throws(ModelServerError) {
    func invalid(_ problem: String) -> ModelServerError {
      .invalidConfiguration(
        "The server URL '\(ServerAddress(text).redacted)' is invalid: \(problem).",
        suggestion: "Use an absolute http(s) URL such as http://localhost:11434/v1."
      )
    }
    guard !text.isEmpty else { throw invalid("it is empty") }
    // Printable ASCII (every URL written as one) holds no whitespace: only other text is read by characters.
    guard text.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) || !text.contains(where: { $0.isWhitespace }) else {
      throw invalid("it contains whitespace")
    }
    guard let schemeEnd = text.firstRange(of: "://") else { throw invalid("it has no scheme (http:// or https://)") }
    let scheme = text[..<schemeEnd.lowerBound].lowercased()
    guard scheme == "http" || scheme == "https" else {
      throw invalid("the scheme '\(scheme)' is not http or https")
    }
    var rest = text[schemeEnd.upperBound...]
    let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
    var authority = rest[..<authorityEnd]
    rest = rest[authorityEnd...]
    if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }

    var host = Substring(authority)
    var portText: Substring?
    if host.hasPrefix("[") {
      guard let close = host.firstIndex(of: "]") else { throw invalid("an IPv6 address lacks its closing ']'") }
      let after = host[host.index(after: close)...]
      if after.first == ":" { portText = after.dropFirst() } else if !after.isEmpty {
        throw invalid("unexpected text after the IPv6 address")
      }
      host = host[host.index(after: host.startIndex)..<close]
    } else if let colon = host.lastIndex(of: ":") {
      portText = host[host.index(after: colon)...]
      host = host[..<colon]
    }
    guard !host.isEmpty else { throw invalid("it has no host") }
    var port: Int?
    if let portText {
      guard let number = Int(portText), (1...65535).contains(number) else {
        throw invalid("the port '\(portText)' is not a number between 1 and 65535")
      }
      port = number
    }
    // The base URL is the API root that request paths are appended to: a query or fragment would end up in
    // the middle of every request URL (`/v1?x=1#f/chat/completions`).
    if rest.contains("?") || rest.contains("#") {
      throw invalid("it has a query ('?…') or fragment ('#…'); give only the API root, e.g. http://localhost:11434/v1")
    }
    var path = String(rest)
    while path.hasSuffix("/") { path.removeLast() }
    self.scheme = scheme
    self.host = String(host)
    self.port = port
    self.path = path
  }
}
