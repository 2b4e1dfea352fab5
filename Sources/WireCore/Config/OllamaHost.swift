/// Parses `OLLAMA_HOST` exactly as Ollama's own `envconfig.Host` and `ConnectableHost` do.
///
/// Rules: surrounding spaces and quotes are stripped; no scheme means `http` with port 11434
/// (`ollama.com` alone means `https://ollama.com:443`); `http://host` without a port means port 80 and
/// `https://host` port 443; a path is kept; `[::1]` and `::1` are IPv6 hosts; a port outside 0...65535 or
/// not a number falls back to the default; an empty value means `127.0.0.1:11434`. For connecting, the
/// unspecified addresses `0.0.0.0` and `::` become `127.0.0.1` and `::1`, and an empty host (`:1234`)
/// becomes `127.0.0.1`, as Go's dialer treats it.
public struct OllamaHost: Sendable, Hashable, CustomStringConvertible {
  /// `http` or `https`.
  public var scheme: String
  /// The host name or IP address, without IPv6 brackets.
  public var host: String
  /// The TCP port.
  public var port: Int
  /// The path prefix, empty or starting with `/` (e.g. `/ollama` behind a reverse proxy).
  public var path: String

  /// The port Ollama listens on by default.
  public static let defaultPort = 11434

  /// Parses an `OLLAMA_HOST` value; never fails, because Ollama falls back to defaults on bad input.
  public init(parsing rawValue: String?) {
    // `envconfig.Var` trims spaces then quotes; `Host` trims spaces once more.
    let value = OllamaHost.trimmed(rawValue ?? "").trimming(anyOf: " \t\n\r")
    var scheme = "http"
    var hostPort = value
    var defaultPort = String(OllamaHost.defaultPort)
    if let separator = value.firstRange(of: "://") {
      scheme = String(value[..<separator.lowerBound])
      hostPort = String(value[separator.upperBound...])
      if scheme == "http" { defaultPort = "80" } else if scheme == "https" { defaultPort = "443" }
    } else if value == "ollama.com" {
      scheme = "https"
      hostPort = "ollama.com:443"
    }

    var path = ""
    if let slash = hostPort.firstIndex(of: "/") {
      path = String(hostPort[slash...])
      hostPort = String(hostPort[..<slash])
    }

    var host: String
    var port: String
    if let split = OllamaHost.splitHostPort(hostPort) {
      (host, port) = split
    } else {
      host = "127.0.0.1"
      port = defaultPort
      let unbracketed = hostPort.trimming(anyOf: "[]")
      if OllamaHost.isIPAddress(unbracketed) {
        host = unbracketed
      } else if !hostPort.isEmpty {
        host = hostPort
      }
    }
    if let number = Int(port), (0...65535).contains(number) {
      self.port = number
    } else {
      self.port = Int(defaultPort) ?? OllamaHost.defaultPort
    }
    self.scheme = scheme
    self.host = host
    self.path = path == "/" ? "" : path
  }

  /// The address to connect to: unspecified and empty hosts replaced by loopback.
  public var connectable: OllamaHost {
    var copy = self
    if host.isEmpty || host == "0.0.0.0" || OllamaHost.isUnspecifiedIPv6(host) {
      copy.host = host.contains(":") ? "::1" : "127.0.0.1"
    }
    return copy
  }

  /// The root URL, e.g. `http://127.0.0.1:11434` or `https://example.com:443/ollama`.
  public var url: String {
    let hostPart = host.contains(":") ? "[\(host)]" : host
    return "\(scheme)://\(hostPart):\(port)\(path)"
  }

  /// The root URL.
  public var description: String { url }

  // MARK: - Go net helpers

  /// Strips spaces, then quotes, as Ollama's `envconfig.Var` does.
  static func trimmed(_ value: String) -> String {
    value.trimming(anyOf: " \t\n\r").trimming(anyOf: "\"'")
  }

  /// Go's `net.SplitHostPort`: `host:port` or `[ipv6]:port`; `nil` when the port is missing or the
  /// host has stray colons.
  static func splitHostPort(_ hostPort: String) -> (host: String, port: String)? {
    if hostPort.hasPrefix("[") {
      guard let close = hostPort.firstIndex(of: "]") else { return nil }
      let host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
      let rest = hostPort[hostPort.index(after: close)...]
      guard rest.first == ":" else { return nil }
      let port = String(rest.dropFirst())
      guard !port.contains(":") else { return nil }
      return (host, port)
    }
    guard let colon = hostPort.lastIndex(of: ":") else { return nil }
    let host = String(hostPort[..<colon])
    guard !host.contains(":") else { return nil }
    return (host, String(hostPort[hostPort.index(after: colon)...]))
  }

  /// Whether `text` is an IPv4 dotted quad or an IPv6 literal.
  static func isIPAddress(_ text: String) -> Bool {
    isIPv4(text) || isIPv6(text)
  }

  static func isIPv4(_ text: String) -> Bool {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4 && parts.allSatisfy { part in
      !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit) && (Int(part) ?? 256) <= 255
    }
  }

  static func isIPv6(_ text: String) -> Bool {
    guard text.contains(":"), text.count >= 2, !text.contains(":::") else { return false }
    var groups = text.split(separator: ":", omittingEmptySubsequences: false)
    // An embedded IPv4 tail (`::ffff:1.2.3.4`) counts as two groups.
    if let last = groups.last, last.contains(".") {
      guard isIPv4(String(last)) else { return false }
      groups.removeLast()
      groups.append(contentsOf: ["0", "0"])
    }
    let compressions = text.ranges(of: "::").count
    guard compressions <= 1 else { return false }
    let nonEmpty = groups.filter { !$0.isEmpty }
    guard nonEmpty.allSatisfy({ $0.count <= 4 && $0.allSatisfy(\.isHexDigit) }) else { return false }
    return compressions == 1 ? nonEmpty.count < 8 : groups.count == 8 && nonEmpty.count == 8
  }

  static func isUnspecifiedIPv6(_ text: String) -> Bool {
    isIPv6(text) && text.allSatisfy { $0 == "0" || $0 == ":" }
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
  /// The string without leading and trailing characters from `set`.
  fileprivate func trimming(anyOf set: String) -> String {
    var slice = Substring(self)
    while let first = slice.first, set.contains(first) { slice.removeFirst() }
    while let last = slice.last, set.contains(last) { slice.removeLast() }
    return String(slice)
  }
}
