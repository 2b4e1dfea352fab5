import Agents
import Logging
import MCP

/// How an MCP server is used, whatever its transport: tool listing and filtering, time limits, result mapping and
/// where its events go.
@MemberwiseInit
public struct MCPServerConfiguration: Sendable {
  /// Whether the tool list is kept between turns (the default), refreshed when the server sends
  /// `notifications/tools/list_changed`, after a restart and after ``MCPServer/invalidateToolsCache()``. When
  /// `false` the list is fetched on every turn, as the Python Agents SDK does by default.
  public var cachesToolsList: Bool = true
  /// Which of the server's tools an agent is offered; `nil` offers all of them.
  public var toolFilter: MCPToolFilter?
  /// How long one tool call may take before it is cancelled and reported as a time-out; `nil` means no limit.
  public var callTimeout: Duration? = .seconds(60)
  /// How long starting the server (its process or first HTTP exchange and the MCP handshake) and listing its
  /// tools may take.
  public var connectTimeout: Duration = .seconds(30)
  /// Whether a result's `structuredContent` (as JSON) is what the model reads instead of its content blocks,
  /// when the server sends one; off by default because most servers send the same data in both.
  public var usesStructuredContent: Bool = false
  /// Which tool calls need a person's approval before they run: such a call pauses the run with an interruption
  /// (see ``ToolApproval``), and runs only once it is approved on the run's ``RunState``.
  public var requireApproval: MCPApprovalPolicy = .never
  /// Whether tool parameter schemas are sent in strict form (every property required, no extra properties) where
  /// they allow it.
  public var convertsSchemasToStrict: Bool = false
  /// Called for every change of the server's state (started, stopped, tools changed), for example to tell the
  /// user that a server stopped and will be restarted. Called on an arbitrary task; return quickly.
  public var eventHandler: (@Sendable (MCPServerEvent) -> Void)?
  /// Where the server's lifecycle and its standard error (at `debug`) are logged; never receives secrets.
  public var logger: Logger = Logger(label: "OllamaAgents.MCP")
}

/// Which of a server's tools are offered: an allow list, a deny list, and optionally your own decision per tool.
///
/// A tool is offered when it is on the allow list (or there is none), is not on the deny list, and `decide`
/// (when given) returns `true`.
@MemberwiseInit
public struct MCPToolFilter: Sendable {
  /// The only tools offered; `nil` allows every tool.
  public var allowed: Set<String>?
  /// Tools never offered.
  public var blocked: Set<String> = []
  /// A decision per tool, with the agent and run it is for.
  public var decide: (@Sendable (MCPToolFilterContext, MCP.Tool) async -> Bool)?

  /// Offers only the named tools.
  public static func allowing(_ names: Set<String>) -> MCPToolFilter { MCPToolFilter(allowed: names) }

  /// Offers every tool except the named ones.
  public static func blocking(_ names: Set<String>) -> MCPToolFilter { MCPToolFilter(blocked: names) }

  /// The tools of `tools` that pass the filter, in their order.
  func apply(_ tools: [MCP.Tool], context: MCPToolFilterContext) async -> [MCP.Tool] {
    var passed: [MCP.Tool] = []
    for tool in tools {
      if let allowed, !allowed.contains(tool.name) { continue }
      if blocked.contains(tool.name) { continue }
      if let decide, !(await decide(context, tool)) { continue }
      passed.append(tool)
    }
    return passed
  }
}

/// Which of a server's tool calls need a person's approval before they run.
public enum MCPApprovalPolicy: Sendable, Hashable {
  /// No call needs approval.
  case never
  /// Every call needs approval.
  case always
  /// Calls of these tools need approval.
  case tools(Set<String>)
  /// Calls of tools the server does not mark read-only (`readOnlyHint`) need approval: the servers' own word on
  /// which tools only look.
  case unlessReadOnly

  /// Whether a call of `tool` needs approval.
  public func requiresApproval(_ tool: MCP.Tool) -> Bool {
    switch self {
    case .never: false
    case .always: true
    case .tools(let names): names.contains(tool.name)
    case .unlessReadOnly: tool.annotations.readOnlyHint != true
    }
  }
}

/// What a dynamic tool filter knows: the server, and the agent and run the tools are listed for (absent when
/// tools are listed outside a run, e.g. by `agents mcp list`).
@MemberwiseInit
public struct MCPToolFilterContext: Sendable {
  /// The server's name.
  public var serverName: String
  /// The agent the tools are for.
  public var agent: Agent?
  /// The run in progress.
  public var run: RunContext?
}

/// A change in an MCP server's state.
public enum MCPServerEvent: Sendable {
  /// The server started (or restarted) and completed the MCP handshake.
  case started(server: String)
  /// The server stopped or could not be started; it is started again on the next use.
  case stopped(MCPServerError)
  /// The server said its tool list changed; it is fetched again before the next turn.
  case toolsChanged(server: String)
}

/// Where an MCP server is in its life.
public enum MCPServerStatus: Sendable, CustomStringConvertible {
  /// Not started yet (it starts on first use or with ``MCPServer/connect()``).
  case notStarted
  /// Starting: the process or connection is being set up.
  case starting
  /// Running, handshake done.
  case running
  /// Stopped or failed to start; it is started again on the next use.
  case stopped(MCPServerError)
  /// Closed with ``MCPServer/cleanup()``.
  case closed

  /// `not started`, `running`, `stopped: <why>`….
  public var description: String {
    switch self {
    case .notStarted: "not started"
    case .starting: "starting"
    case .running: "running"
    case .stopped(let error): "stopped: \(error.message)"
    case .closed: "closed"
    }
  }
}
