import FuzzSupport
import WireCore

/// Fuzzes `OLLAMA_HOST` parsing and the configuration built from it.
///
/// Properties: parsing never fails or crashes; the port is in 0...65535 and the path is empty or starts
/// with `/`; when the host is a plain host name or IP literal, the parsed URL parses back to the same
/// value (for the host and for its connectable form); `OllamaConfig.fromEnvironment` with that value
/// gives a configuration whose base URL is the connectable URL plus `/v1`, or an `invalidConfiguration` error.
@main
enum OllamaHostFuzzTarget {
  static func main() {
    FuzzDriver.run(check)
  }

  static func check(_ input: [UInt8]) {
    let raw = String(decoding: input, as: UTF8.self)
    let host = OllamaHost(parsing: raw)
    FuzzCheck.require((0...65535).contains(host.port), "port \(host.port) out of range", input: input)
    FuzzCheck.require(host.path.isEmpty || host.path.hasPrefix("/"), "path \(host.path) has no leading /", input: input)
    if isPlainHost(host.host), isPlainScheme(host.scheme), !host.path.contains(where: \.isWhitespace) {
      for value in [host, host.connectable] {
        let reparsed = OllamaHost(parsing: value.url)
        FuzzCheck.require(reparsed == value, "\(value.url) parsed back as \(reparsed.url)", input: input)
      }
    }
    do {
      let config = try OllamaConfig.fromEnvironment(["OLLAMA_HOST": raw])
      FuzzCheck.require(
        config.baseURL == host.connectable.url + "/v1", "base URL \(config.baseURL) for \(host.url)", input: input)
    } catch {
      FuzzCheck.require(error.code == .invalidConfiguration, "unexpected error code \(error.code)", input: input)
    }
  }

  /// A host name made of letters, digits, `-`, `_` and `.`, or an IPv6 literal (hex digits, `:`, `.`).
  private static func isPlainHost(_ host: String) -> Bool {
    host.unicodeScalars.allSatisfy { scalar in
      scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_.:".unicodeScalars.contains(scalar))
    }
  }

  private static func isPlainScheme(_ scheme: String) -> Bool {
    !scheme.isEmpty && scheme.unicodeScalars.allSatisfy { $0.isASCII && $0.properties.isAlphabetic }
  }
}
