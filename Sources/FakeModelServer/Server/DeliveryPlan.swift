import WireCore

/// One thing the connection handler does while answering a request.
enum DeliveryStep {
  /// Pause; `nil` pauses until the connection closes.
  case wait(Duration?)
  /// Pause until the test opens the gate.
  case hold(FakeOllamaServer.Gate)
  /// Write the response head.
  case head(status: Int, headers: [(String, String)])
  /// Write body bytes, flushing them at once when `flush` (stream events) or with the end (complete bodies).
  case write([UInt8], flush: Bool)
  /// Write these bytes (flushed) every `interval` until the connection closes; nothing follows.
  case repeatWrite([UInt8], every: Duration)
  /// End the HTTP message cleanly.
  case end
  /// Close the connection now.
  case close
}

/// Turns an endpoint's response and an optional fault into the steps that deliver it.
enum DeliveryPlan {
  /// The steps for `response` under `fault` (a fault that replaces responses must already have been applied).
  static func steps(for response: EndpointResponse, fault: FakeOllamaServer.Fault?, family: ErrorBody.Family)
    -> [DeliveryStep]
  {
    switch fault {
    case .delay(let duration):
      return [.wait(duration)] + normal(response)
    case .stallBeforeHeaders(let duration):
      return [.wait(duration)] + normal(response)
    case .stallAfterEvents(let count, let duration):
      return partial(response, events: count) + [.wait(duration)] + remainder(response, after: count)
    case .holdAfterEvents(let count, let gate):
      return partial(response, events: count) + [.hold(gate)] + remainder(response, after: count)
    case .keepAliveAfterEvents(let count, let interval, let frame):
      return partial(response, events: count) + [.repeatWrite(frame, every: interval)]
    case .cutAfterEvents(let count):
      return partial(response, events: count) + [.close]
    case .endAfterEvents(let count):
      return partial(response, events: count) + [.end]
    case .midStreamError(let count, let message):
      guard count > 0, case .stream = response.body, let failure = response.midStreamFailure else {
        // Nothing written yet: Ollama turns the error into an ordinary HTTP error.
        return normal(ErrorBody.response(family, status: 500, message: message))
      }
      let failureFrame: [UInt8] =
        switch failure {
        case .openAIChunk(let frame): frame
        case .nativeErrorLine: Framing.ndjson(["error": .string(message)])
        }
      return partial(response, events: count) + [.write(failureFrame, flush: true), .end]
    case .closeConnection:
      return [.close]
    case nil, .respond, .error, .malformedJSON, .wrongShape:
      return normal(response)
    }
  }

  /// Head, every event, end.
  static func normal(_ response: EndpointResponse) -> [DeliveryStep] {
    partial(response, events: .max) + [.end]
  }

  /// Head plus the first `events` events.
  private static func partial(_ response: EndpointResponse, events: Int) -> [DeliveryStep] {
    var steps: [DeliveryStep] = []
    switch response.body {
    case .complete(let bytes):
      let headers = response.headers + [("Content-Length", String(bytes.count))]
      steps.append(.head(status: response.status, headers: headers))
      if events > 0, !response.isHead, !bytes.isEmpty { steps.append(.write(bytes, flush: false)) }
    case .stream(let frames):
      steps.append(.head(status: response.status, headers: response.headers))
      if !response.isHead {
        for frame in frames.prefix(max(0, events)) { steps.append(.write(frame, flush: true)) }
      }
    }
    return steps
  }

  /// The events after the first `events`.
  private static func remainder(_ response: EndpointResponse, after events: Int) -> [DeliveryStep] {
    guard !response.isHead else { return [.end] }
    switch response.body {
    case .complete(let bytes):
      return (events > 0 || bytes.isEmpty ? [] : [.write(bytes, flush: false)]) + [.end]
    case .stream(let frames):
      return frames.dropFirst(max(0, events)).map { .write($0, flush: true) } + [.end]
    }
  }
}
