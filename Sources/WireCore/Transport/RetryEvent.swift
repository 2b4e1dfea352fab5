extension HTTPTransport {
  /// A retry the transport is about to make: which request, which attempt, why and after how long a wait.
  public struct RetryEvent: Sendable {
    /// The request URL, with credentials removed.
    public var url: String
    /// The model the request is for, when the caller said so (``TransportRequest/model``).
    public var model: String?
    /// The number of the attempt about to be made (2 for the first retry).
    public var attempt: Int
    /// The most attempts the retry policy allows, including the first one.
    public var maxAttempts: Int
    /// The failure of the previous attempt (secrets redacted).
    public var reason: ModelServerError
    /// The wait before the next attempt.
    public var delay: Duration

    /// Creates an event.
    public init(url: String, model: String?, attempt: Int, maxAttempts: Int, reason: ModelServerError, delay: Duration) {
      self.url = url
      self.model = model
      self.attempt = attempt
      self.maxAttempts = maxAttempts
      self.reason = reason
      self.delay = delay
    }
  }
}
