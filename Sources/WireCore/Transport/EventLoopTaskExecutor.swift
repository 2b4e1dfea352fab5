import NIOCore

/// Runs tasks that prefer it on one NIO event loop: the loop that reads the transport's connections.
///
/// A task that reads a response body with this executor preferred runs here, so a chunk that arrives wakes no other
/// thread on its way to the reader: the loop that received it resumes the reader in the same turn.
final class EventLoopTaskExecutor: TaskExecutor {
  private let eventLoop: any EventLoop

  /// An executor that runs jobs on `eventLoop`.
  init(_ eventLoop: any EventLoop) {
    self.eventLoop = eventLoop
  }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    eventLoop.execute { job.runSynchronously(on: executor) }
  }
}
