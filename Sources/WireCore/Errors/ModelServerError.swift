/// Everything that can go wrong talking to a model server, as one error type whose description says
/// what happened and what to do next.
///
/// Match on ``code`` (`error.code == .modelNotFound`, or `catch ModelServerError.Code.timedOut`); new
/// codes can be added without breaking callers. URLs are redacted and API keys never appear in any
/// field.
public struct ModelServerError: Error, Sendable, Hashable {
  /// What kind of failure this is.
  public struct Code: Sendable, Hashable, CustomStringConvertible {
    fileprivate enum Base: String, Sendable, Hashable {
      case serverUnreachable = "server_unreachable"
      case timedOut = "timed_out"
      case httpStatus = "http_status"
      case modelNotFound = "model_not_found"
      case toolsUnsupported = "tools_unsupported"
      case malformedResponse = "malformed_response"
      case streamCut = "stream_cut"
      case streamError = "stream_error"
      case cancelled = "cancelled"
      case invalidConfiguration = "invalid_configuration"
      case invalidRequest = "invalid_request"
      case contextOverflow = "context_overflow"
    }

    fileprivate let base: Base

    /// No connection could be made (refused, DNS failure, reset before any answer).
    public static let serverUnreachable = Code(base: .serverUnreachable)
    /// A phase of the request took longer than its timeout; see ``ModelServerError/timeoutPhase``.
    public static let timedOut = Code(base: .timedOut)
    /// The server answered with an HTTP error status; see ``ModelServerError/status``.
    public static let httpStatus = Code(base: .httpStatus)
    /// The requested model is not installed on the server.
    public static let modelNotFound = Code(base: .modelNotFound)
    /// The model cannot take tool definitions.
    public static let toolsUnsupported = Code(base: .toolsUnsupported)
    /// The response could not be decoded.
    public static let malformedResponse = Code(base: .malformedResponse)
    /// A stream ended before its end marker, so the answer is incomplete.
    public static let streamCut = Code(base: .streamCut)
    /// The server reported an error inside an already started stream.
    public static let streamError = Code(base: .streamError)
    /// The request was cancelled by the caller.
    public static let cancelled = Code(base: .cancelled)
    /// The configuration (URL, key, timeouts) is unusable.
    public static let invalidConfiguration = Code(base: .invalidConfiguration)
    /// The request could not be built or was rejected before it reached the model.
    public static let invalidRequest = Code(base: .invalidRequest)
    /// The request did not fit the model's context (prompt, or prompt plus `max_tokens`); see
    /// ``ModelServerError/contextOverflow``. Recognised in HTTP errors and mid-stream errors alike.
    public static let contextOverflow = Code(base: .contextOverflow)

    /// A stable snake_case name, e.g. `model_not_found`.
    public var description: String { base.rawValue }

    /// Matches an error against a code, so `catch ModelServerError.Code.modelNotFound { … }` works.
    public static func ~= (pattern: Code, value: any Error) -> Bool {
      (value as? ModelServerError)?.code == pattern
    }
  }

  /// Which phase of a request ran out of time.
  public struct TimeoutPhase: Sendable, Hashable, CustomStringConvertible {
    private let name: String
    /// Establishing the connection.
    public static let connect = TimeoutPhase(name: "connect")
    /// Waiting for the response head (a cold model load sends nothing until it is done).
    public static let firstByte = TimeoutPhase(name: "first_byte")
    /// Waiting for the next body chunk of a response that had started.
    public static let idle = TimeoutPhase(name: "idle")
    /// The optional bound on the whole exchange.
    public static let deadline = TimeoutPhase(name: "deadline")
    /// The time budget shared by several requests (``RequestBudget``), such as a whole command's.
    public static let budget = TimeoutPhase(name: "budget")
    /// A snake_case name, e.g. `first_byte`.
    public var description: String { name }
  }

  /// What kind of failure this is.
  public var code: Code
  /// The HTTP status, when the server answered with one.
  public var status: Int?
  /// The server's own error message, e.g. `model 'llama9' not found`.
  public var serverMessage: String?
  /// The request URL with credentials removed.
  public var url: String?
  /// The start of the offending body (at most ``excerptLimit`` characters), for malformed responses and
  /// unexplained statuses.
  public var bodyExcerpt: String?
  /// For ``Code/timedOut``: which phase ran out of time.
  public var timeoutPhase: TimeoutPhase?
  /// For ``Code/timedOut``: the limit that was exceeded.
  public var timeoutLimit: Duration?
  /// For model errors: the model as requested.
  public var model: String?
  /// For ``Code/modelNotFound``: the installed models whose names are closest to ``model``.
  public var closestModels: [String]
  /// What happened, in one sentence (without the advice).
  public var summary: String
  /// What to do about it.
  public var recoverySuggestion: String
  /// A description of the lower-level error, if one caused this one.
  public var underlying: String?
  /// For ``Code/contextOverflow``: the prompt's tokens as the server counted them, when it said.
  public var promptTokens: Int?
  /// For ``Code/contextOverflow``: the context length the server enforces, when it said.
  public var contextLength: Int?
  /// For ``Code/contextOverflow``: the answer tokens the request asked for, when the server said.
  public var requestedAnswerTokens: Int?

  /// The most characters kept in ``bodyExcerpt``.
  public static let excerptLimit = 200

  /// Creates an error from its parts; prefer the static factory methods.
  public init(
    code: Code,
    summary: String,
    recoverySuggestion: String,
    status: Int? = nil,
    serverMessage: String? = nil,
    url: String? = nil,
    bodyExcerpt: String? = nil,
    underlying: String? = nil
  ) {
    self.code = code
    self.summary = summary
    self.recoverySuggestion = recoverySuggestion
    self.status = status
    self.serverMessage = serverMessage
    self.url = url.map { ServerAddress($0).redacted }
    self.bodyExcerpt = bodyExcerpt.map(ModelServerError.excerpt)
    self.underlying = underlying
    self.closestModels = []
  }

  /// Whether retrying the same request later may succeed (unreachable server, busy or overloaded server,
  /// connect timeout).
  public var isTransient: Bool {
    switch code.base {
    case .serverUnreachable: return true
    case .timedOut: return timeoutPhase == .connect
    case .httpStatus: return [429, 500, 502, 503, 504].contains(status ?? 0)
    default: return false
    }
  }

  /// `text` cut to ``excerptLimit`` characters with an ellipsis, newlines shown as `\n`.
  static func excerpt(_ text: String) -> String {
    let flattened = text.replacing("\r", with: "\\r").replacing("\n", with: "\\n")
    guard flattened.count > excerptLimit else { return flattened }
    return flattened.prefix(excerptLimit) + "…"
  }
}

extension ModelServerError: CustomStringConvertible {
  /// What happened and what to do, e.g. "Model 'llama9' is not installed … Run `ollama pull llama9`."
  public var description: String {
    summary.hasSuffix(".") ? "\(summary) \(recoverySuggestion)" : "\(summary). \(recoverySuggestion)"
  }

  /// A short, low-cardinality label safe for metrics, e.g. `http_503`, `timed_out_first_byte`.
  public var shortDescription: String {
    switch code.base {
    case .httpStatus: return "http_\(status ?? 0)"
    case .timedOut: return "timed_out_\(timeoutPhase?.description ?? "unknown")"
    default: return code.description
    }
  }
}
