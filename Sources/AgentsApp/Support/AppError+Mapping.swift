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
    let summary = error.summary.hasSuffix(".") ? String(error.summary.dropLast()) : error.summary
    var advice = error.recoverySuggestion
    if let first = advice.first, first.isUppercase, advice.dropFirst().first?.isLowercase == true {
      advice = first.lowercased() + advice.dropFirst()  // it follows "; " in the one-line message
    }
    switch error.code {
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
      return AppError(
        .runFailed, summary,
        fix: "pick a model with tool support ('agents models' shows capabilities), e.g. --model qwen3 or llama3.1")
    default:
      return AppError(.runFailed, summary, fix: advice)
    }
  }

  private static func from(_ error: AgentsError) -> AppError {
    if let underlying = error.underlying as? ModelServerError { return from(underlying) }
    if let underlying = error.underlying as? StoreError { return from(underlying) }
    switch error.code {
    case .maxTurnsExceeded:
      return AppError(
        .runFailed, error.message,
        fix: "raise the limit with --max-turns, or ask a simpler question (small models can loop on tools)")
    case .inputGuardrailTripped, .outputGuardrailTripped:
      return AppError(.runFailed, error.message)
    case .inputTooLarge, .contextLengthExceeded:
      return AppError(.invalidInput, error.message)
    case .toolsUnsupported:
      return AppError(
        .runFailed, error.message,
        fix: "pick a model with tool support ('agents models' shows capabilities), e.g. --model qwen3 or llama3.1")
    default:
      return AppError(.runFailed, error.message)
    }
  }
}
