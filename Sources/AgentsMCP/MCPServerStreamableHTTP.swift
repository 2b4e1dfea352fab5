/// An MCP server reached over MCP's Streamable HTTP transport, answering with JSON or with SSE streams.
///
/// ```swift
/// let docs = MCPServerStreamableHTTP(
///   name: "docs",
///   parameters: .init(url: "http://127.0.0.1:8000/mcp", headers: ["Authorization": "Bearer \(token)"]))
/// ```
///
/// The session starts on ``connect()`` or first use. When the server forgets the session (HTTP 404) or cannot be
/// reached, the call in progress fails and the next use starts a new session. Header values count as secrets:
/// they are masked in every error message and log line.
public final class MCPServerStreamableHTTP: MCPClientSessionServer, @unchecked Sendable {
  /// Where the server is and how to talk to it.
  @MemberwiseInit
  public struct Parameters: Sendable, Hashable {
    /// The endpoint, e.g. `http://127.0.0.1:8000/mcp`.
    public var url: String
    /// Headers sent with every request, e.g. `Authorization`.
    public var headers: [String: String] = [:]
    /// How long connecting may take.
    public var timeout: Duration = .seconds(30)
    /// The longest wait for an answer to start and the longest silence within an SSE stream.
    public var sseReadTimeout: Duration = .seconds(300)
    /// Whether ``MCPServer/cleanup()`` ends the session on the server (HTTP DELETE).
    public var terminatesSessionOnClose: Bool = true
  }

  /// Where the server is.
  public let parameters: Parameters

  /// Creates a server; nothing is sent until ``connect()`` or the first use.
  public init(name: String, parameters: Parameters, configuration: MCPServerConfiguration = MCPServerConfiguration()) {
    self.parameters = parameters
    let secrets = Array(parameters.headers.values.filter { $0.count >= 4 })
    let logger = configuration.logger
    super.init(name: name, configuration: configuration, secrets: secrets) {
      StreamableHTTPTransport(server: name, parameters: parameters, secrets: secrets, logger: logger)
    }
  }
}
