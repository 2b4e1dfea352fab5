import NIOCore
import Synchronization

/// Runs `operation` in a child task that is cancelled when the client's connection closes (the client went away,
/// or nginx gave up on it) or when the calling task is cancelled, so a run nobody waits for stops at once and
/// releases its model server slot.
func cancellingOnDisconnect<T: Sendable>(
  _ channel: any Channel, watchedBy connections: ConnectionRuns, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
  let task = Task { try await operation() }
  let watch = connections.watch(channel) { task.cancel() }
  defer { connections.end(watch) }
  return try await withTaskCancellationHandler {
    try await task.value
  } onCancel: {
    task.cancel()
  }
}

/// The runs going on over each client connection, to cancel when the connection closes.
///
/// A kept-alive connection (nginx keeps its upstream connections open for good) carries any number of requests,
/// so a request must not hang a callback on the connection's `closeFuture` itself: those would pile up, each
/// holding its run, until the connection closes. Instead each connection gets one callback, the first time a run
/// is watched on it, and each run is watched only while it goes.
final class ConnectionRuns: Sendable {
  /// A watched run, to end with ``end(_:)`` when it finished.
  struct Watch: Sendable {
    fileprivate let connection: ObjectIdentifier
    fileprivate let id: UInt64
  }

  private struct State {
    var nextID: UInt64 = 0
    var connections: [ObjectIdentifier: [UInt64: @Sendable () -> Void]] = [:]
  }

  private let state = Mutex(State())

  /// Calls `cancel` if `channel` closes before ``end(_:)`` is called with the returned watch (at once when it closed
  /// already).
  func watch(_ channel: any Channel, cancel: @escaping @Sendable () -> Void) -> Watch {
    let connection = ObjectIdentifier(channel)
    let (id, isNew) = state.withLock { state in
      state.nextID += 1
      let isNew = state.connections[connection] == nil
      state.connections[connection, default: [:]][state.nextID] = cancel
      return (state.nextID, isNew)
    }
    if isNew { channel.closeFuture.whenComplete { [self] _ in closed(connection) } }
    return Watch(connection: connection, id: id)
  }

  /// Stops watching a run (it finished).
  func end(_ watch: Watch) {
    state.withLock { $0.connections[watch.connection]?[watch.id] = nil }
  }

  /// How many runs are watched, over all connections.
  var watchedRuns: Int { state.withLock { $0.connections.values.reduce(0) { $0 + $1.count } } }

  /// How many connections have a callback for their closing.
  var watchedConnections: Int { state.withLock { $0.connections.count } }

  private func closed(_ connection: ObjectIdentifier) {
    let cancels = state.withLock { $0.connections.removeValue(forKey: connection) } ?? [:]
    for cancel in cancels.values { cancel() }
  }
}

/// Closes a connection as soon as its client stops sending (TCP FIN while a request runs or the connection idles).
///
/// Hummingbird allows half-closed connections, so a client that gives up (a timeout, Ctrl-C, a load balancer
/// dropping it) would otherwise leave its run going until the answer is written; closing the channel fires its
/// `closeFuture`, which cancels the run (``cancellingOnDisconnect(_:watchedBy:_:)``). HTTP clients do not
/// half-close a connection and then wait for an answer, so nothing a real client needs is lost.
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
