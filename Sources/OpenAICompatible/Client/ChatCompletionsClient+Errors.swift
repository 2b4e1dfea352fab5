import WireCore

extension ChatCompletionsClient {
  /// Turns generic HTTP errors into the specific ones: a 404 about a model into model-not-found (with the
  /// closest installed names), a 400 "does not support tools" into tools-unsupported.
  @inline(never)  // an error path: its async frame stays out of every request's
  func refine(_ error: ModelServerError, model: String?) async -> ModelServerError {
    guard error.code == .httpStatus, let status = error.status else { return error }
    let message = error.serverMessage ?? ""
    let lowered = message.lowercased()
    if status == 400, lowered.contains("does not support tools") {
      return ModelServerError.toolsUnsupported(model: model, serverMessage: message, url: error.url, status: status)
    }
    if status == 404, let model, ModelNameMatching.isModelNotFound(lowered) {
      let installed = (try? await listModels().map(\.id)) ?? []
      return ModelServerError.modelNotFound(
        model, closest: ModelNameMatching.closestNames(to: model, among: installed), url: error.url,
        status: status, serverMessage: message)
    }
    return error
  }
}
