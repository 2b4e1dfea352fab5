import NIOCore
import Synchronization

/// One response's body parts on their way from the ``ResponseReceiver`` (on the connection's event loop) to the
/// ``ResponseBody``'s reader: the parts not read yet, at most one waiting reader, and how the stream ended.
///
/// It does what `AsyncThrowingStream<ByteBuffer, any Error>` did here, specialised to `ByteBuffer`: the standard
/// library's stream is generic code that is not specialised across the module boundary, and its `yield` looked up type
/// metadata on every part (4.6 % of the network thread's samples for a streamed call on llama.cpp, session 12).
///
/// Semantics kept from `AsyncThrowingStream`: parts are buffered without limit and read in order; a failure is thrown
/// once, after the parts before it, and the stream then ends; a reader whose task is cancelled gets the end (`nil`);
/// the termination handler runs once, with ``Termination/finished`` when the producer ends the stream and with
/// ``Termination/cancelled`` when the reader's task is cancelled or the reader is released before that; once the
/// reader is gone, ``yield(_:)`` returns `false`.
final class BodyPartStream: Sendable {
  /// How the stream ended, for the termination handler.
  enum Termination: Sendable, Hashable {
    /// The producer called ``finish(throwing:)``.
    case finished
    /// The reader stopped first: its task was cancelled, or it released the stream.
    case cancelled
  }

  private struct State {
    var parts = CircularBuffer<ByteBuffer>(initialCapacity: 4)
    var reader: UnsafeContinuation<ByteBuffer?, any Error>?
    /// The producer ended the stream (`failure` is thrown once, after the parts).
    var finished = false
    var failure: (any Error)?
    /// The reader stopped: nothing more is delivered.
    var cancelled = false
    var onTermination: (@Sendable (Termination) -> Void)?
  }

  private let state = Mutex(State())

  /// An open stream with no parts.
  init() {}

  /// Whether a reader is waiting for a part.
  var hasWaitingReader: Bool { state.withLock { $0.reader != nil } }

  /// Called once when the stream ends (see ``Termination``); set it before the first part arrives.
  func setTerminationHandler(_ handler: @escaping @Sendable (Termination) -> Void) {
    state.withLock { $0.onTermination = handler }
  }

  /// Hands `part` to the reader (at once if it waits) or buffers it.
  ///
  /// - Returns: `false` when the part was dropped: the reader is gone or the stream has ended.
  @discardableResult
  func yield(_ part: ByteBuffer) -> Bool {
    enum Delivery {
      case dropped, buffered
      case handed(UnsafeContinuation<ByteBuffer?, any Error>)
    }
    let delivery = state.withLock { state -> Delivery in
      guard !state.cancelled, !state.finished else { return .dropped }
      guard let reader = state.reader else {
        state.parts.append(part)
        return .buffered
      }
      state.reader = nil
      return .handed(reader)
    }
    switch delivery {
    case .dropped: return false
    case .buffered: return true
    case .handed(let reader):
      reader.resume(returning: part)
      return true
    }
  }

  /// Ends the stream after the parts already yielded, with `failure` thrown to the reader when given.
  func finish(throwing failure: (any Error)? = nil) {
    let (reader, handler) = state.withLock {
      state -> (UnsafeContinuation<ByteBuffer?, any Error>?, (@Sendable (Termination) -> Void)?) in
      guard !state.cancelled, !state.finished else { return (nil, nil) }
      state.finished = true
      defer { state.onTermination = nil }
      // A waiting reader means no parts are buffered: it gets the end (or the failure) now.
      guard let reader = state.reader else {
        state.failure = failure
        return (nil, state.onTermination)
      }
      state.reader = nil
      return (reader, state.onTermination)
    }
    if let reader {
      if let failure { reader.resume(throwing: failure) } else { reader.resume(returning: nil) }
    }
    handler?(.finished)
  }

  /// The reader stops: a waiting read gets the end, buffered parts are dropped, and the termination handler runs with
  /// ``Termination/cancelled`` unless the stream had already ended.
  func cancel() {
    let (reader, handler) = state.withLock {
      state -> (UnsafeContinuation<ByteBuffer?, any Error>?, (@Sendable (Termination) -> Void)?) in
      guard !state.cancelled else { return (nil, nil) }
      state.cancelled = true
      state.parts.removeAll()
      state.failure = nil
      defer {
        state.reader = nil
        state.onTermination = nil
      }
      return (state.reader, state.finished ? nil : state.onTermination)
    }
    reader?.resume(returning: nil)
    handler?(.cancelled)
  }

  /// The next part, or `nil` at the end (or once the reading task is cancelled).
  ///
  /// - Throws: The failure the producer finished with, once.
  func next() async throws -> ByteBuffer? {
    if Task.isCancelled {
      cancel()
      return nil
    }
    if let ready = state.withLock({ Self.take(from: &$0) }) { return try ready.get() }
    return try await withTaskCancellationHandler {
      try await withUnsafeThrowingContinuation { (reader: UnsafeContinuation<ByteBuffer?, any Error>) in
        let ready = state.withLock { state -> Result<ByteBuffer?, any Error>? in
          if let ready = Self.take(from: &state) { return ready }
          state.reader = reader
          return nil
        }
        if let ready { reader.resume(with: ready) }
      }
    } onCancel: {
      cancel()
    }
  }

  /// What a read gets without waiting: a buffered part, the failure, or the end; `nil` when it has to wait.
  private static func take(from state: inout State) -> Result<ByteBuffer?, any Error>? {
    if let part = state.parts.popFirst() { return .success(part) }
    if state.cancelled { return .success(nil) }
    guard state.finished else { return nil }
    if let failure = state.failure {
      state.failure = nil
      return .failure(failure)
    }
    return .success(nil)
  }
}

/// The reading side's hold on a ``BodyPartStream``: when the last copy of the body and of its iterators is released,
/// the stream is cancelled, as releasing an `AsyncThrowingStream` ends it, which is how the receiver learns that the
/// reader stopped.
final class BodyPartReader: Sendable {
  let stream: BodyPartStream

  init(_ stream: BodyPartStream) {
    self.stream = stream
  }

  deinit { stream.cancel() }
}
