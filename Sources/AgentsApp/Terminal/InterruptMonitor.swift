import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Turns SIGINT (Ctrl-C) into a call of the current handler instead of killing the process.
///
/// The chat loop installs a handler that cancels the reply in progress while one streams; when no
/// handler is installed, Ctrl-C ends the process with status 130 as usual.
public final class InterruptMonitor: Sendable {
  private let handler = Mutex<(@Sendable () -> Void)?>(nil)
  // Set once in init and only cancelled in deinit.
  nonisolated(unsafe) private let source: any DispatchSourceSignal

  /// Starts watching SIGINT for this process.
  public init() {
    signal(SIGINT, SIG_IGN)
    source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler { [weak self] in self?.interrupted() }
    source.resume()
  }

  private func interrupted() {
    if let current = handler.withLock({ $0 }) {
      current()
    } else {
      TerminalIO.write("\n", to: STDERR_FILENO)
      exit(AppError.Code.interrupted.exitStatus)
    }
  }

  deinit {
    source.cancel()
    signal(SIGINT, SIG_DFL)
  }

  /// Runs `operation` with `onInterrupt` called on Ctrl-C, restoring the previous handler afterwards.
  public func whileRunning<T>(
    onInterrupt: @escaping @Sendable () -> Void, _ operation: () async throws -> T
  ) async rethrows -> T {
    let previous = handler.withLock { current in
      defer { current = onInterrupt }
      return current
    }
    defer { handler.withLock { $0 = previous } }
    return try await operation()
  }

  /// Runs `work` in a task that Ctrl-C cancels, and returns its value.
  public func cancellingOnInterrupt<T: Sendable>(_ work: @escaping @Sendable () async -> T) async -> T {
    let task = Task { await work() }
    return await whileRunning(onInterrupt: { task.cancel() }) {
      await withTaskCancellationHandler {
        await task.value
      } onCancel: {
        task.cancel()
      }
    }
  }
}
