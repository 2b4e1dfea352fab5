import Synchronization

extension FakeOllamaServer {
  /// A switch a test opens to let a held response go on (``Fault/holdAfterEvents(_:until:)``): the test decides
  /// when a stream resumes, so nothing depends on how long a pause lasts.
  public final class Gate: Sendable {
    private let state = Mutex<(isOpen: Bool, waiters: [@Sendable () -> Void])>((false, []))

    /// Creates a closed gate.
    public init() {}

    /// Whether ``open()`` was called.
    public var isOpen: Bool { state.withLock { $0.isOpen } }

    /// Opens the gate: every held response goes on, and later ones pass at once.
    public func open() {
      let waiters = state.withLock { state in
        state.isOpen = true
        defer { state.waiters = [] }
        return state.waiters
      }
      for waiter in waiters { waiter() }
    }

    /// Calls `action` once the gate is open (at once when it already is).
    func whenOpen(_ action: @escaping @Sendable () -> Void) {
      let now = state.withLock { state in
        if state.isOpen { return true }
        state.waiters.append(action)
        return false
      }
      if now { action() }
    }
  }
}
