import Synchronization

/// How strongly structured output is requested, from strongest to weakest.
enum StructuredOutputLevel: Int, Sendable, Comparable {
  case jsonSchema, jsonObject, instructionsOnly

  static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

  /// The next weaker level, if any.
  var fallback: StructuredOutputLevel? { StructuredOutputLevel(rawValue: rawValue + 1) }

  /// The request format for this level.
  func format(for type: OutputType) -> OutputFormat {
    switch self {
    case .jsonSchema: .jsonSchema(name: type.name, schema: type.schema, strict: type.strict)
    case .jsonObject: .jsonObject
    case .instructionsOnly: .text
    }
  }

  /// Whether the schema must be spelled out in the system prompt.
  var needsSchemaInstructions: Bool { self != .jsonSchema }
}

/// Remembers, per model, which structured output level its server accepted, so later calls and runs skip
/// formats it rejected.
final class OutputFormatMemory: Sendable {
  private let levels = Mutex<[String: StructuredOutputLevel]>([:])

  /// The level to start with for `model` under `strategy`.
  func level(for model: String, strategy: StructuredOutputStrategy) -> StructuredOutputLevel {
    switch strategy {
    case .automatic: levels.withLock { $0[model] } ?? .jsonSchema
    case .jsonSchema: .jsonSchema
    case .jsonObject: .jsonObject
    case .instructionsOnly: .instructionsOnly
    }
  }

  /// Records that `model`'s server needs `level` or weaker.
  func record(_ level: StructuredOutputLevel, for model: String) {
    levels.withLock { $0[model] = max($0[model] ?? level, level) }
  }
}

/// The texts that ask a model for structured output and correct it.
enum StructuredOutputPrompts {
  /// Appended to the system prompt when the server does not enforce the schema itself.
  static func schemaInstructions(for type: OutputType) -> String {
    "Reply with only a JSON object that matches this JSON schema, with no code fences and no other text:\n"
      + type.schema.description
  }

  /// The user message of a corrective turn after a reply that did not decode.
  static func correction(reason: String, for type: OutputType) -> String {
    "Your previous reply could not be used: \(reason). Reply again with only a JSON object that matches this "
      + "JSON schema, with no code fences and no other text:\n" + type.schema.description
  }
}
