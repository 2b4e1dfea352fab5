import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1

/// A complete (2xx) response read into memory.
public struct BufferedResponse: Sendable {
  /// The HTTP status code.
  public var status: Int
  /// The response headers.
  public var headers: HTTPHeaders
  /// The whole body.
  public var body: [UInt8]
  /// The request URL, redacted, for error messages.
  public var url: String
}

extension HTTPTransport {
  /// Sends `request` and returns the response head as soon as it arrives, with a streaming body.
  ///
  /// Connection failures and HTTP 429, 502, 503, 504 (and 500 once) are retried per the request's
  /// ``OllamaConfig/RetryPolicy``, with exponential backoff and jitter, honouring `Retry-After` (in
  /// seconds; a longer wait than `maxBackoff` ends the retries). A request whose connection the server closed
  /// before answering is first sent again at once, once (on a new connection: a kept-alive one the server had just
  /// closed, as llama.cpp's server does after every streamed answer, is the usual cause); that counts as an attempt
  /// and is not reported as a retry. With retries off, only a `GET` is sent again this way (it changes nothing on
  /// the server; a `POST` may). Once this returns, nothing is retried:
  /// a stream that has started is never replayed. Other non-2xx statuses throw at once, with the server's
  /// own message read from the body. The request's overall deadline is the earlier of its own
  /// (``OllamaConfig/Timeouts/overall``) and the current ``RequestBudget``'s.
  ///
  /// - Throws: ``ModelServerError``: unreachable, timed out (connect, first byte, deadline), HTTP status,
  ///   cancelled. Secrets in `request.secrets` never appear in it.
  public func send(_ request: TransportRequest) async throws(ModelServerError) -> TransportResponse {
    let timers = self.timers
    let (overallDeadline, budget) = RequestBudget.deadline(
      own: request.timeouts.overall.map { timers.now + $0.timeAmount })
    let maxAttempts = request.retry.isEnabled ? request.retry.maxAttempts : 1
    var attempt = 1
    var retriedServerError = false
    var resentAtOnce = false
    while true {
      let outcome = await attemptOnce(request, overallDeadline: overallDeadline, budget: budget, timers: timers)
      let failure: ModelServerError
      let retryAfter: Duration?
      switch outcome {
      case .response(let response): return response
      case .failed(let error, let after):
        failure = (budget?.relabel(error) ?? error).redacting(secrets: request.secrets)
        retryAfter = after
      }
      if !resentAtOnce, TransportErrorMapping.isClosedBeforeAnswering(failure),
        request.retry.isEnabled ? attempt < maxAttempts : request.method == .GET
      {
        resentAtOnce = true
        attempt += 1
        logger.debug(
          "Sending again on a new connection: the server closed the last one before answering",
          metadata: ["url": "\(ServerAddress(request.url).redacted)"])
        continue
      }
      guard attempt < maxAttempts, isRetryable(failure, retriedServerError: retriedServerError) else { throw failure }
      let delay: Duration
      if let retryAfter {
        guard retryAfter <= request.retry.maxBackoff else { throw failure }
        delay = retryAfter
      } else {
        delay = jittered(request.retry.backoff(beforeRetry: attempt), jitter: request.retry.jitter)
      }
      if let overallDeadline, timers.now + delay.timeAmount >= overallDeadline { throw failure }
      if failure.status == 500 { retriedServerError = true }
      attempt += 1
      try await waitBeforeRetry(
        request, attempt: attempt, of: maxAttempts, after: failure, delay: delay, timers: timers)
    }
  }

  /// Logs and reports the retry, then sleeps `delay` on the timer loop's clock, counted from before the report (so
  /// whoever sees the report knows when the wait ends). Out of line: its locals would otherwise sit in the async
  /// frame of every request, including the many that wait for a pooled connection at once.
  @inline(never)
  private func waitBeforeRetry(
    _ request: TransportRequest, attempt: Int, of maxAttempts: Int, after failure: ModelServerError, delay: Duration,
    timers: any EventLoop
  ) async throws(ModelServerError) {
    let wakeUp = timers.now + delay.timeAmount
    let event = RetryEvent(
      url: ServerAddress(request.url).redacted, model: request.model, attempt: attempt, maxAttempts: maxAttempts,
      reason: failure, delay: delay)
    var metadata: Logger.Metadata = [
      "url": "\(event.url)",
      "attempt": "\(attempt)/\(maxAttempts)",
      "reason": "\(failure.shortDescription)",
      "delay_ms": "\(delay.nanoseconds / 1_000_000)",
    ]
    if let model = request.model { metadata["model"] = "\(model)" }
    if let underlying = failure.underlying { metadata["underlying"] = "\(underlying)" }
    logger.notice("Retrying model server request", metadata: metadata)
    onRetry?(event)
    do {
      try await timers.sleep(until: wakeUp)
    } catch {
      throw ModelServerError.cancelled(url: request.url)
    }
  }

  /// Sends `request` and reads the whole 2xx body (at most `limit` bytes).
  ///
  /// - Throws: ``ModelServerError`` as ``send(_:)`` does, plus idle/deadline timeouts and cuts while
  ///   reading, and ``ModelServerError/Code/malformedResponse`` for a body over `limit`.
  public func data(
    _ request: TransportRequest, limit: Int = 64 << 20
  ) async throws(ModelServerError)
    -> BufferedResponse
  {
    let response = try await send(request)
    do {
      let body = try await response.body.collect(upTo: limit)
      return BufferedResponse(status: response.status, headers: response.headers, body: body, url: response.url)
    } catch {
      throw TransportErrorMapping.bodyError(error, url: request.url).redacting(secrets: request.secrets)
    }
  }

