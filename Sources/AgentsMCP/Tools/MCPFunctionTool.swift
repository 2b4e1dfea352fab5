import Agents
import MCP

/// One MCP tool as a function tool: the model sees the server's name, description and parameter schema; a call
/// goes to the server, and its result becomes text (see ``MCPToolOutput``).
///
/// Arguments must be a JSON object holding every required parameter; anything else goes back to the model as
/// an error it can fix without a round trip to the server, which checks the rest. A result the tool flags as
/// an error, a JSON-RPC error, a time-out and a server that stopped all become a failed tool call whose message
/// says what happened (``MCPServerError``), so the model can retry or answer without the tool.
public struct MCPFunctionTool: Agents.Tool {
  /// The server the tool belongs to.
  public let server: any MCPServer
  /// The tool as the server listed it.
  public let tool: MCP.Tool
  /// The name, description and parameter schema the model sees.
  public let definition: ToolDefinition

  /// Wraps `tool` of `server`.
  public init(server: any MCPServer, tool: MCP.Tool) {
    self.server = server
    self.tool = tool
    let schema = JSONSchema(MCPValueConversion.parameterSchema(tool.inputSchema))
    let strictSchema = server.configuration.convertsSchemasToStrict ? try? schema.strict() : nil
    definition = ToolDefinition(
      name: tool.name, description: tool.description ?? tool.title ?? tool.annotations.title ?? "",
      parameters: strictSchema ?? schema, strict: strictSchema != nil)
  }

  /// `.always` when the server's ``MCPServerConfiguration/requireApproval`` covers this tool, else `.never`: a call
  /// that needs approval pauses the run (``RunResult/interruptions``) before anything reaches the server.
  public var needsApproval: ToolApproval {
    server.configuration.requireApproval.requiresApproval(tool) ? .always : .never
  }

  /// Calls the tool on its server and returns the text the model reads.
  public func call(arguments: String, context: ToolContext) async throws -> String {
    let object = try Self.object(from: arguments)
    let missing = (tool.inputSchema.objectValue?["required"]?.arrayValue ?? []).compactMap(\.stringValue)
      .filter { object[$0] == nil }
    if !missing.isEmpty {
      throw ToolArgumentsError(
        reason: "the required parameter\(missing.count == 1 ? "" : "s") \(missing.map { "'\($0)'" }.joined(separator: ", ")) "
          + "\(missing.count == 1 ? "is" : "are") missing")
    }
    let values = Dictionary(object.map { ($0.key, MCPValueConversion.mcpValue($0.value)) }, uniquingKeysWith: { $1 })
    let result = try await server.callTool(tool.name, arguments: values)
    let text = MCPToolOutput.text(result, usesStructuredContent: server.configuration.usesStructuredContent)
    if result.isError == true {
      throw MCPServerError(
        .toolFailed, server: server.name,
        "Tool '\(tool.name)' of MCP server '\(server.name)' reported an error: \(text.isEmpty ? "(no details)" : text)")
    }
    return text
  }

  /// The arguments as a JSON object; empty text counts as `{}`.
  static func object(from text: String) throws -> JSONObject {
    if text.allSatisfy(\.isWhitespace) { return JSONObject() }
    let value: JSONValue
    do {
      value = try JSONValue.parse(text)
    } catch {
      throw ToolArgumentsError(reason: "the arguments are not valid JSON (\(error))")
    }
    guard case .object(let object) = value else {
      throw ToolArgumentsError(reason: "the arguments must be a JSON object, not \(value.jsonString)")
    }
    return object
  }
}
