extension AppError {
  /// Classifies any error from the layers below into the command's error categories (and exit codes).
  ///
  /// Server errors keep their own message and advice; agents errors get the advice that fits the
  /// command line (`--max-turns`, `agents models`).
  public static func from(_ error: any Error) -> AppError {
    switch error {
    case let error as AppError:
      return error
    case let error as ModelServerError:
      return from(error)
    case let error as AgentsError:
      return from(error)
    case let error as ConfigFileError:
      return AppError(.invalidInput, "invalid configuration file:\n\(error)")
    case let error as StoreError:
      // Thrown after the model answered when the session cannot be saved (full disk, read-only store).
      return AppError(
        .storeUnavailable, "the conversation was not saved: \(error.message)",
        fix: error.code == .busy ? "retry" : nil)
    case let error as WorkspaceError:
      return AppError(.invalidInput, error.message)
    case is CancellationError:
      return AppError(.interrupted, "interrupted")
    default:
      return AppError(.runFailed, String(describing: error))
    }
  }

  private static func from(_ error: ModelServerError) -> AppError {
    let summary = sentence(error.summary)
    let advice = commandLineAdvice(for: error)
    switch error.code {
    case .timedOut where error.timeoutPhase == .budget:
      return AppError(
        .serverUnavailable, summary,
        fix: "raise it with --deadline SECONDS (or 'deadline:' in the configuration file), or ask for a shorter answer")
    case .serverUnreachable, .timedOut:
      return AppError(.serverUnavailable, summary, fix: advice)
    case .modelNotFound:
      let model = error.model ?? "MODEL"
      var fix = "run 'agents models pull \(model)' (or 'ollama pull \(model)')"
      if !error.closestModels.isEmpty {
        fix += ", or use an installed model: " + error.closestModels.joined(separator: ", ")
      }
      return AppError(.modelNotFound, summary, fix: fix)
    case .invalidConfiguration, .contextOverflow:
      return AppError(.invalidInput, summary, fix: advice)
    case .cancelled:
      return AppError(.interrupted, "interrupted")
    case .httpStatus where [502, 503, 504].contains(error.status ?? 0):
      return AppError(.serverUnavailable, summary, fix: advice)
    case .toolsUnsupported:
      return AppError(.runFailed, summary, fix: toolsAdvice)
    default:
      return AppError(.runFailed, summary, fix: advice)
    }
  }

  /// The server error's advice in the command line's words: its options instead of the SDK's configuration fields.
  private static func commandLineAdvice(for error: ModelServerError) -> String {
    switch (error.code, error.timeoutPhase) {
    case (.timedOut, .connect?):
      return "check that the server is running and that --base-url (or OLLAMA_HOST) points at it"
    case (.timedOut, .firstByte?):
      return "a model that is not loaded yet can take minutes to start: wait and retry, raise --timeout (seconds), "
        + "or load it first ('ollama run MODEL \"\"')"
    case (.timedOut, .idle?):
      return "the server may be overloaded or stuck: check its logs, or raise --timeout (seconds)"
    case (.timedOut, _):
      return "ask for a shorter answer, or raise --timeout (seconds)"
    case (.contextOverflow, _):
      return "start a new conversation (/clear in the chat), shorten the message, or give the model a larger context "
        + "(Ollama: OLLAMA_CONTEXT_LENGTH; llama-server: --ctx-size) and pass it with --context-length"
    default:
      var advice = sentence(error.recoverySuggestion)
      if let first = advice.first, first.isUppercase, advice.dropFirst().first?.isLowercase == true {
        advice = first.lowercased() + advice.dropFirst()  // it follows "; " in the one-line message
      }
      return advice
    }
  }

  /// The advice for a model without tool support, before the installed models are known (the chat and `ask` add
  /// the installed ones that have tools).
  static let toolsAdvice = "use a model with tool support ('agents models' lists capabilities), or the creative "
    + "writer, which needs no tools (--agent creative)"

  private static func from(_ error: AgentsError) -> AppError {
    if let underlying = error.underlying as? ModelServerError { return from(underlying) }
    if let underlying = error.underlying as? StoreError { return from(underlying) }
    switch error.code {
    case .maxTurnsExceeded:
      let calls = error.partialRun.map { "\($0.turns) model calls" } ?? "its limit of model calls"
      return AppError(
        .runFailed, "the agent used \(calls) without reaching an answer (it may be going round in circles with its tools)",
        fix: "raise the limit with --max-turns, ask a simpler question, or use a larger model")
    case .inputGuardrailTripped, .outputGuardrailTripped:
      return guardrailTripped(error)
    case .invalidRunState:
      return AppError(.invalidInput, sentence(firstSentence(of: error.message)), fix: "ask the question again")
    case .inputTooLarge:
      return AppError(
        .invalidInput, sentence(firstSentence(of: error.message)),
        fix: "shorten it, or raise the limit with --max-input-chars (or AGENTS_MAX_INPUT_CHARS)")
    case .contextLengthExceeded:
      return AppError(
        .invalidInput, sentence(firstSentence(of: error.message)),
        fix: "shorten the message, or use a model with a larger context (--context-length)")
    case .toolsUnsupported:
      return AppError(.runFailed, sentence(firstSentence(of: error.message)), fix: toolsAdvice)
    case .toolFailed, .toolTimeout:
      return AppError(.runFailed, sentence(firstSentence(of: error.message)), fix: "try again, or ask differently")
    case .modelBehavior:
      return AppError(
        .runFailed, sentence(firstSentence(of: error.message)),
        fix: "try again or rephrase; small models get this wrong more often than larger ones")
    default:
      return AppError(.runFailed, sentence(firstSentence(of: error.message)))
    }
  }

  /// A guardrail's trip in the user's words: which guard, what it saw, and how to go on.
  private static func guardrailTripped(_ error: AgentsError) -> AppError {
    let input = error.code == .inputGuardrailTripped
    let result = error.guardrailResult
    if input, result?.guardrailName == PromptInjectionGuardrail.name {
      let matched = (result?.output.outputInfo as? PromptInjectionGuardrail.Match).map { " (\"\($0.matchedText)\")" } ?? ""
      return AppError(
        .runFailed,
        "the prompt-injection guard stopped this message before it reached the model: it reads like an attempt to "
          + "override the agent's instructions\(matched)",
        fix: "rephrase it, or turn the guard off (/guard off in the chat, --no-guard for one command)")
    }
    let name = result.map { " '\($0.guardrailName)'" } ?? ""
    let details = result?.output.outputInfo.map { ": \($0)" } ?? ""
    return input
      ? AppError(.runFailed, "the input guard\(name) stopped this message before it reached the model\(details)", fix: "rephrase it")
      : AppError(.runFailed, "the output guard\(name) held back the answer\(details)", fix: "ask again or differently")
  }

  /// `text` without its final full stop, so it can be followed by "; fix".
  static func sentence(_ text: String) -> String {
    var text = text.trimmingWhitespace()
    while text.hasSuffix(".") { text.removeLast() }
    return text
  }

  /// The first sentence of an SDK message (the part that says what happened; the rest advises SDK users).
  static func firstSentence(of text: String) -> String {
    var index = text.startIndex
    while let stop = text[index...].firstIndex(of: ".") {
      let next = text.index(after: stop)
      if next == text.endIndex { return text }
      if text[next] == " ", text.index(after: next) < text.endIndex, text[text.index(after: next)].isUppercase {
        return String(text[...stop])
      }
      index = next
    }
    return text
  }
}
