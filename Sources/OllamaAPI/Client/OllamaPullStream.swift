import WireCore

/// The progress of a `/api/pull`, one event per NDJSON line, with per-layer and total bytes.
///
/// Every line is checked for `error` (Ollama answers HTTP 200 for a missing model, then an error line);
/// the sequence ends cleanly only after `success`. Iterate it once; cancelling the iterating task cancels
/// the HTTP request. Errors are ``ModelServerError``s:
/// - ``ModelServerError/Code/modelNotFound`` when the registry has no such model,
/// - ``ModelServerError/Code/streamError`` for any other error line,
/// - ``ModelServerError/Code/malformedResponse`` for a line that is not a progress object,
/// - ``ModelServerError/Code/streamCut`` when the body ends without `success`,
/// - transport errors (timeouts, cancelled, connection cut) as the transport reports them.
public struct OllamaPullStream: AsyncSequence, Sendable {
  /// Each element is the progress after one line.
  public typealias Element = OllamaPullProgress

  private let response: TransportResponse
  private let model: String
  private let secrets: [String]

  /// Reads the progress of a response to a pull request (also used to replay recorded pulls).
  public init(response: TransportResponse, model: String, secrets: [String] = []) {
    self.response = response
    self.model = model
    self.secrets = secrets
  }

  /// The pull request's URL, redacted.
  public var url: String { response.url }

  /// Iterates the progress events.
  public struct AsyncIterator: AsyncIteratorProtocol {
    private var lines: NDJSONLineSequence<ResponseBody>.AsyncIterator
    private var tracker = OllamaPullTracker()
    private let model: String
    private let url: String
    private let secrets: [String]
    private var finished = false

    fileprivate init(response: TransportResponse, model: String, secrets: [String]) {
      lines = NDJSONLineSequence(response.body).makeAsyncIterator()
      self.model = model
      self.url = response.url
      self.secrets = secrets
    }

    /// The progress after the next line, or `nil` after `success`.
    ///
    /// - Throws: ``ModelServerError``.
    public mutating func next() async throws -> OllamaPullProgress? {
      guard !finished else { return nil }
      let line: [UInt8]?
      do {
        line = try await lines.next()
      } catch {
        finished = true
        throw OllamaPullStream.asModelServerError(error, url: url).redacting(secrets: secrets)
      }
      guard let line else {
        finished = true
        throw ModelServerError.streamCut(url: url, detail: "ended before the pull reported success")
      }
      let status: OllamaPullStatus
      do {
        status = try OllamaResponseDecoding.decode(OllamaPullStatus.self, from: line, url: url)
      } catch {
        finished = true
        throw error
      }
      if let message = status.error {
        finished = true
        throw OllamaPullStream.pullFailure(message, model: model, url: url)
      }
      guard status.status != nil else {
        finished = true
        throw ModelServerError.malformedResponse(
          "a pull progress line has neither \"status\" nor \"error\"", body: String(decoding: line, as: UTF8.self),
          url: url)
      }
      let progress = tracker.record(status)
      if progress.isSuccess { finished = true }
      return progress
    }
  }

  /// Starts iterating; iterate once.
  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(response: response, model: model, secrets: secrets)
  }

  /// The error for an `{"error":…}` line: a registry miss is model-not-found, anything else a stream error.
  static func pullFailure(_ message: String, model: String, url: String) -> ModelServerError {
    let lowered = message.lowercased()
    guard lowered.contains("file does not exist") || ModelNameMatching.isModelNotFound(lowered) else {
      return ModelServerError.streamError(message, url: url)
    }
    var error = ModelServerError(
      code: .modelNotFound,
      summary: "Model '\(model)' was not found in the registry: \(message)",
      recoverySuggestion: "Check the name and tag (e.g. llama3.2:3b); browse https://ollama.com/library for models.",
      serverMessage: message,
      url: url
    )
    error.model = model
    return error
  }

  /// `error` as a ``ModelServerError`` (transport errors already are; anything else is a malformed body).
  static func asModelServerError(_ error: any Error, url: String) -> ModelServerError {
    if let error = error as? ModelServerError { return error }
    return ModelServerError.malformedResponse(String(describing: error), url: url)
  }
}
