import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The write end of the self-pipe the SIGINT handler writes to (set once, before the handler is installed).
nonisolated(unsafe) private var interruptPipeWriteEnd: Int32 = -1

/// Turns SIGINT (Ctrl-C) into a call of the current handler instead of killing the process.
///
/// A `sigaction` handler writes one byte to a pipe (the only async-signal-safe thing to do); a thread
/// reading the pipe calls the current handler. This works whichever thread the kernel delivers the
/// signal to. The chat loop installs a handler that cancels the reply in progress; when no handler is
/// installed, Ctrl-C ends the process with status 130 as usual.
package final class InterruptMonitor: Sendable {
  private let handler = Mutex<(@Sendable () -> Void)?>(nil)

  /// Starts watching SIGINT for this process; create one per process, first thing in `main`.
  package init() {
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else { return }
    let readEnd = ends[0]
    interruptPipeWriteEnd = ends[1]
    var action = sigaction()
    #if canImport(Darwin)
      action.__sigaction_u.__sa_handler = interruptSignalHandler
    #else
      action.__sigaction_handler.sa_handler = interruptSignalHandler
    #endif
    action.sa_flags = SA_RESTART
    sigemptyset(&action.sa_mask)
    sigaction(SIGINT, &action, nil)
    // A parent may have started us with SIGINT blocked (the mask is inherited); unblock it here, before
    // other threads exist, so every thread created later can take the signal.
    var mask = sigset_t()
    sigemptyset(&mask)
    sigaddset(&mask, SIGINT)
    pthread_sigmask(SIG_UNBLOCK, &mask, nil)

    let thread = Thread { [weak self] in
      var byte: UInt8 = 0
      while read(readEnd, &byte, 1) == 1 || errno == EINTR {
        guard let self else { return }
        self.interrupted()
      }
    }
    thread.name = "agents.interrupts"
    thread.start()
  }

  private func interrupted() {
    if let current = handler.withLock({ $0 }) {
      current()
    } else {
      TerminalIO.write("\n", to: STDERR_FILENO)
      Self.exitNow(AppError.Code.interrupted.exitStatus)
    }
  }

  /// Ends the process at once with `status`, from any thread.
  ///
  /// `exit` would run atexit handlers and static destructors while other threads still use them;
  /// all output is written unbuffered, so nothing is lost by skipping them. A terminal the chat switched to
  /// raw or quiet mode gets its original mode back first.
  package static func exitNow(_ status: Int32) -> Never {
    RawTerminal.restoreAtExit()
    _exit(status)
  }

  /// Runs `operation` with `onInterrupt` called on Ctrl-C, restoring the previous handler afterwards.
  package func whileRunning<T>(
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
  package func cancellingOnInterrupt<T: Sendable>(_ work: @escaping @Sendable () async -> T) async -> T {
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

/// The SIGINT handler: writes one byte to the self-pipe (async-signal-safe).
private func interruptSignalHandler(_ signal: Int32) {
  var byte: UInt8 = 1
  let savedErrno = errno
  _ = write(interruptPipeWriteEnd, &byte, 1)
  errno = savedErrno
}