  private enum AttemptOutcome {
    case response(TransportResponse)
    case failed(ModelServerError, retryAfter: Duration?)
  }

  private func attemptOnce(
    _ request: TransportRequest, overallDeadline: NIODeadline?, budget: RequestBudget?, timers: any EventLoop
  ) async -> AttemptOutcome {
    let permit: RequestLimiter.Permit?
    switch await RequestSlot.take(for: request, overallDeadline: overallDeadline, timers: timers) {
    case .success(let taken): permit = taken
    case .failure(let error): return .failed(error, retryAfter: nil)
    }
    // Time spent queued for a slot does not count against the first-byte timeout.
    let firstByteDeadline = timers.now + request.timeouts.firstByte.timeAmount
    var deadline = firstByteDeadline
    var firstByteWasBinding = true
    if let overallDeadline, overallDeadline < firstByteDeadline {
      deadline = overallDeadline
      firstByteWasBinding = false
    }

    // The receiver holds the slot until the body has been read to the end, fails or is cancelled.
    let (receiver, body) = ResponseReceiver.make(
      url: request.url, timeouts: request.timeouts, overallDeadline: overallDeadline, budget: budget,
      progress: request.progress, timers: timers, permit: permit)
    let head: HTTPResponseHead
    do {
      head = try await execute(request, receiver: receiver, until: deadline)
    } catch {
      permit?.release()
      let mapped = TransportErrorMapping.requestError(
        error, url: request.url, timeouts: request.timeouts, firstByteWasBinding: firstByteWasBinding)
      return .failed(mapped, retryAfter: nil)
    }
    let status = Int(head.status.code)
    if (200..<300).contains(status) {
      return .response(TransportResponse(status: status, headers: head.headers, body: body, url: request.url))
    }
    return await statusFailure(status, headers: head.headers, body: body, permit: permit, url: request.url)
  }

  /// Sends `request` through AsyncHTTPClient's delegate API, its response going to `receiver` on the connection's
  /// event loop, and waits for the response head until `deadline` on the `timers` clock.
  ///
  /// No task is made for the request: the async API's `execute` starts one per request (its cancellation handler),
  /// which wakes a pool thread for every model call. The deadline is a timer on the transport's timers loop (virtual
  /// time in tests), armed before the request goes out.
  ///
  /// - Throws: `HTTPClientError.deadlineExceeded` when the deadline passes first (the request is cancelled),
  ///   `CancellationError`, or what AsyncHTTPClient reports (an invalid URL included).
  private func execute(
    _ request: TransportRequest, receiver: ResponseReceiver, until deadline: NIODeadline
  ) async throws -> HTTPResponseHead {
    let httpRequest = try HTTPRequestTemplates.request(for: request)
    let client = self.client
    // The delegate on the connections' loop (the only loop of the default client, so the channel is there too).
    // Not `.delegateAndChannel(on:)`: a request that requires its channel's loop may open a connection beyond the
    // pool's limit, which AsyncHTTPClient closes after that one request (at 32 concurrent runs: 1500 -> 830 runs/s).
    let preference: HTTPClient.EventLoopPreference =
      (client.eventLoopGroup as? any EventLoop).map { .delegate(on: $0) } ?? .indifferent
    return try await receiver.head(until: deadline) { receiver in
      let task = client.execute(
        request: httpRequest, delegate: receiver, eventLoop: preference, deadline: nil, logger: nil)
      // A client that was shut down fails the task without telling the delegate.
      task.futureResult.whenFailure { error in receiver.receiveError(error) }
      return { error in task.fail(reason: error) }
    }
  }

  /// The error for a non-2xx response, with the server's message read from the body. Out of line, as above.
  @inline(never)
  private func statusFailure(
    _ status: Int, headers: HTTPHeaders, body: ResponseBody, permit: RequestLimiter.Permit?, url: String
  ) async -> AttemptOutcome {
    let errorBody = await body.prefix(upTo: configuration.errorBodyLimit)
    permit?.release()
    let message = ServerErrorMessage.extract(from: errorBody)
    let error = ModelServerError.httpStatus(
      status, serverMessage: message, url: url, body: String(decoding: errorBody.prefix(512), as: UTF8.self))
    return .failed(error, retryAfter: HTTPTransport.retryAfter(headers))
  }

  private func isRetryable(_ error: ModelServerError, retriedServerError: Bool) -> Bool {
    if TransportErrorMapping.isConnectionFailure(error) { return !TransportErrorMapping.isTLSMismatch(error) }
    guard error.code == .httpStatus, let status = error.status else { return false }
    switch status {
    case 429, 502, 503, 504: return true
    case 500: return !retriedServerError
    default: return false
    }
  }

  private func jittered(_ delay: Duration, jitter: Double) -> Duration {
    guard jitter > 0 else { return delay }
    let factor = 1 + jitter * Double.random(in: -1...1)
    return .nanoseconds(Int64(Double(delay.nanoseconds) * factor))
  }

  /// The `Retry-After` header as a duration, when it is a number of seconds (at most a day: the server's
  /// number must not overflow the conversion; ``OllamaConfig/RetryPolicy/maxBackoff`` caps the wait anyway).
  static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
    guard let value = headers.first(name: "retry-after")?.trimmingWhitespace(),
      let seconds = Double(value), seconds >= 0, seconds.isFinite
    else { return nil }
    return .milliseconds(Int64(min(seconds, 86_400) * 1000))
  }
}
