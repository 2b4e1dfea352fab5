import NIOCore
import NIOHTTP1

/// Reads whole HTTP/1.1 requests on one connection and delivers each answer step by step
/// (writes, flushes, pauses, closes) on the connection's event loop; keep-alive is supported.
final class ConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  private let core: ServerCore
  private var requestHead: HTTPRequestHead?
  private var requestBody: ByteBuffer?
  private var pendingSteps: ArraySlice<DeliveryStep> = []
  private var keepAlive = true
  private var isOpen = true
  private var scheduledResume: Scheduled<Void>?
  /// Whether a request on this connection is being answered (counted in the server's in-flight count).
  private var isAnswering = false

  /// Creates a handler that asks `core` how to answer.
  init(core: ServerCore) { self.core = core }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let head):
      requestHead = head
      requestBody = nil
    case .body(var part):
      if requestBody == nil { requestBody = part } else { requestBody!.writeBuffer(&part) }
    case .end:
      guard let head = requestHead else { return }
      requestHead = nil
      let body = requestBody.map { Array($0.readableBytesView) } ?? []
      requestBody = nil
      keepAlive = head.isKeepAlive
      let headers = RecordedRequest.Headers(head.headers.map { (name: $0.name, value: $0.value) })
      if !isAnswering {
        isAnswering = true
        core.answerStarted()
      }
      pendingSteps = core.handle(method: head.method.rawValue, uri: head.uri, headers: headers, body: body)[...]
      deliver(context)
    }
  }

  func channelInactive(context: ChannelHandlerContext) {
    isOpen = false
    finishAnswer()
    scheduledResume?.cancel()
    scheduledResume = nil
    pendingSteps = []
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    context.close(promise: nil)
  }

  /// Stops counting this connection's answer as in flight, once.
  private func finishAnswer() {
    guard isAnswering else { return }
    isAnswering = false
    core.answerFinished()
  }

  /// Writes `bytes` now and again every `interval` until the connection closes.
  private func writeRepeatedly(_ bytes: [UInt8], every interval: Duration, _ context: ChannelHandlerContext) {
    scheduledResume = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(interval)) {
      self.scheduledResume = nil
      guard self.isOpen else { return }
      let buffer = context.channel.allocator.buffer(bytes: bytes)
      context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
      self.writeRepeatedly(bytes, every: interval, context)
    }
  }

  /// Runs steps until the answer is complete or a pause starts.
  private func deliver(_ context: ChannelHandlerContext) {
    while isOpen, let step = pendingSteps.popFirst() {
      switch step {
      case .wait(let duration):
        context.flush()
        // Without a duration the pause lasts until the client disconnects or the server shuts down.
        guard let duration else { return }
        scheduledResume = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(duration)) {
          self.scheduledResume = nil
          self.deliver(context)
        }
        return
      case .hold(let gate):
        context.flush()
        let loop = context.eventLoop
        let resume = NIOLoopBound({ self.deliver(context) }, eventLoop: loop)
        gate.whenOpen { loop.execute { resume.value() } }
        return
      case .head(let status, let headerPairs):
        var headers = HTTPHeaders(headerPairs)
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
      case .write(let bytes, let flush):
        let buffer = context.channel.allocator.buffer(bytes: bytes)
        if flush {
          context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        } else {
          context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
      case .repeatWrite(let bytes, let interval):
        context.flush()
        writeRepeatedly(bytes, every: interval, context)
        return
      case .end:
        finishAnswer()
        if keepAlive {
          context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
          context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
          }
        }
      case .close:
        finishAnswer()
        context.flush()
        context.close(promise: nil)
        return
      }
    }
  }
}
