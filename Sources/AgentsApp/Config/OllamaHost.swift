/// Parses `OLLAMA_HOST` the way Ollama itself does (`envconfig.Host`).
enum OllamaHost {
  /// The server root URL (`scheme://host:port[/path]`) for an `OLLAMA_HOST` value, or `nil` if unusable.
  ///
  /// `1.2.3.4` gives `http://1.2.3.4:11434`; `:1234` gives `http://127.0.0.1:1234`; `http://h` keeps
  /// port 80 and `https://h` port 443; `0.0.0.0` and `[::]` become connectable loopback addresses.
  static func rootURL(from value: String) -> String? {
    var text = value.trimmingWhitespace()
    text = String(text.drop(while: { $0 == "\"" || $0 == "'" }))
    while text.last == "\"" || text.last == "'" { text.removeLast() }
    guard !text.isEmpty, !text.contains(" ") else { return nil }

    var scheme = "http"
    var defaultPort = "11434"
    if let range = text.firstRange(of: "://") {
      scheme = text[..<range.lowerBound].lowercased()
      guard scheme == "http" || scheme == "https" else { return nil }
      defaultPort = scheme == "https" ? "443" : "80"
      text = String(text[range.upperBound...])
    }
    let slash = text.firstIndex(of: "/") ?? text.endIndex
    var path = String(text[slash...])
    while path.hasSuffix("/") { path.removeLast() }
    var hostPort = String(text[..<slash])

    var host: String
    var port = defaultPort
    if hostPort.hasPrefix("[") {
      guard let close = hostPort.firstIndex(of: "]") else { return nil }
      host = String(hostPort[...close])
      let rest = hostPort[hostPort.index(after: close)...]
      if rest.hasPrefix(":") { port = String(rest.dropFirst()) }
    } else if hostPort.filter({ $0 == ":" }).count > 1 {
      host = "[\(hostPort)]"  // a bare IPv6 address such as ::1
    } else {
      if let colon = hostPort.firstIndex(of: ":") {
        port = String(hostPort[hostPort.index(after: colon)...])
        hostPort = String(hostPort[..<colon])
      }
      host = hostPort
    }
    if host.isEmpty || host == "0.0.0.0" { host = "127.0.0.1" }
    if host == "[::]" { host = "[::1]" }
    guard let number = Int(port), (0...65535).contains(number) else {
      port = defaultPort
      return "\(scheme)://\(host):\(port)\(path)"
    }
    return "\(scheme)://\(host):\(number)\(path)"
  }
}
