import NIOCore

/// Takes a request's slot in its server's ``RequestLimiter`` and turns a failed wait into a ``ModelServerError``.
enum RequestSlot {
  /// The slot for `request`, `nil` when it has no concurrency limit, or the error that ended the wait
  /// (`overallDeadline` is on the `timers` clock).
  static func take(
    for request: TransportRequest, overallDeadline: NIODeadline?, timers: any EventLoop
  ) async -> Result<RequestLimiter.Permit?, ModelServerError> {
    guard let limit = request.concurrencyLimit, limit > 0 else { return .success(nil) }
    do {
      let limiter = RequestLimiter.forServer(of: request.url)
      return .success(try await limiter.acquire(limit: limit, deadline: overallDeadline, on: timers))
    } catch {
      guard error == .deadlineExceeded else {
        return .failure(ModelServerError.cancelled(url: request.url).redacting(secrets: request.secrets))
      }
      let limitDuration = request.timeouts.overall ?? .zero
      var error = ModelServerError.timedOut(.deadline, limit: limitDuration, url: request.url)
      error.recoverySuggestion =
        "The request waited for one of the \(limit) concurrent request slots for this server "
        + "(maxConcurrentRequestsPerServer / AGENTS_MAX_CONCURRENT_REQUESTS) until its deadline passed; "
        + "raise the limit, send fewer requests at once, or raise timeouts.overall."
      return .failure(error.redacting(secrets: request.secrets))
    }
  }
}
