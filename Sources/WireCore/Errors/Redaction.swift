import NIOHTTP1

/// Removes secrets (API keys, passwords, tokens) from URLs, headers and free text before they reach
/// an error message or a log line.
public enum Redaction {
  /// What a removed secret is replaced with.
  public static let mask = "<redacted>"

  /// Header names whose values are secrets, lower-cased.
  static let secretHeaderNames: Set<String> = [
    "authorization", "proxy-authorization", "x-api-key", "api-key", "openai-api-key", "cookie", "set-cookie",
  ]

  /// Query parameter names whose values are secrets, lower-cased.
  static let secretQueryNames: Set<String> = ["key", "api_key", "apikey", "api-key", "token", "access_token"]

  /// The URL without a `user:password@` part and with secret query values replaced.
  public static func url(_ url: String) -> String {
    // Credentials need an `@`, secret query values a `?`: most URLs have neither and are returned as they are.
    guard url.utf8.contains(where: { $0 == UInt8(ascii: "@") || $0 == UInt8(ascii: "?") }) else { return url }
    var result = url
    if let schemeEnd = result.firstRange(of: "://") {
      let authorityStart = schemeEnd.upperBound
      let authorityEnd = result[authorityStart...].firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" })
        ?? result.endIndex
      if let at = result[authorityStart..<authorityEnd].lastIndex(of: "@") {
        result.replaceSubrange(authorityStart...at, with: "\(mask)@")
      }
    }
    guard let question = result.firstIndex(of: "?") else { return result }
    let base = result[...question]
    let fragmentStart = result[question...].firstIndex(of: "#") ?? result.endIndex
    let query = result[result.index(after: question)..<fragmentStart]
    let redactedPairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
      guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
      let name = pair[..<equals].lowercased()
      return secretQueryNames.contains(name) ? "\(pair[..<equals])=\(mask)" : String(pair)
    }
    return base + redactedPairs.joined(separator: "&") + result[fragmentStart...]
  }

  /// The headers with the values of credential headers replaced.
  public static func headers(_ headers: HTTPHeaders) -> HTTPHeaders {
    var redacted = HTTPHeaders()
    for (name, value) in headers {
      redacted.add(name: name, value: secretHeaderNames.contains(name.lowercased()) ? mask : value)
    }
    return redacted
  }

  /// The text with every occurrence of the given secrets, of `Bearer <token>` and of `sk-…` style
  /// keys replaced.
  public static func message(_ text: String, secrets: [String] = []) -> String {
    var result = text
    // The default key `ollama` is publicly known, not a secret: hiding it would garble every
    // message that names Ollama.
    for secret in secrets where secret.count >= 4 && secret != OllamaConfig.defaultAPIKey {
      result = result.replacing(secret, with: mask)
    }
    result = replacingTokens(in: result, after: "Bearer ")
    result = replacingTokens(in: result, after: "bearer ")
    result = replacingKeyLikeWords(in: result)
    return result
  }

  /// Replaces the word that follows each occurrence of `prefix`.
  private static func replacingTokens(in text: String, after prefix: String) -> String {
    guard text.contains(prefix) else { return text }
    var output = ""
    var rest = Substring(text)
    while let range = rest.firstRange(of: prefix) {
      output += rest[..<range.upperBound]
      rest = rest[range.upperBound...]
      let tokenEnd = rest.firstIndex(where: isTokenTerminator) ?? rest.endIndex
      if tokenEnd != rest.startIndex, rest[rest.startIndex..<tokenEnd] != Substring(mask) {
        output += mask
      } else {
        output += rest[rest.startIndex..<tokenEnd]
      }
      rest = rest[tokenEnd...]
    }
    return output + rest
  }

  /// Replaces words that look like provider API keys (`sk-…` or `sk_…`, 16 characters or more).
  private static func replacingKeyLikeWords(in text: String) -> String {
    guard text.contains("sk-") || text.contains("sk_") else { return text }
    var output = ""
    var word = ""
    func flush() {
      let looksLikeKey = (word.hasPrefix("sk-") || word.hasPrefix("sk_")) && word.count >= 16
      output += looksLikeKey ? mask : word
      word = ""
    }
    for character in text {
      if isTokenTerminator(character) {
        flush()
        output.append(character)
      } else {
        word.append(character)
      }
    }
    flush()
    return output
  }

  private static func isTokenTerminator(_ character: Character) -> Bool {
    character.isWhitespace || character == "\"" || character == "'" || character == "," || character == "}"
  }
}
