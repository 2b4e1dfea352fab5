/// An error the `agents` command reports to a person: one line saying what happened and how to fix it,
/// and the process exit code that scripts can rely on.
public struct AppError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The category of failure, which decides the exit code.
  public struct Code: Sendable, Hashable, CustomStringConvertible {
    /// The process exit status for this category.
    public let exitStatus: Int32
    private let name: String
    private init(_ name: String, _ exitStatus: Int32) {
      self.name = name
      self.exitStatus = exitStatus
    }

    /// The run did not produce an answer: max turns, a guardrail, a model or tool error, failed tests.
    public static let runFailed = Code("run_failed", 1)
    /// The command line is wrong: an unknown option, agent or command, an empty prompt, a bad value.
    public static let usage = Code("usage", 64)
    /// A configuration file or an input is invalid.
    public static let invalidInput = Code("invalid_input", 65)
    /// The requested model is not installed on the server.
    public static let modelNotFound = Code("model_not_found", 66)
    /// The server could not be reached, refused the request, or timed out.
    public static let serverUnavailable = Code("server_unavailable", 69)
    /// What the user asked to keep cannot be saved: the data directory or its database cannot be written
    /// (read-only, not a directory, not a database, full disk), so a session's history would be lost.
    public static let storeUnavailable = Code("store_unavailable", 73)
    /// The output could not be written (standard output on a full disk, a closed descriptor, an I/O error).
    public static let outputFailed = Code("output_failed", 74)
    /// The user interrupted the command with Ctrl-C.
    public static let interrupted = Code("interrupted", 130)

    /// Every category, in exit-status order, for documentation.
    public static let all: [Code] = [
      .runFailed, .usage, .invalidInput, .modelNotFound, .serverUnavailable, .storeUnavailable, .outputFailed,
      .interrupted,
    ]

    /// The stable snake_case name (used in JSON output).
    public var description: String { name }
  }

  /// The category, which decides the exit code.
  public var code: Code
  /// What happened.
  public var message: String
  /// What to do about it, when there is something to do.
  public var fix: String?

  /// Creates an error.
  public init(_ code: Code, _ message: String, fix: String? = nil) {
    self.code = code
    self.message = message
    self.fix = fix
  }

  /// The message and the fix on one line: `message; fix` (a full stop ending the message is left out there).
  public var description: String {
    guard let fix, !fix.isEmpty else { return message }
    return "\(Self.sentence(message)); \(fix)"
  }

  /// The process exit status.
  public var exitStatus: Int32 { code.exitStatus }
}
