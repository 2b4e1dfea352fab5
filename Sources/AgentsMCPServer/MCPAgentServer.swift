import Agents
import Foundation
import MCP

/// One agent offered to MCP clients as a tool taking `question` and an optional `session_id`.
@MemberwiseInit
public struct MCPAgentTool: Sendable {
  /// What a call passes on to the agent.
  @MemberwiseInit
  public struct Request: Sendable {
    /// The question.
    public var question: String
    /// The session to continue and save to, when the client names one.
    public var sessionID: String?
  }

  /// The tool name, e.g. `ask_math_tutor`.
  public var name: String
  /// What the client's model reads about the tool.
  public var description: String
  /// Answers a request; `onText` receives the answer's text as it streams.
  public var answer: @Sendable (Request, _ onText: @escaping @Sendable (String) -> Void) async throws -> String

  /// `ask_<id>` with everything but letters and digits as `_`: `math-tutor` → `ask_math_tutor`.
  public static func name(forAgentID id: String) -> String {
    "ask_" + String(id.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
  }

  /// The parameter schema: `question` (required) and `session_id`.
  static let inputSchema: Value = [
    "type": "object",
    "properties": [
      "question": ["type": "string", "description": "What to ask the agent."],
      "session_id": [
        "type": "string",
        "description": "Continue this saved conversation (created when new); omit for a one-off question.",
      ],
    ],
    "required": ["question"],
  ]
}

/// Offers agents to MCP clients (editors, desktop assistants): one tool per agent (``MCPAgentTool``), on the
/// official MCP Swift SDK's server.
///
/// When a call carries a progress token, the answer's text streams as `notifications/progress` messages (the
/// text in `message`, the number of pieces so far in `progress`) before the result. A failed run is a tool
/// result with `isError` and the reason, never a protocol error.
@MemberwiseInit
public struct MCPAgentServer: Sendable {
  /// The tools, in listing order.
  public var tools: [MCPAgentTool]
  /// The name and version the server reports.
  public var name: String = "ollama-agents"
  /// The version the server reports.
  public var version: String

  /// Serves on `transport` until the client disconnects (for stdio: closes standard input) or the task is
  /// cancelled.
  public func run(transport: any Transport) async throws {
    let server = await makeServer()
    try await server.start(transport: transport)
    await withTaskCancellationHandler {
      await server.waitUntilCompleted()
    } onCancel: {
      Task { await server.stop() }
    }
    await server.stop()
  }

  /// The SDK's server with the tools' handlers, not yet started: start it on one client's transport (the HTTP
  /// server makes one per session) and stop it when that client is done.
  ///
  /// A call the client cancels (`notifications/cancelled`) cancels the agent's run and gets no answer.
  public func makeServer() async -> Server {
    let server = Server(
      name: name, version: version,
      instructions: "Each tool asks one local agent a question and returns its answer.",
      capabilities: .init(tools: .init(listChanged: false)))
    let tools = self.tools
    await server.withMethodHandler(ListTools.self) { _ in
      ListTools.Result(
        tools: tools.map {
          MCP.Tool(
            name: $0.name, description: $0.description, inputSchema: MCPAgentTool.inputSchema,
            annotations: .init(readOnlyHint: false, openWorldHint: false))
        })
    }
    await server.withMethodHandler(CallTool.self) { [weak server] parameters in
      guard let tool = tools.first(where: { $0.name == parameters.name }) else {
        return .init(
          content: [.text(text: "There is no tool '\(parameters.name)'; the tools are \(tools.map(\.name).joined(separator: ", ")).", annotations: nil, _meta: nil)],
          isError: true)
      }
      guard let question = parameters.arguments?["question"]?.stringValue, !question.allSatisfy(\.isWhitespace) else {
        return .init(content: [.text(text: "'question' is missing or empty; pass the question as text.", annotations: nil, _meta: nil)], isError: true)
      }
      let sessionID = parameters.arguments?["session_id"]?.stringValue
      let request = MCPAgentTool.Request(question: question, sessionID: sessionID?.isEmpty == true ? nil : sessionID)
      let result = await Self.answer(
        request, with: tool, progressToken: parameters._meta?.progressToken, server: server)
      try Task.checkCancellation()
      return result
    }
    return server
  }

  /// Runs one call, sending the streamed text as progress notifications when the client asked for them.
  static func answer(
    _ request: MCPAgentTool.Request, with tool: MCPAgentTool, progressToken: ProgressToken?, server: Server?
  ) async -> CallTool.Result {
    let (pieces, continuation) = AsyncStream<String>.makeStream()
    let forwarder = Task {
      var count = 0.0
      for await piece in pieces {
        guard let progressToken, let server else { continue }
        count += 1
        try? await server.notify(
          ProgressNotification.message(.init(progressToken: progressToken, progress: count, message: piece)))
      }
    }
    let result: CallTool.Result
    do {
      let text = try await tool.answer(request) { piece in
        if progressToken != nil, !piece.isEmpty { continuation.yield(piece) }
      }
      result = .init(content: [.text(text: text, annotations: nil, _meta: nil)], isError: false)
    } catch {
      result = .init(content: [.text(text: "\(error)", annotations: nil, _meta: nil)], isError: true)
    }
    continuation.finish()
    await forwarder.value
    return result
  }
}
