extension ModelServerError {
  /// No connection to `url` could be made.
  public static func serverUnreachable(url: String, underlying: String? = nil) -> ModelServerError {
    let shown = ServerAddress(url).redacted
    let reason = underlying.map { " (\($0))" } ?? ""
    return ModelServerError(
      code: .serverUnreachable,
      summary: "Cannot reach the model server at \(shown)\(reason)",
      recoverySuggestion: "Is it running? Start Ollama with `ollama serve` (the embedded local model: "
        + "`scripts/local-model-server start`), or point OLLAMA_HOST / OPENAI_BASE_URL at the right address.",
      url: url,
      underlying: underlying
    )
  }

  /// The `phase` of a request to `url` took longer than `limit`.
  public static func timedOut(_ phase: TimeoutPhase, limit: Duration, url: String) -> ModelServerError {
    let shown = ServerAddress(url).redacted
    let summary: String
    let advice: String
    switch phase {
    case .connect:
      summary = "Connecting to the model server at \(shown) took longer than \(limit.readable) (connect timeout)"
      advice = "Check that the server is running and reachable; raise timeouts.connect for slow networks."
    case .firstByte:
      summary = "The model server at \(shown) sent no response within \(limit.readable) (first-byte timeout)"
      advice = "A cold model load can take minutes: raise timeouts.firstByte, or preload the model "
        + "(`ollama run MODEL \"\"`) and retry."
    case .idle:
      summary = "The model server at \(shown) went silent for \(limit.readable) in the middle of a response "
        + "(idle timeout)"
      advice = "The server may be overloaded or stuck; check its logs, or raise timeouts.idle (`timeout`)."
    case .budget:
      summary = "Stopped waiting for the model server at \(shown): the \(limit.readable) time budget of the whole "
        + "operation ran out (deadline)"
      advice = "Raise the budget (RequestBudget), ask for less output (max_tokens), or check why the server is slow."
    default:
      summary = "The request to \(shown) did not finish within its \(limit.readable) overall deadline"
      advice = "Ask for less output (max_tokens) or raise timeouts.overall."
    }
    var error = ModelServerError(code: .timedOut, summary: summary, recoverySuggestion: advice, url: url)
    error.timeoutPhase = phase
    error.timeoutLimit = limit
    return error
  }

  /// The server at `url` answered `status`, with its own message if it sent one.
  ///
  /// A message that says the request did not fit the model's context (``ContextOverflow/recognize(_:)``)
  /// gives a ``Code/contextOverflow`` error instead, with the same status and message.
  public static func httpStatus(
    _ status: Int, serverMessage: String?, url: String?, body: String? = nil
  ) -> ModelServerError {
    if status >= 400, let serverMessage, let overflow = ContextOverflow.recognize(serverMessage) {
      return contextOverflow(overflow, serverMessage: serverMessage, status: status, url: url)
    }
    let target = url.map { " at \(ServerAddress($0).redacted)" } ?? ""
    let said = serverMessage.map { ": \($0)" } ?? ""
    let advice: String
    switch status {
    case 400: advice = "The server rejected the request as invalid; check the model name and request fields."
    case 401, 403:
      advice = "Check the API key (OPENAI_API_KEY / OLLAMA_API_KEY); Ollama answers 403 to a disallowed Origin "
        + "(see OLLAMA_ORIGINS)."
    case 404: advice = "Check the base URL: the OpenAI-compatible API lives under /v1 (e.g. http://localhost:11434/v1)."
    case 429, 503: advice = "The server is busy; retry later or lower the number of concurrent requests."
    case 500...599: advice = "The server failed; check its logs (`ollama serve` output) and retry."
    default: advice = "Check the request and the server logs."
    }
    return ModelServerError(
      code: .httpStatus,
      summary: "The model server\(target) answered HTTP \(status)\(said)",
      recoverySuggestion: advice,
      status: status,
      serverMessage: serverMessage,
      url: url,
      bodyExcerpt: serverMessage == nil ? body : nil
    )
  }

  /// `model` is not installed; `closest` lists installed models with similar names.
  public static func modelNotFound(
    _ model: String, closest: [String] = [], url: String? = nil, status: Int? = 404, serverMessage: String? = nil
  ) -> ModelServerError {
    let target = url.map { " on the server at \(ServerAddress($0).redacted)" } ?? ""
    var advice = "Run `ollama pull \(model)` to download it"
    if !closest.isEmpty {
      advice += ", or use an installed model: " + closest.joined(separator: ", ")
    }
    var error = ModelServerError(
      code: .modelNotFound,
      summary: "Model '\(model)' is not installed\(target)",
      recoverySuggestion: advice + ".",
      status: status,
      serverMessage: serverMessage,
      url: url
    )
    error.model = model
    error.closestModels = closest
    return error
  }

