import Agents
import Logging
import MCP

/// One MCP server's connection, whatever its transport: starts it on first use, restarts it on the next use
/// after it stopped, keeps its tool list, and runs every request against a time limit and the transport's end.
///
/// The SDK's `Client` leaves a request waiting forever when the server dies or never answers, so every request
/// here races the answer against ``ManagedTransport/closed()`` and the time limit: a closed transport disconnects
/// the client (which fails the waiting request), a time-out cancels the request (`notifications/cancelled`) and
/// then checks with a ping that the server still answers.
actor MCPConnection {
  /// A started server.
  struct Live: Sendable {
    let client: Client
    let transport: any ManagedTransport
    let generation: Int
  }

  private enum State {
    case idle
    case starting(Task<Live, any Error>, generation: Int)
    case running(Live)
    case stopped(MCPServerError)
    case closed
  }

  let name: String
  let configuration: MCPServerConfiguration
  let secrets: [String]
  private let makeTransport: @Sendable () -> any ManagedTransport
  private var state: State = .idle
  private var generation = 0
  /// The tool list fetched from the running server, `nil` when it must be fetched again.
  private var cachedTools: [MCP.Tool]?
  /// The last tool list fetched from any run of the server, offered while it cannot be restarted.
  private var lastKnownTools: [MCP.Tool]?

  init(
    name: String, configuration: MCPServerConfiguration, secrets: [String],
    makeTransport: @escaping @Sendable () -> any ManagedTransport
  ) {
    self.name = name
    self.configuration = configuration
    self.secrets = secrets
    self.makeTransport = makeTransport
  }

  var status: MCPServerStatus {
    switch state {
    case .idle: .notStarted
    case .starting: .starting
    case .running: .running
    case .stopped(let error): .stopped(error)
    case .closed: .closed
    }
  }

  // MARK: Lifecycle

  /// The running server, started (or restarted) if needed; `explicitly` allows starting a closed server.
  func live(explicitly: Bool = false) async throws -> Live {
    switch state {
    case .running(let live): return live
    case .starting(let task, _): return try await task.value
    case .closed where !explicitly:
      throw MCPServerError(
        .closed, server: name, "MCP server '\(name)' was closed; connect it again before using it.")
    case .idle, .stopped, .closed:
      generation += 1
      let current = generation
      let task = Task { try await self.start(generation: current) }
      state = .starting(task, generation: current)
      do {
        let live = try await task.value
        guard case .starting(_, let starting) = state, starting == current else {
          await Self.shutDown(live)
          throw MCPServerError(.closed, server: name, "MCP server '\(name)' was closed while it was starting.")
        }
        state = .running(live)
        cachedTools = nil
        watch(live)
        configuration.logger.info("MCP server started", metadata: ["server": "\(name)"])
        configuration.eventHandler?(.started(server: name))
        return live
      } catch let error as MCPServerError {
        if case .starting(_, let starting) = state, starting == current {
          state = .stopped(error)
          configuration.eventHandler?(.stopped(error))
        }
        throw error
      }
    }
  }

  /// Stops the server and closes the connection; a later use throws ``MCPServerError/Code/closed`` until
  /// ``live(explicitly:)`` starts it again.
  func close() async {
    let previous = state
    state = .closed
    cachedTools = nil
    switch previous {
    case .running(let live): await Self.shutDown(live)
    case .starting(let task, _): if let live = try? await task.value { await Self.shutDown(live) }
    case .idle, .stopped, .closed: break
    }
  }

  private func start(generation: Int) async throws -> Live {
    let transport = makeTransport()
    let client = Client(name: "OllamaAgents", version: "1.0")
    await client.onNotification(ToolListChangedNotification.self) { [weak self] _ in
      await self?.toolListChanged(generation: generation)
    }
    do {
      try await transport.connect()
      let live = Live(client: client, transport: transport, generation: generation)
      let result = try await race(live, timeout: configuration.connectTimeout, doing: "complete the MCP handshake") {
        try await client.connect(transport: transport)
      } giveUp: {
        await client.disconnect()
      }
      await transport.initialized(protocolVersion: result.protocolVersion)
      return live
    } catch {
      let failure = startFailure(error, closedReason: await Self.closeReason(of: transport, after: error))
      await client.disconnect()
      await transport.disconnect()
      throw failure
    }
  }

  /// Why `transport` closed, when a start failed with `error` because of it: a process that exits at once can fail
  /// the handshake (its input is gone) a moment before its exit status is known, so this waits up to a second for
  /// the transport's reason unless the start timed out or was cancelled.
  private static func closeReason(of transport: any ManagedTransport, after error: any Error) async -> MCPServerError? {
    if let reason = transport.closedReason { return reason }
    if error is CancellationError || Task.isCancelled { return nil }
    if let error = error as? MCPServerError, error.code == .timedOut { return nil }
    return await withTaskGroup(of: MCPServerError?.self) { group in
      group.addTask { await transport.closed() }
      group.addTask {
        try? await Task.sleep(for: .seconds(1))
        return nil
      }
      let first = await group.next() ?? nil
      group.cancelAll()
      return first
    }
  }

  /// The error for a start that failed with `error`: the transport's own reason (the process exited, the URL
  /// cannot be reached) when it closed, in the form "MCP server 'x' could not be started: it …".
  private func startFailure(_ error: any Error, closedReason: MCPServerError?) -> MCPServerError {
    if let error = error as? MCPServerError, error.code == .startFailed { return error }
    // A handshake that timed out was ended by us: the process's exit (from our signal) is not the reason.
    let timedOut = (error as? MCPServerError).flatMap { $0.code == .timedOut ? $0 : nil }
    let reason = timedOut ?? closedReason.flatMap { $0.code == .closed ? nil : $0 } ?? (error as? MCPServerError)
    let prefix = "MCP server '\(name)' "
    let detail: String
    if let reason {
      detail = reason.message.hasPrefix(prefix) ? "it " + reason.message.dropFirst(prefix.count) : reason.message
    } else if error is CancellationError {
      detail = "starting it was cancelled."
    } else {
      detail = MCPErrorText.describe(error) + "."
    }
    return MCPServerError(
      .startFailed, server: name, "MCP server '\(name)' could not be started: \(detail)", serverOutput: reason?.serverOutput
    ).redacting(secrets)
  }

  /// Marks the server stopped when its transport closes, so the next use restarts it.
  private func watch(_ live: Live) {
    Task { [weak self] in
      guard let reason = await live.transport.closed() else { return }
      await self?.lost(live, reason: reason)
    }
  }

  /// Records that `live` stopped (unless a newer run replaced it), fails its waiting requests and ends it.
  func lost(_ live: Live, reason: MCPServerError) async {
    guard case .running(let current) = state, current.generation == live.generation else { return }
    state = .stopped(reason)
    cachedTools = nil
    configuration.logger.warning(
      "MCP server stopped; it restarts on the next use", metadata: ["server": "\(name)", "reason": "\(reason)"])
    configuration.eventHandler?(.stopped(reason))
    await Self.shutDown(live)
  }

  private static func shutDown(_ live: Live) async {
    await live.client.disconnect()
    await live.transport.disconnect()
  }

  private func toolListChanged(generation: Int) {
    guard case .running(let live) = state, live.generation == generation else { return }
    cachedTools = nil
    configuration.eventHandler?(.toolsChanged(server: name))
  }

  // MARK: Requests

  /// The server's tools (every page), from the cache when it is valid.
  func tools() async throws -> [MCP.Tool] {
    if configuration.cachesToolsList, let cachedTools, case .running = state { return cachedTools }
    let live: Live
    do {
      live = try await self.live()
    } catch let error as MCPServerError where error.code != .closed {
      // A server that cannot be restarted still offers what it had; calling one of them reports why it fails.
      if let lastKnownTools { return lastKnownTools }
      throw error
    }
    var tools: [MCP.Tool] = []
    var cursor: String?
    var seen: Set<String> = []
    repeat {
      let request = cursor.map { ListTools.request(.init(cursor: $0)) } ?? ListTools.request(.init())
      let page = try await send(request, on: live, timeout: configuration.connectTimeout, doing: "list its tools")
      tools += page.tools
      cursor = page.nextCursor
      if let next = cursor, !seen.insert(next).inserted {
        throw MCPServerError(
          .protocolViolation, server: name, "MCP server '\(name)' repeated the page cursor '\(next)' while listing tools.")
      }
    } while cursor != nil
    if case .running(let current) = state, current.generation == live.generation { cachedTools = tools }
    lastKnownTools = tools
    return tools
  }

  /// Calls `tool` with `arguments` and returns the server's result as it is (an `isError` result is not thrown).
  func call(_ tool: String, arguments: [String: Value]?) async throws -> CallTool.Result {
    let live = try await self.live()
    return try await send(
      CallTool.request(.init(name: tool, arguments: arguments)), on: live, timeout: configuration.callTimeout,
      doing: "answer the call to '\(tool)'", checksHealthAfterTimeout: true)
  }

  /// Forgets the cached tool list.
  func invalidateTools() { cachedTools = nil }

  /// Sends one request on `live` and waits for its answer, the transport's end or the time limit.
  private func send<M: MCP.Method>(
    _ request: Request<M>, on live: Live, timeout: Duration?, doing what: String, checksHealthAfterTimeout: Bool = false
  ) async throws -> M.Result {
    let context = try await live.client.send(request)
    do {
      return try await race(live, timeout: timeout, doing: what) {
        try await context.value
      } giveUp: {
        try? await live.client.cancelRequest(context.requestID, reason: "The client gave up waiting.")
      }
    } catch let error as MCPServerError where error.code == .timedOut && checksHealthAfterTimeout {
      Task { await self.checkHealth(live) }
      throw error
    }
  }

  /// After a time-out: a server that does not answer a ping within five seconds counts as stopped.
  private func checkHealth(_ live: Live) async {
    guard let context = try? await live.client.send(Ping.request()) else { return }
    do {
      _ = try await race(live, timeout: .seconds(5), doing: "answer a ping") { try await context.value } giveUp: {
        try? await live.client.cancelRequest(context.requestID)
      }
    } catch let error as MCPServerError where error.code == .timedOut {
      await lost(live, reason: MCPServerError(
        .stopped, server: name, "MCP server '\(name)' stopped answering (no reply to a ping after a timed-out call)."))
    } catch {}
  }
}
