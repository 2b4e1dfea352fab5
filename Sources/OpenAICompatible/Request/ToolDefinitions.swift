import WireCore

/// A tool call made by the model: which function, with which JSON arguments.
public struct ToolCall: Sendable, Hashable {
  /// The call's id, echoed by the tool result's `tool_call_id`; opaque (Ollama: `call_` + 8 characters,
  /// llama-server: 32 characters).
  public var id: String
  /// Always `function` today.
  public var type: String
  /// The function and its arguments.
  public var function: FunctionCall

  /// Creates a tool call.
  public init(id: String, type: String = "function", function: FunctionCall) {
    self.id = id
    self.type = type
    self.function = function
  }

  /// Creates a function tool call.
  public init(id: String, name: String, arguments: String) {
    self.init(id: id, function: FunctionCall(name: name, arguments: arguments))
  }
}

/// The function part of a tool call.
public struct FunctionCall: Sendable, Hashable {
  /// The function name.
  public var name: String
  /// The arguments exactly as the model produced them: normally a JSON object, but it may be truncated
  /// or invalid (the caller decides what to do).
  public var arguments: String

  /// Creates a function call.
  public init(name: String, arguments: String) {
    self.name = name
    self.arguments = arguments
  }

  /// The arguments parsed as a JSON object, or `nil` when they are not one.
  public var argumentsObject: JSONObject? { (try? JSONValue.parse(arguments))?.objectValue }
}

/// A tool the model may call.
public struct ChatTool: Sendable, Hashable {
  /// Always `function` today.
  public var type: String
  /// The function's name, description and parameter schema.
  public var function: FunctionDefinition

  /// Creates a function tool.
  public init(function: FunctionDefinition) {
    self.type = "function"
    self.function = function
  }

  /// Creates a function tool from its parts.
  public static func function(
    name: String, description: String? = nil, parameters: JSONValue? = nil, strict: Bool? = nil
  ) -> ChatTool {
    ChatTool(function: FunctionDefinition(name: name, description: description, parameters: parameters, strict: strict))
  }
}

/// A function's name, description and JSON Schema for its arguments.
public struct FunctionDefinition: Sendable, Hashable {
  /// The name the model calls it by.
  public var name: String
  /// What it does, for the model.
  public var description: String?
  /// The JSON Schema of the arguments object.
  public var parameters: JSONValue?
  /// Whether the server should enforce the schema exactly (OpenAI); other servers ignore it.
  public var strict: Bool?

  /// Creates a function definition.
  public init(name: String, description: String? = nil, parameters: JSONValue? = nil, strict: Bool? = nil) {
    self.name = name
    self.description = description
    self.parameters = parameters
    self.strict = strict
  }
}

/// Whether and which tool the model must call (Ollama ignores this field).
public struct ToolChoice: Sendable, Hashable {
  enum Kind: Hashable, Sendable {
    case mode(String)
    case function(String)
  }

  let kind: Kind

  /// The model decides.
  public static let auto = ToolChoice(kind: .mode("auto"))
  /// The model must not call tools.
  public static let none = ToolChoice(kind: .mode("none"))
  /// The model must call some tool.
  public static let required = ToolChoice(kind: .mode("required"))
  /// The model must call the named function.
  public static func function(_ name: String) -> ToolChoice { ToolChoice(kind: .function(name)) }

  /// The wire form: a string for modes, an object for a named function.
  public var jsonValue: JSONValue {
    switch kind {
    case .mode(let mode): return .string(mode)
    case .function(let name): return ["type": "function", "function": ["name": .string(name)]]
    }
  }
}

/// The format the reply must take.
public struct ResponseFormat: Sendable, Hashable {
  enum Kind: Hashable, Sendable {
    case text
    case jsonObject
    case jsonSchema(name: String, schema: JSONValue, strict: Bool?)
  }

  let kind: Kind

  /// Free text (the default).
  public static let text = ResponseFormat(kind: .text)
  /// Any JSON object (Ollama's `format: "json"`).
  public static let jsonObject = ResponseFormat(kind: .jsonObject)
  /// JSON matching `schema` (Ollama's `format: <schema>`; `name` and `strict` matter to OpenAI only).
  public static func jsonSchema(name: String, schema: JSONValue, strict: Bool? = true) -> ResponseFormat {
    ResponseFormat(kind: .jsonSchema(name: name, schema: schema, strict: strict))
  }

  /// The wire form.
  public var jsonValue: JSONValue {
    switch kind {
    case .text: return ["type": "text"]
    case .jsonObject: return ["type": "json_object"]
    case .jsonSchema(let name, let schema, let strict):
      var inner: JSONObject = ["name": .string(name), "schema": schema]
      if let strict { inner["strict"] = .bool(strict) }
      return ["type": "json_schema", "json_schema": .object(inner)]
    }
  }
}