  /// `model` cannot take tool definitions.
  public static func toolsUnsupported(
    model: String?, serverMessage: String? = nil, url: String? = nil, status: Int? = 400
  ) -> ModelServerError {
    let name = model.map { "'\($0)'" } ?? "The model"
    var error = ModelServerError(
      code: .toolsUnsupported,
      summary: "Model \(name) does not support tools",
      recoverySuggestion: "Use a model with the tools capability (check `ollama show MODEL`, e.g. qwen3 or llama3.1), "
        + "or run without tools.",
      status: status,
      serverMessage: serverMessage,
      url: url
    )
    error.model = model
    return error
  }

  /// The response from `url` could not be decoded; `body` is the offending text.
  public static func malformedResponse(_ detail: String, body: String? = nil, url: String? = nil) -> ModelServerError {
    let target = url.map { " from \(ServerAddress($0).redacted)" } ?? ""
    let excerpt = body.map { " (body starts: \(ModelServerError.excerpt($0)))" } ?? ""
    return ModelServerError(
      code: .malformedResponse,
      summary: "The response\(target) is malformed: \(detail)\(excerpt)",
      recoverySuggestion: "Check that the base URL points at an OpenAI-compatible API (…/v1) and that the server "
        + "is up to date.",
      url: url,
      bodyExcerpt: body
    )
  }

  /// A stream from `url` ended before its end marker.
  public static func streamCut(url: String?, detail: String? = nil) -> ModelServerError {
    let target = url.map { " from \(ServerAddress($0).redacted)" } ?? ""
    let what = detail ?? "ended without [DONE] or a finish_reason"
    return ModelServerError(
      code: .streamCut,
      summary: "The stream\(target) \(what), so the answer is incomplete",
      recoverySuggestion: "The server probably hit an error mid-stream (Ollama drops the message on /v1); check "
        + "its logs and retry.",
      url: url
    )
  }

  /// The server reported `message` inside a stream that had already started (a context overflow gives a
  /// ``Code/contextOverflow`` error instead).
  public static func streamError(_ message: String, url: String?, status: Int? = nil) -> ModelServerError {
    if let overflow = ContextOverflow.recognize(message) {
      return contextOverflow(overflow, serverMessage: message, status: status, url: url)
    }
    let target = url.map { " at \(ServerAddress($0).redacted)" } ?? ""
    return ModelServerError(
      code: .streamError,
      summary: "The model server\(target) reported an error mid-stream: \(message)",
      recoverySuggestion: "Check the server logs; retrying may help if the error was transient.",
      status: status,
      serverMessage: message,
      url: url
    )
  }

  /// The caller cancelled the request.
  public static func cancelled(url: String? = nil) -> ModelServerError {
    let target = url.map { " to \(ServerAddress($0).redacted)" } ?? ""
    return ModelServerError(
      code: .cancelled,
      summary: "The request\(target) was cancelled",
      recoverySuggestion: "Nothing to do unless the cancellation was unexpected.",
      url: url
    )
  }

  /// The configuration is unusable; `message` says why, `suggestion` how to fix it.
  public static func invalidConfiguration(_ message: String, suggestion: String) -> ModelServerError {
    ModelServerError(code: .invalidConfiguration, summary: message, recoverySuggestion: suggestion)
  }

  /// The request could not be built or was refused before reaching the model.
  public static func invalidRequest(_ message: String, suggestion: String, url: String? = nil) -> ModelServerError {
    ModelServerError(code: .invalidRequest, summary: message, recoverySuggestion: suggestion, url: url)
  }

  /// A copy with every occurrence of `secrets` (and key-like words) removed from all text fields.
  public func redacting(secrets: [String]) -> ModelServerError {
    var copy = self
    copy.summary = Redaction.message(summary, secrets: secrets)
    copy.recoverySuggestion = Redaction.message(recoverySuggestion, secrets: secrets)
    copy.serverMessage = serverMessage.map { Redaction.message($0, secrets: secrets) }
    copy.bodyExcerpt = bodyExcerpt.map { Redaction.message($0, secrets: secrets) }
    copy.underlying = underlying.map { Redaction.message($0, secrets: secrets) }
    copy.url = url.map { Redaction.message($0, secrets: secrets) }
    return copy
  }
}

extension Duration {
  /// A compact human form: `250ms`, `30s`, `10m`, `1m30s`.
  var readable: String {
    let (seconds, attoseconds) = components
    if seconds == 0 { return "\(attoseconds / 1_000_000_000_000_000)ms" }
    if seconds < 60 {
      let millis = attoseconds / 1_000_000_000_000_000
      return millis == 0 ? "\(seconds)s" : "\(seconds).\(String(millis + 1000).dropFirst())s"
    }
    let minutes = seconds / 60
    let rest = seconds % 60
    return rest == 0 ? "\(minutes)m" : "\(minutes)m\(rest)s"
  }
}
