import Testing
@testable import Agents
import AgentsTesting
import Synchronization

/// Arguments of the weather tool used across tests.
struct CityArguments: Codable, SchemaRepresentable, Sendable {
  var city: String
  static var jsonSchema: JSONSchema {
    JSONSchema([
      "type": "object", "properties": ["city": ["type": "string"]], "required": ["city"],
      "additionalProperties": false,
    ])
  }
}

/// A structured output type used across tests.
struct Forecast: Codable, SchemaRepresentable, Sendable, Equatable {
  var city: String
  var celsius: Int
  static var jsonSchema: JSONSchema {
    JSONSchema([
      "type": "object", "properties": ["city": ["type": "string"], "celsius": ["type": "integer"]],
      "required": ["city", "celsius"], "additionalProperties": false,
    ])
  }
}

/// An error a test tool throws.
struct ToolBroke: Error, CustomStringConvertible {
  var description: String { "the weather service is down" }
}

/// A weather tool that answers from a fixed table.
func weatherTool(name: String = "get_weather") -> FunctionTool {
  FunctionTool(name: name, description: "Current weather in a city") { (arguments: CityArguments, _: ToolContext) in
    "Sunny, 21°C in \(arguments.city)"
  }
}

/// A weather tool that records every city it is asked about in `calls` and answers `Sunny in <city>`.
func weatherTool(recordingCallsIn calls: Recorder) -> FunctionTool {
  FunctionTool(name: "get_weather", description: "Weather") { (arguments: CityArguments, _: ToolContext) in
    calls.record(arguments.city)
    return "Sunny in \(arguments.city)"
  }
}

/// Expects `body` to throw an ``AgentsError`` with `code` whose message mentions each of `mentions`; returns the error
/// for further checks.
@discardableResult
func expectAgentsError(
  _ code: AgentsError.Code, mentioning mentions: String..., sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () async throws -> Void
) async -> AgentsError? {
  let error = await #expect(throws: AgentsError.self, sourceLocation: sourceLocation) { try await body() }
  guard let error else { return nil }
  #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
  for mention in mentions {
    #expect(error.message.contains(mention), "\(error.message)", sourceLocation: sourceLocation)
  }
  return error
}

/// An agent on a scripted model.
func scriptedAgent(
  _ name: String = "Assistant", steps: [ScriptedModel.Step], tools: [any Tool] = [],
  outputType: (any StructuredOutput.Type)? = nil
) -> (Agent, ScriptedModel) {
  let model = ScriptedModel(name: "scripted-\(name)", steps: steps)
  return (Agent(name: name, instructions: "Be helpful.", model: .model(model), tools: tools, outputType: outputType), model)
}

/// Collects strings from concurrent code.
final class Recorder: Sendable {
  private let entries = Mutex<[String]>([])
  func record(_ entry: String) { entries.withLock { $0.append(entry) } }
  var all: [String] { entries.withLock { $0 } }
}

/// Hooks that record every event as a short string.
struct RecordingHooks: RunHooks {
  let recorder: Recorder
  let prefix: String

  func agentStarted(_ agent: Agent, context: RunContext) async { recorder.record("\(prefix)start:\(agent.name)") }
  func agentEnded(_ agent: Agent, output: any Sendable, context: RunContext) async {
    recorder.record("\(prefix)end:\(agent.name):\(output)")
  }
  func handoff(from source: Agent, to target: Agent, context: RunContext) async {
    recorder.record("\(prefix)handoff:\(source.name)->\(target.name)")
  }
  func modelCallStarted(_ agent: Agent, request: ModelRequest, context: RunContext) async {
    recorder.record("\(prefix)model-start:\(agent.name)")
  }
  func modelCallEnded(_ agent: Agent, response: ModelResponse, context: RunContext) async {
    recorder.record("\(prefix)model-end:\(agent.name)")
  }
  func toolStarted(_ agent: Agent, call: ToolCall, context: RunContext) async {
    recorder.record("\(prefix)tool-start:\(call.name)")
  }
  func toolEnded(_ agent: Agent, call: ToolCall, output: String, context: RunContext) async {
    recorder.record("\(prefix)tool-end:\(call.name)")
  }
}

extension ModelRequest {
  /// The outputs of the tool calls in the request's input, in order.
  var toolOutputs: [String] {
    input.compactMap { if case .toolOutput(let output) = $0 { output.output } else { nil } }
  }
}

extension RunResult {
  /// The final output as a string, or an empty string for other types.
  var text: String { (try? finalOutput(as: String.self)) ?? "" }
}
