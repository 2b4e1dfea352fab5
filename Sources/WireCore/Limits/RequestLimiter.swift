import NIOCore
import Synchronization

/// A first-in, first-out limit on how many requests to one model server run at the same time.
///
/// Every client of the same server in the process shares one limiter (see ``forServer(of:)``), so a burst
/// of requests waits here instead of piling onto the server's own queue (Ollama answers 503 once its queue
/// is full). A waiting request gives up when its task is cancelled or its deadline passes, without taking
/// or leaking a slot. Each caller states its own limit; a waiter is admitted when fewer than its limit are
/// running and everyone ahead of it has been admitted.
public final class RequestLimiter: Sendable {
  /// Why a wait for a slot ended without one.
  public enum WaitError: Error, Sendable, Hashable {
    /// The waiting task was cancelled.
    case cancelled
    /// The caller's deadline passed while it waited.
    case deadlineExceeded
  }

  private struct Waiter {
    var id: UInt64
    var limit: Int
    var continuation: CheckedContinuation<Void, any Error>
  }

  private struct State {
    var running = 0
    var waiters: [Waiter] = []
    var nextID: UInt64 = 0
  }

  private let state = Mutex(State())

  /// Creates a limiter with nothing running.
  public init() {}

  /// How many requests hold a slot now.
  public var runningCount: Int { state.withLock { $0.running } }

  /// How many requests wait for a slot now.
  public var waitingCount: Int { state.withLock { $0.waiters.count } }

  /// Waits until fewer than `limit` requests run and everyone queued earlier has started, then takes a slot.
  ///
  /// - Parameters:
  ///   - limit: The most requests that may run at once (at least 1).
  ///   - deadline: When to stop waiting; `nil` waits until a slot frees up or the task is cancelled.
  /// - Returns: The slot; release it (or let it go) when the request is over.
  /// - Throws: ``WaitError``; no slot is held then.
  public func acquire(limit: Int, deadline: ContinuousClock.Instant? = nil) async throws(WaitError) -> Permit {
    try await acquire(limit: limit) { expire in
      deadline.map { deadline in
        let timer = Task {
          try? await Task.sleep(until: deadline, clock: .continuous)
          guard !Task.isCancelled else { return }
          expire()
        }
        return { timer.cancel() }
      }
    }
  }

  /// Like ``acquire(limit:deadline:)``, with the deadline on `eventLoop`'s clock (the transport's timer loop, whose
  /// time is virtual in tests).
  func acquire(limit: Int, deadline: NIODeadline?, on eventLoop: any EventLoop) async throws(WaitError) -> Permit {
    try await acquire(limit: limit) { expire in
      deadline.map { deadline in
        let timer = eventLoop.scheduleTask(deadline: deadline) { expire() }
        return { timer.cancel() }
      }
    }
  }

  /// Waits for a slot; `startTimer` arms the deadline (calling `expire` when it passes) and returns how to disarm
  /// it, or returns `nil` when there is no deadline.
  private func acquire(
    limit: Int, startTimer: (_ expire: @escaping @Sendable () -> Void) -> (@Sendable () -> Void)?
  ) async throws(WaitError) -> Permit {
    let limit = max(1, limit)
    let id = state.withLock { state -> UInt64? in
      if state.waiters.isEmpty, state.running < limit {
        state.running += 1
        return nil
      }
      state.nextID &+= 1
      return state.nextID
    }
    guard let id else { return Permit(limiter: self) }

    let disarm = startTimer { [weak self] in self?.abandon(id, with: .deadlineExceeded) }
    defer { disarm?() }
    do {
      try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
          let admitted = state.withLock { state -> Bool in
            // Cancelled before queueing: the cancellation handler found nothing to remove, so fail here.
            if Task.isCancelled { return false }
            state.waiters.append(Waiter(id: id, limit: limit, continuation: continuation))
            return true
          }
          if !admitted { continuation.resume(throwing: WaitError.cancelled) }
          // A slot may have freed up between the first check and queueing.
          resumeAdmitted()
        }
      } onCancel: {
        abandon(id, with: .cancelled)
      }
    } catch let error as WaitError {
      throw error
    } catch {
      throw .cancelled
    }
    return Permit(limiter: self)
  }

  /// Removes waiter `id` if it still waits and fails its wait with `error`.
  private func abandon(_ id: UInt64, with error: WaitError) {
    let removed = state.withLock { state -> Waiter? in
      guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
      return state.waiters.remove(at: index)
    }
    removed?.continuation.resume(throwing: error)
    // The head of the queue may have been waiting behind the one that left.
    if removed != nil { resumeAdmitted() }
  }

  /// Gives back one slot and admits whoever may run now.
  fileprivate func release() {
    state.withLock { $0.running -= 1 }
    resumeAdmitted()
  }

  /// Admits waiters from the head of the queue while their limits allow.
  private func resumeAdmitted() {
    let admitted = state.withLock { state -> [Waiter] in
      var admitted: [Waiter] = []
      while let head = state.waiters.first, state.running < head.limit {
        state.waiters.removeFirst()
        state.running += 1
        admitted.append(head)
      }
      return admitted
    }
    for waiter in admitted { waiter.continuation.resume() }
  }

  /// One running request's slot; it is given back once, by ``release()`` or when the permit is deallocated.
  public final class Permit: Sendable {
    private let limiter: RequestLimiter
    private let released = Atomic<Bool>(false)

    fileprivate init(limiter: RequestLimiter) { self.limiter = limiter }

    /// Gives the slot back; later calls do nothing.
    public func release() {
      guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
      limiter.release()
    }

    deinit { release() }
  }
}

extension RequestLimiter {
  /// The limiters by server, and by every URL already looked up: parsing a URL costs more than the rest of a
  /// request's bookkeeping, and a process talks to a handful of URLs.
  private struct Registry {
    var byServer: [String: RequestLimiter] = [:]
    /// Past ``rememberedURLs`` the memory starts over; the limiters stay, one per server.
    var byURL = BoundedMemo<String, RequestLimiter>(limit: rememberedURLs)
  }

  private static let registry = Mutex(Registry())
  /// The most URLs remembered.
  static let rememberedURLs = 256

  /// The process-wide limiter for the server `url` points at: one per scheme, host and port, so the native
  /// API and the OpenAI-compatible API of one Ollama share it.
  public static func forServer(of url: String) -> RequestLimiter {
    if let known = registry.withLock({ $0.byURL[url] }) { return known }
    let key = serverKey(url)
    return registry.withLock { registry in
      let limiter = registry.byServer[key] ?? RequestLimiter()
      registry.byServer[key] = limiter
      registry.byURL.remember(limiter, for: url)
      return limiter
    }
  }

  /// `scheme://host:port` of `url` (the port filled in from the scheme), or `url` itself when it does not parse.
  static func serverKey(_ url: String) -> String {
    guard let parsed = try? ServerURL(validating: url) else { return url }
    let port = parsed.port ?? (parsed.scheme == "https" ? 443 : 80)
    return "\(parsed.scheme)://\(parsed.host.lowercased()):\(port)"
  }
}
