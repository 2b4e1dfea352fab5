import Synchronization

extension ServerCore {
  /// Counts a request whose answer has started (the request arrived completely).
  func answerStarted() {
    state.withLock { state in
      state.inFlight += 1
      state.peakInFlight = max(state.peakInFlight, state.inFlight)
    }
  }

  /// Counts a request whose answer is complete, or whose connection closed before it was.
  func answerFinished() {
    state.withLock { $0.inFlight -= 1 }
  }
}

extension FakeOllamaServer {
  /// How many requests the server is answering right now: arrived and not yet fully answered (a stalled
  /// or streaming response counts until it ends or its connection closes).
  public var inFlightRequestCount: Int { core.state.withLock { $0.inFlight } }

  /// The most requests the server answered at the same time since it started or
  /// ``resetPeakInFlightRequestCount()`` was called.
  public var peakInFlightRequestCount: Int { core.state.withLock { $0.peakInFlight } }

  /// Starts measuring ``peakInFlightRequestCount`` again from the current in-flight count.
  public func resetPeakInFlightRequestCount() {
    core.state.withLock { $0.peakInFlight = $0.inFlight }
  }
}
