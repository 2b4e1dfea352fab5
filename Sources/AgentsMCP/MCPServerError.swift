import WireCore

/// What went wrong with an MCP server: a code to switch on and a message that says what happened and what to do.
///
/// Messages never contain the secrets a server was configured with (environment values, header values).
public struct MCPServerError: Error, Sendable, CustomStringConvertible {
  /// What kind of failure an ``MCPServerError`` is; new codes can be added without breaking callers.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private let name: String
    private init(_ name: String) { self.name = name }

    /// The server could not be started or reached: no such command, refused connection, failed handshake.
    public static let startFailed = Code("start_failed")
    /// The server's process exited or its connection closed; it is started again on the next use.
    public static let stopped = Code("stopped")
    /// The server did not answer within the configured time.
    public static let timedOut = Code("timed_out")
    /// The server answered with a JSON-RPC error (unknown tool, invalid arguments, internal error).
    public static let requestFailed = Code("request_failed")
    /// The tool ran and reported a failure of its own (`isError` in its result).
    public static let toolFailed = Code("tool_failed")
    /// The HTTP server answered with an error status.
    public static let httpStatus = Code("http_status")
    /// The server broke the protocol: a reply that is not JSON-RPC, a repeated page cursor.
    public static let protocolViolation = Code("protocol_violation")
    /// The server was closed with `cleanup()` and cannot be used again.
    public static let closed = Code("closed")

    /// The code's name, e.g. `timed_out`; safe for metrics labels.
    public var description: String { name }

    /// Whether `error` is an ``MCPServerError`` with this code, for `catch MCPServerError.Code.timedOut` patterns.
    public static func ~= (code: Code, error: any Error) -> Bool {
      (error as? MCPServerError)?.code == code
    }
  }

  /// What kind of failure this is.
  public var code: Code
  /// The name of the server.
  public var server: String
  /// What happened and what to do next.
  public var message: String
  /// The last lines the server wrote to standard error, when it is a process and wrote any.
  public var serverOutput: String?

  /// Creates an error.
  public init(_ code: Code, server: String, _ message: String, serverOutput: String? = nil) {
    self.code = code
    self.server = server
    self.message = message
    self.serverOutput = serverOutput
  }

  /// The message: what a model reads when a tool call fails this way.
  public var description: String { message }

  /// The message followed by the server's last standard error lines, when there are any: what a person reads.
  public var details: String {
    guard let serverOutput, !serverOutput.isEmpty else { return message }
    return message + "\nIts last output:\n" + serverOutput
  }

  /// The error with every occurrence of `secrets` (and bearer tokens) masked.
  func redacting(_ secrets: [String]) -> MCPServerError {
    var copy = self
    copy.message = Redaction.message(message, secrets: secrets)
    copy.serverOutput = serverOutput.map { Redaction.message($0, secrets: secrets) }
    return copy
  }
}
