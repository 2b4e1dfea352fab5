#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A tool backed by a Swift closure.
///
/// With typed arguments the JSON schema comes from the argument type (`@Schema` derives it):
///
/// ```swift
/// @Schema struct WeatherArguments: Decodable { var city: String }
/// let weather = FunctionTool(name: "get_weather", description: "Current weather in a city") {
///   (arguments: WeatherArguments, context: ToolContext) in
///   "Sunny in \(arguments.city)"
/// }
/// ```
///
/// The closure may return a `String` (sent as is) or any `Encodable` value (sent as JSON). Arguments are
/// checked against the schema before decoding; arguments that are not valid JSON, break the schema or do not
/// decode never reach the closure: the model gets an error it can act on. With `strict: true` the schema is
/// sent in strict form (every property required, no additional properties) when it allows that.
///
/// `needsApproval` makes calls wait for a person (see ``ToolApproval``); `inputGuardrails` and
/// `outputGuardrails` check every call before and after it runs (see ``ToolInputGuardrail``).
public struct FunctionTool: Tool {
  /// The name, description and parameter schema the model sees.
  public var definition: ToolDefinition
  /// How long one call may take; `nil` means no limit.
  public var timeout: Duration?
  /// Whether a call waits for a person's approval before it runs.
  public var needsApproval: ToolApproval
  /// Checks run before each call (after its approval).
  public var inputGuardrails: [ToolInputGuardrail]
  /// Checks run after each successful call.
  public var outputGuardrails: [ToolOutputGuardrail]
  private let enabled: (@Sendable (RunContext, Agent) async -> Bool)?
  private let body: @Sendable (String, ToolContext) async throws -> String

  /// A tool whose arguments decode into `Arguments` and whose schema is `Arguments.jsonSchema`.
  public init<Arguments: Decodable & SchemaRepresentable & Sendable, Output: Encodable & Sendable>(
    name: String, description: String, strict: Bool = false, timeout: Duration? = nil,
    isEnabled: (@Sendable (RunContext, Agent) async -> Bool)? = nil, needsApproval: ToolApproval = .never,
    inputGuardrails: [ToolInputGuardrail] = [], outputGuardrails: [ToolOutputGuardrail] = [],
    _ body: @escaping @Sendable (Arguments, ToolContext) async throws -> Output
  ) {
    self.init(
      name: name, description: description, schema: Arguments.jsonSchema, strict: strict, timeout: timeout,
      isEnabled: isEnabled, needsApproval: needsApproval, inputGuardrails: inputGuardrails,
      outputGuardrails: outputGuardrails
    ) { json, parameters, context in
      let arguments = try Self.matchingParameters {
        try SchemaCoding.decodeArguments(Arguments.self, from: json, schema: parameters)
      }
      return try Self.render(try await body(arguments, context))
    }
  }

  /// A tool with a hand-written parameter schema whose closure receives the arguments as JSON.
  public init(
    name: String, description: String, parameters: JSONSchema, strict: Bool = false, timeout: Duration? = nil,
    isEnabled: (@Sendable (RunContext, Agent) async -> Bool)? = nil, needsApproval: ToolApproval = .never,
    inputGuardrails: [ToolInputGuardrail] = [], outputGuardrails: [ToolOutputGuardrail] = [],
    _ body: @escaping @Sendable (JSONValue, ToolContext) async throws -> String
  ) {
    self.init(
      name: name, description: description, schema: parameters, strict: strict, timeout: timeout,
      isEnabled: isEnabled, needsApproval: needsApproval, inputGuardrails: inputGuardrails,
      outputGuardrails: outputGuardrails
    ) { json, parameters, context in
      try Self.matchingParameters { try parameters.validate(json) }
      return try await body(json, context)
    }
  }

  /// What both public initializers do: `run` gets the arguments object and the schema as sent.
  private init(
    name: String, description: String, schema: JSONSchema, strict: Bool, timeout: Duration?,
    isEnabled: (@Sendable (RunContext, Agent) async -> Bool)?, needsApproval: ToolApproval,
    inputGuardrails: [ToolInputGuardrail], outputGuardrails: [ToolOutputGuardrail],
    _ run: @escaping @Sendable (JSONValue, JSONSchema, ToolContext) async throws -> String
  ) {
    let (parameters, isStrict) = schema.forSending(strict: strict)
    definition = ToolDefinition(name: name, description: description, parameters: parameters, strict: isStrict)
    self.timeout = timeout
    self.needsApproval = needsApproval
    self.inputGuardrails = inputGuardrails
    self.outputGuardrails = outputGuardrails
    enabled = isEnabled
    body = { text, context in try await run(try Self.parseObject(text), parameters, context) }
  }

  /// Runs `check`; arguments that break the schema become the error the model reads.
  private static func matchingParameters<Value>(_ check: () throws -> Value) throws -> Value {
    do {
      return try check()
    } catch let error as SchemaError {
      throw ToolArgumentsError(reason: "the arguments do not match the tool's parameters: \(error.message)")
    }
  }

  /// Whether the tool is offered on this turn.
  public func isEnabled(context: RunContext, agent: Agent) async -> Bool {
    await enabled?(context, agent) ?? true
  }

  /// Parses the arguments and runs the closure.
  public func call(arguments: String, context: ToolContext) async throws -> String {
    try await body(arguments, context)
  }

  /// Parses tool arguments, which must be a JSON object; empty text counts as `{}`.
  static func parseObject(_ text: String) throws(ToolArgumentsError) -> JSONValue {
    if text.allSatisfy(\.isWhitespace) { return .object(JSONObject()) }
    let value: JSONValue
    do {
      value = try JSONValue.parse(text)
    } catch {
      throw ToolArgumentsError(reason: "the arguments are not valid JSON (\(error))")
    }
    guard case .object = value else {
      throw ToolArgumentsError(reason: "the arguments must be a JSON object, not \(value.jsonString)")
    }
    return value
  }

  /// The output text for a tool result: strings as they are, anything else as JSON.
  static func render(_ output: some Encodable & Sendable) throws -> String {
    switch output {
    case let text as String: return text
    case let json as JSONValue: return json.jsonString
    default:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      return String(decoding: try encoder.encode(output), as: UTF8.self)
    }
  }
}
