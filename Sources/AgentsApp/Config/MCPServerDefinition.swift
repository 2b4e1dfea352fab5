import AgentsMCP

import Foundation

/// One entry of a configuration file's `mcp_servers:` list: an MCP server whose tools agents can be given with
/// `mcp: [name]`.
///
/// ```yaml
/// mcp_servers:
///   - name: time
///     command: mcp-server-time          # a local process speaking MCP on stdin/stdout
///     args: [--local-timezone, Europe/Paris]
///   - name: git
///     command: mcp-server-git
///     args: [--repository, .]
///     require_approval: unless_read_only
///   - name: docs
///     url: http://127.0.0.1:8000/mcp    # Streamable HTTP
///     headers: {Authorization: "Bearer ${DOCS_TOKEN}"}
///     allowed_tools: [search]
///     timeout: 30
/// ```
///
/// Values of `env` and `headers` may name environment variables as `${NAME}`; they are read when the server
/// starts and are never stored, logged or shown.
@MemberwiseInit
public struct MCPServerDefinition: Sendable, Hashable {
  /// How the server is reached.
  public enum Transport: Sendable, Hashable {
    /// A local process started with `command` and `arguments`, speaking MCP on its standard input and output.
    case stdio(command: String, arguments: [String], environment: [String: String], workingDirectory: String?)
    /// A Streamable HTTP endpoint.
    case http(url: String, headers: [String: String])
  }

  /// The name agents use in `mcp: [...]`; also the prefix of its tools' names when they clash.
  public var name: String
  /// How the server is reached; `env` and `headers` values are templates that may contain `${NAME}`.
  public var transport: Transport
  /// The only tools offered (`allowed_tools`); `nil` offers all.
  public var allowedTools: [String]?
  /// Tools never offered (`blocked_tools`).
  public var blockedTools: [String] = []
  /// The longest a tool call may take, in seconds (`timeout`); `nil` keeps the default (60 s).
  public var timeout: Double?
  /// Which calls need a person's approval (`require_approval`).
  public var requireApproval: MCPApprovalPolicy = .never

  /// The range accepted for `timeout`, in seconds.
  public static let timeoutRange: ClosedRange<Double> = 0.1...86_400

  /// `command args…` or the URL, for listings.
  public var target: String {
    switch transport {
    case .stdio(let command, let arguments, _, _): ([command] + arguments).joined(separator: " ")
    case .http(let url, _): url
    }
  }

  /// The names of the environment variables the definition refers to as `${NAME}`.
  public var referencedVariables: [String] {
    let templates: [String] =
      switch transport {
      case .stdio(_, _, let environment, _): Array(environment.values)
      case .http(_, let headers): Array(headers.values)
      }
    return Array(Set(templates.flatMap { EnvironmentTemplate.variables(in: $0) })).sorted()
  }

  /// The server, with `${NAME}` references filled in from `environment`.
  ///
  /// - Throws: ``MCPServerError`` `start_failed` naming the variables that are not set.
  public func makeServer(environment: [String: String]) throws(MCPServerError) -> any MCPServer {
    let missing = referencedVariables.filter { environment[$0] == nil }
    guard missing.isEmpty else {
      let list = missing.map { "$" + $0 }.joined(separator: ", ")
      throw MCPServerError(
        .startFailed, server: name,
        "MCP server '\(name)' cannot start: the environment variable\(missing.count == 1 ? "" : "s") \(list) "
          + "it refers to \(missing.count == 1 ? "is" : "are") not set. Set \(missing.count == 1 ? "it" : "them") "
          + "before starting agents.")
    }
    var configuration = MCPServerConfiguration(requireApproval: requireApproval)
    if allowedTools != nil || !blockedTools.isEmpty {
      configuration.toolFilter = MCPToolFilter(allowed: allowedTools.map { Set($0) }, blocked: Set(blockedTools))
    }
    if let timeout { configuration.callTimeout = .milliseconds(Int64(timeout * 1000)) }
    let fill = { (values: [String: String]) in values.mapValues { EnvironmentTemplate.fill($0, from: environment) } }
    switch transport {
    case .stdio(let command, let arguments, let variables, let workingDirectory):
      return MCPServerStdio(
        name: name,
        parameters: .init(
          command: command, arguments: arguments, environment: fill(variables), workingDirectory: workingDirectory),
        configuration: configuration)
    case .http(let url, let headers):
      return MCPServerStreamableHTTP(
        name: name, parameters: .init(url: url, headers: fill(headers)), configuration: configuration)
    }
  }
}

/// `${NAME}` references in configuration values.
enum EnvironmentTemplate {
  /// The names referred to in `text`, in order.
  static func variables(in text: String) -> [String] {
    var names: [String] = []
    var rest = Substring(text)
    while let start = rest.range(of: "${") {
      guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
      names.append(String(rest[start.upperBound..<end]))
      rest = rest[rest.index(after: end)...]
    }
    return names
  }

  /// `text` with each `${NAME}` replaced by its value in `environment` (empty when unset).
  static func fill(_ text: String, from environment: [String: String]) -> String {
    var result = ""
    var rest = Substring(text)
    while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
      result += rest[..<start.lowerBound]
      result += environment[String(rest[start.upperBound..<end])] ?? ""
      rest = rest[rest.index(after: end)...]
    }
    return result + rest
  }

  /// Whether `name` is usable as a variable name.
  static func isValidName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
    return name.unicodeScalars.allSatisfy {
      ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
    }
  }
}
