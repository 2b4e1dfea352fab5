import NIOCore

/// Runs `operation` in a child task that is cancelled when the client's connection closes (the client went away,
/// or nginx gave up on it) or when the calling task is cancelled, so a run nobody waits for stops at once and
/// releases its model server slot.
func cancellingOnDisconnect<T: Sendable>(
  _ channel: any Channel, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
  let task = Task { try await operation() }
  channel.closeFuture.whenComplete { _ in task.cancel() }
  return try await withTaskCancellationHandler {
    try await task.value
  } onCancel: {
    task.cancel()
  }
}

/// Closes a connection as soon as its client stops sending (TCP FIN while a request runs or the connection idles).
///
/// Hummingbird allows half-closed connections, so a client that gives up (a timeout, Ctrl-C, a load balancer
/// dropping it) would otherwise leave its run going until the answer is written; closing the channel fires its
/// `closeFuture`, which cancels the run (``cancellingOnDisconnect(_:_:)``). HTTP clients do not half-close a
/// connection and then wait for an answer, so nothing a real client needs is lost.
final class ClientDisconnectHandler: ChannelInboundHandler, RemovableChannelHandler {
  /// Request parts pass through untouched.
  typealias InboundIn = NIOAny

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if let event = event as? ChannelEvent, event == .inputClosed {
      context.close(promise: nil)
      return
    }
    context.fireUserInboundEventTriggered(event)
  }
}
